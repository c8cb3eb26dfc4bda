import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hasStackTrace, mlplat } from "../helpers/cli.js";
import { blueprintWorkspace } from "../helpers/fs-tree.js";

/**
 * User errors that used to exit 70 with a stack trace, on the built CLI: each is exit 1 with a
 * message that names the path or command and the fix. And `… | head -1` ends quietly.
 */
describe("user errors are exit 1 with a located message", () => {
  it("schema --out into a folder that does not exist", () => {
    const ws = blueprintWorkspace();
    const r = mlplat(["schema", "--out", "missing/blueprint.schema.json"], { cwd: ws });
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stderr.replaceAll(ws, "<ws>")).toBe(
      "error [MLP_CANNOT_WRITE] --out missing/blueprint.schema.json: the folder <ws>/missing does not exist.\n" +
        "hint: create it first (mkdir -p <ws>/missing), or choose an existing folder.\n",
    );
    expect(readdirSync(ws)).toEqual(["platform.yaml"]);
  });

  it("schema --out onto a folder", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "schemas"));
    const r = mlplat(["schema", "--out", "schemas"], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error [MLP_CANNOT_WRITE] --out schemas is a folder; --out takes the path of a file to write.\n" +
        "hint: name a file inside it, for example --out schemas/blueprint.schema.json.\n",
    );
    expect(readdirSync(join(ws, "schemas"))).toEqual([]);
  });

  it("output when terraform prints something that is not JSON", () => {
    const ws = blueprintWorkspace();
    const bin = join(ws, "terraform-wrapper");
    writeFileSync(bin, `#!/bin/bash\nif [ "$1" = output ]; then echo "Welcome to the terraform wrapper v2"; echo '{}'; fi\nexit 0\n`);
    chmodSync(bin, 0o755);
    const r = mlplat(["output", "platform.yaml"], { cwd: ws, env: { MLPLAT_TERRAFORM: bin } });
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
    // Nothing deployed from this folder yet: output synthesized into a private temporary folder,
    // kept because the error names the log there.
    const shown = r.stderr.replace(/\/[^\s]*\/mlplat-output-[^/\s]+\/out/g, "<tmp>");
    expect(shown).toContain(
      "error [MLP_TERRAFORM_NOT_JSON] terraform output -json in stack fraud-default printed text that is not terraform's JSON: Welcome to the terraform wrapper v2\n" +
        "hint: mlplat reads terraform's JSON output. Check that MLPLAT_TERRAFORM (or terraform on PATH) is terraform 1.5 or later, not a wrapper that prints other text; " +
        "`terraform output -json` in <tmp>/stacks/fraud-default shows what it prints. Its whole output is in <tmp>/stacks/fraud-default/terraform.log.\n",
    );
    const log = /Its whole output is in (\S+terraform\.log)\./.exec(r.stderr)![1]!;
    expect(readFileSync(log, "utf8")).toContain("terraform output -no-color -json");
    // The user's folder is untouched: no output folder was made there.
    expect(existsSync(join(ws, "cdktf.out"))).toBe(false);
    // The lock was released on the way out.
    expect(readdirSync(ws).filter((n) => n.endsWith(".lock"))).toEqual([]);
  });

  it("plan with --out that is a file", () => {
    const ws = blueprintWorkspace();
    writeFileSync(join(ws, "build"), "a file");
    const r = mlplat(["plan", "platform.yaml", "--offline", "--out", "build"], { cwd: ws, env: { MLPLAT_TERRAFORM: "/bin/true" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error [MLP_OUT_NOT_DIR] --out ${ws}/build is a file, not a folder; synth writes a folder of stacks there.`);
  });
});

describe("a closed stdout", () => {
  it.each([["catalog", "gpus"], ["schema"]])("`mlplat %s | true` exits 0 quietly (EPIPE), like a Unix tool", (...args) => {
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" ${args.join(" ")} | true; echo "mlplat=\${PIPESTATUS[0]}" >&2`], {
      encoding: "utf8",
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("mlplat=0\n");
  });
});
