import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { blueprintWorkspace, tree } from "../helpers/fs-tree.js";

/**
 * The output folder on the built CLI: mlplat replaces only a folder it recognises as its own
 * output (mlplat.json), never one that holds the blueprint, the working directory or the state,
 * never through or with a link. Every refusal is exit 1 with a located message, and leaves
 * every file where it was.
 */

/** A previous mlplat output, as synth leaves it, without running synth. */
function fakeOutput(out: string, { terraformDir = true } = {}): string {
  const stack = "fraud-default";
  const stackDir = join(out, "stacks", stack);
  mkdirSync(terraformDir ? join(stackDir, ".terraform") : stackDir, { recursive: true });
  writeFileSync(join(out, "mlplat.json"), JSON.stringify({ format: "mlplat-synth-output/1", blueprint: "platform.yaml", env: "default", cloud: "aws", offline: true, stacks: [stack] }));
  writeFileSync(join(out, "manifest.json"), "{}");
  writeFileSync(join(stackDir, "cdk.tf.json"), "{}");
  return stackDir;
}

function refused(r: ReturnType<typeof mlplat>, code: string): string {
  expect(r.code, r.stderr).toBe(1);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stderr).toContain(`[${code}]`);
  return r.stderr.replace(/\/tmp\/mlplat-sec-\w+/g, "<ws>");
}

