import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * `spec.state.backend: hcp` on the built CLI, terraform being the fake that replays a recorded
 * HCP Terraform run (test/fixtures/hcp/README.md): the run URL reaches the terminal summary,
 * `--json` and `--report`; the token passes to terraform and is printed nowhere.
 */
const FAKE = new URL("../fixtures/hcp/fake-terraform.mjs", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-plan-hcp-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TOKEN = "atlasv1.cli-test-token-never-printed";
const URL_ = "https://app.terraform.io/app/acme-ml/fraud-prod/runs/run-CZcmD7eagjhyX0vN";

writeFileSync(
  join(work, "platform.yaml"),
  stringify({
    apiVersion: "mlplat/v1",
    kind: "Platform",
    metadata: { name: "fraud", owner: "team@example.com" },
    spec: {
      cloud: "aws",
      region: "us-east-1",
      aws: { accountId: "123456789012" },
      storage: { buckets: [{ name: "datasets" }] },
      state: { backend: "hcp", organization: "acme-ml", workspace: "fraud-prod" },
    },
  }),
);

describe("mlplat plan on HCP Terraform (built CLI, recorded run)", () => {
  it("validates", () => {
    const r = mlplat(["validate", "platform.yaml"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
  });

  it("prints the run URL with the summary, carries it in --json and links it in --report; the token nowhere", () => {
    const log = join(work, "calls.log");
    const r = mlplat(["plan", "platform.yaml", "--json", "--report", "plan.md"], { cwd: work, env: { MLPLAT_TERRAFORM: FAKE, FAKE_TF_LOG: log, TF_TOKEN_app_terraform_io: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const json = JSON.parse(r.stdout);
    expect(json.stacks[0]).toMatchObject({ name: "fraud-default", runUrl: URL_, add: 1, change: 1, replace: 1, destroy: 0 });
    expect(r.stderr).toContain("plan (HCP Terraform) fraud-default");
    expect(readFileSync(join(work, "plan.md"), "utf8")).toContain(`Run on HCP Terraform: <${URL_}>`);
    expect(readFileSync(log, "utf8")).toContain("plan -no-color -input=false -out=mlplat.tfplan token:set");
    const stack = JSON.parse(readFileSync(join(work, "cdktf.out", "stacks", "fraud-default", "cdk.tf.json"), "utf8"));
    expect(stack.terraform.cloud).toEqual({ organization: "acme-ml", hostname: "app.terraform.io", workspaces: { name: "fraud-prod" } });
    for (const text of [r.stdout, r.stderr, readFileSync(join(work, "plan.md"), "utf8"), readFileSync(join(work, "cdktf.out", "stacks", "fraud-default", "terraform.log"), "utf8")]) {
      expect(text).not.toContain(TOKEN);
    }
    const human = mlplat(["plan", "platform.yaml"], { cwd: work, env: { MLPLAT_TERRAFORM: FAKE, TF_TOKEN_app_terraform_io: TOKEN } });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Stack fraud-default: 1 to add, 1 to change, 0 to destroy, 1 to replace\n  run: ${URL_}\n`);
    expect(human.stdout + human.stderr).not.toContain(TOKEN);
  });
});
