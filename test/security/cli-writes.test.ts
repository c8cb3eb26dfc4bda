import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlplat } from "../helpers/cli.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * Nothing is written outside the output and the state folders (and the paths named on the
 * command line): a `plan --offline` with the real terraform leaves the project folder with the
 * blueprint, the output and the state folder only, and the home folder with mlplat's
 * compiled-code cache only (~/.cache/mlplat, src/cli/code-cache.ts; no ~/.terraform.d
 * checkpoint files). Providers come from the CLI config the user gives
 * (TF_CLI_CONFIG_FILE: here a mirror and its plugin cache); without one, into each stack's
 * .terraform.
 */
const tf = terraformEnv();

const BLUEPRINT = `apiVersion: mlplat/v1
kind: Platform
metadata: { name: writes, owner: ml@example.com }
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  storage:
    buckets:
      - name: datasets
`;

describe.skipIf(!tf.available)("what a run writes", () => {
  it("plan --offline writes only the output (with its lock released), the state folder, and nothing in HOME", () => {
    const ws = mkdtempSync(join(tmpdir(), "mlplat-writes-"));
    const home = join(ws, "..", `${ws.split("/").pop()}-home`);
    mkdirSync(home);
    writeFileSync(join(ws, "platform.yaml"), BLUEPRINT);
    const r = mlplat(["plan", "platform.yaml", "--offline"], { cwd: ws, env: { ...tf.env, HOME: home, CHECKPOINT_DISABLE: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(ws).sort()).toEqual([".mlplat", "cdktf.out", "platform.yaml"]);
    expect(readdirSync(join(ws, ".mlplat"))).toEqual(["state"]);
    expect(readdirSync(join(ws, "cdktf.out", "stacks", "writes-default")).sort()).toEqual([
      ".terraform",
      ".terraform.lock.hcl",
      "cdk.tf.json",
      "mlplat.tfplan",
      "terraform.log",
    ]);
    // In HOME, only mlplat's compiled-code cache (src/cli/code-cache.ts): private, the plan
    // command's entry and the pack of the files it loaded from node_modules and dist/vendor.
    expect(readdirSync(home)).toEqual([".cache"]);
    expect(readdirSync(join(home, ".cache"))).toEqual(["mlplat"]);
    expect(statSync(join(home, ".cache", "mlplat")).mode & 0o777).toBe(0o700);
    const entries = readdirSync(join(home, ".cache", "mlplat")).sort();
    expect(entries).toEqual([expect.stringMatching(/^plan-[0-9a-f]{32}\.deps\.v8$/), expect.stringMatching(/^plan-[0-9a-f]{32}\.v8$/)]);
    for (const e of entries) expect(statSync(join(home, ".cache", "mlplat", e)).mode & 0o777).toBe(0o600);
  });
});