describe("the output folder", () => {
  it("refuses --out . in a project folder with a manifest.json and leaves every file as it was", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, ".git"));
    writeFileSync(join(ws, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(ws, "manifest.json"), '{ "name": "my-extension" }');
    mkdirSync(join(ws, "src"));
    writeFileSync(join(ws, "src", "app.js"), "console.log(1)");
    const before = tree(ws);
    const err = refused(mlplat(["synth", "platform.yaml", "--out", ".", "--offline"], { cwd: ws }), "MLP_OUT_PROTECTED");
    expect(err).toMatchInlineSnapshot(`
      "error [MLP_OUT_PROTECTED] --out <ws> is the folder of the blueprint (<ws>); synth replaces its output folder as a whole, so it never uses a folder that holds the blueprint, the working directory or the state.
      hint: choose a folder of its own for the output, such as --out cdktf.out (the default is cdktf.out in the current folder).
      "
    `);
    expect(tree(ws)).toEqual(before);
  });

  it("refuses a foreign folder that has a manifest.json but no mlplat.json, and leaves it intact", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "web"));
    writeFileSync(join(ws, "web", "manifest.json"), '{ "short_name": "app" }');
    writeFileSync(join(ws, "web", "index.html"), "<html></html>");
    const before = tree(ws);
    const err = refused(mlplat(["synth", "platform.yaml", "--out", "web", "--offline"], { cwd: ws }), "MLP_OUT_NOT_SYNTH_OUTPUT");
    expect(err).toMatchInlineSnapshot(`
      "error [MLP_OUT_NOT_SYNTH_OUTPUT] <ws>/web exists and is not an mlplat output (no valid mlplat.json); it holds index.html, manifest.json. mlplat replaces its output folder as a whole and will not delete it.
      hint: pass a new or empty folder with --out (the default is cdktf.out), or delete this folder yourself if it is an old output.
      "
    `);
    expect(tree(ws)).toEqual(before);
  });

  it("refuses a folder whose mlplat.json does not have mlplat's shape", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "out"));
    writeFileSync(join(ws, "out", "mlplat.json"), '{ "name": "not ours" }');
    writeFileSync(join(ws, "out", "keep.txt"), "keep");
    const before = tree(ws);
    refused(mlplat(["synth", "platform.yaml", "--out", "out", "--offline"], { cwd: ws }), "MLP_OUT_NOT_SYNTH_OUTPUT");
    expect(tree(ws)).toEqual(before);
  });

  it("refuses an output that is an ancestor of the blueprint's folder", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "infra"));
    writeFileSync(join(ws, "infra", "platform.yaml"), readFileSync(join(ws, "platform.yaml")));
    const before = tree(ws);
    const err = refused(mlplat(["synth", "infra/platform.yaml", "--out", ".", "--state-dir", "/tmp/mlplat-sec-unused-state"], { cwd: ws }), "MLP_OUT_PROTECTED");
    expect(err).toContain("--out <ws> contains the folder of the blueprint (<ws>/infra)");
    expect(tree(ws)).toEqual(before);
  });

  it("refuses an output that is the working directory's parent", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "a", "b"), { recursive: true });
    const err = refused(mlplat(["synth", "../../platform.yaml", "--out", "..", "--state-dir", "/tmp/mlplat-sec-unused-state"], { cwd: join(ws, "a", "b") }), "MLP_OUT_PROTECTED");
    expect(err).toContain("--out <ws>/a contains the folder of the current working directory (<ws>/a/b)");
  });

  it("refuses an output that holds the state folder", () => {
    const ws = blueprintWorkspace();
    const err = refused(mlplat(["synth", "platform.yaml", "--out", "build", "--state-dir", "build/state"], { cwd: ws }), "MLP_STATE_IN_OUTPUT");
    expect(err).toContain("the state folder <ws>/build/state is inside the synth output <ws>/build");
  });

  it("refuses --out that is a file, with exit 1 and no trace", () => {
    const ws = blueprintWorkspace();
    writeFileSync(join(ws, "notes.txt"), "mine");
    const err = refused(mlplat(["synth", "platform.yaml", "--out", "notes.txt"], { cwd: ws }), "MLP_OUT_NOT_DIR");
    expect(err).toMatchInlineSnapshot(`
      "error [MLP_OUT_NOT_DIR] --out <ws>/notes.txt is a file, not a folder; synth writes a folder of stacks there.
      hint: pass a new or empty folder, or an earlier mlplat output, with --out (for example --out notes.txt.d).
      "
    `);
    expect(readFileSync(join(ws, "notes.txt"), "utf8")).toBe("mine");
    expect(refused(mlplat(["synth", "platform.yaml", "--out", "notes.txt/sub"], { cwd: ws }), "MLP_OUT_NOT_DIR")).toContain("--out <ws>/notes.txt/sub cannot be a folder: <ws>/notes.txt is a file.");
  });

  it("refuses --state-dir that is a file before anything runs, on synth and on plan", () => {
    const ws = blueprintWorkspace();
    writeFileSync(join(ws, "state"), "not a folder");
    const err = refused(mlplat(["synth", "platform.yaml", "--state-dir", "state"], { cwd: ws }), "MLP_STATE_DIR_NOT_DIR");
    expect(err).toMatchInlineSnapshot(`
      "error [MLP_STATE_DIR_NOT_DIR] --state-dir <ws>/state is a file, not a folder; local Terraform state is kept in a folder of .tfstate files.
      hint: pass a folder (it is created when missing), or leave --state-dir out to use .mlplat/state beside the blueprint.
      "
    `);
    refused(mlplat(["plan", "platform.yaml", "--offline", "--state-dir", "state"], { cwd: ws, env: { MLPLAT_TERRAFORM: "/bin/false" } }), "MLP_STATE_DIR_NOT_DIR");
    expect(readdirSync(ws).sort()).toEqual(["platform.yaml", "state"]);
  });

  it("refuses an --out that is a symbolic link, and the link's target is untouched", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, "elsewhere"));
    writeFileSync(join(ws, "elsewhere", "data.txt"), "precious");
    symlinkSync(join(ws, "elsewhere"), join(ws, "out"));
    const before = tree(ws);
    const err = refused(mlplat(["synth", "platform.yaml", "--out", "out", "--offline"], { cwd: ws }), "MLP_OUT_LINK");
    expect(err).toContain("--out <ws>/out is a symbolic link");
    expect(tree(ws)).toEqual(before);
  });

  it.each([
    ["terraform.log", "file"],
    [".terraform", "folder"],
    [".terraform.lock.hcl", "file"],
  ])("refuses a previous output whose %s is a symbolic link, and the link's target is untouched", (name, kind) => {
    const ws = blueprintWorkspace();
    const stackDir = fakeOutput(join(ws, "cdktf.out"), { terraformDir: name !== ".terraform" });
    const target = join(ws, "victim");
    if (kind === "folder") {
      mkdirSync(target);
      writeFileSync(join(target, "secret.tfstate"), "state");
    } else writeFileSync(target, "victim's file\n");
    symlinkSync(target, join(stackDir, name));
    const before = tree(ws);
    const err = refused(mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws }), "MLP_OUT_LINK");
    expect(err).toContain(`<ws>/cdktf.out/stacks/fraud-default/${name} is a symbolic link (to <ws>/victim) in the mlplat output <ws>/cdktf.out; mlplat never follows or carries a link out of its output`);
    expect(tree(ws)).toEqual(before);
  });

  it("accepts the provider links terraform makes from its plugin cache, and carries .terraform over", () => {
    const ws = blueprintWorkspace();
    const stackDir = fakeOutput(join(ws, "cdktf.out"));
    const cache = join(ws, "plugin-cache", "aws");
    mkdirSync(cache, { recursive: true });
    const providers = join(stackDir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", "5.100.0");
    mkdirSync(providers, { recursive: true });
    symlinkSync(cache, join(providers, "linux_amd64"));
    const r = mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws });
    expect(r.code, r.stderr).toBe(0);
    expect(tree(join(ws, "cdktf.out"))["stacks/fraud-default/.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"]).toBe(`-> ${cache}`);
  });

  it("reports an --out name too long for its lock file as a user error", () => {
    const ws = blueprintWorkspace();
    const long = "o".repeat(252);
    const err = refused(mlplat(["synth", "platform.yaml", "--out", long, "--offline"], { cwd: ws }), "MLP_OUT_UNWRITABLE");
    expect(err).toContain(`could not create the lock file <ws>/${long}.lock for <ws>/${long}: ENAMETOOLONG`);
    expect(readdirSync(ws)).toEqual(["platform.yaml"]);
  });
});
