import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { deployV1 } from "../change-impact/plan.js";
import { mlplat } from "../helpers/cli.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * The guards read the plan of the MERGED stack (issue 15, item 13): aws-sagemaker-scoring is
 * "deployed" into a local state with the change-impact tier's mock apply (real hashicorp/aws,
 * offline), then `mlplat deploy --offline --extension …` plans extensions against it on the
 * built CLI: one renaming the protected bucket (data loss), one renaming an endpoint
 * (disruption), and the example (a dashboard added, a retention changed: would apply). The
 * account id stays the blueprint's default in both synths: bucket names hash it.
 */
const tf = terraformEnv();
const work = mkdtempSync(join(tmpdir(), "mlplat-extension-guards-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const EXAMPLE = resolve("examples/extension-json/dashboard.tf.json");

function deployWith(extension: string, out: string) {
  return mlplat(["deploy", "blueprint.yaml", "--offline", "--json", "--out", out, "--state-dir", "state", "--extension", extension], { cwd: work, env: tf.env });
}

describe.skipIf(!tf.available)("deploy --extension against a deployed stack (real provider, offline)", () => {
  beforeAll(async () => {
    const stack = await synthEdited(resolve("blueprints/aws-sagemaker-scoring.yaml"), work, () => undefined);
    const v1 = await deployV1(stack.dir, stack.statePath, join(work, "mock"));
    writeFileSync(stack.statePath, JSON.stringify(v1.state));
  }, 600_000);

  it("refuses an extension that renames the protected bucket (MLP_DATA_LOSS), applying nothing", () => {
    const f = join(work, "rename-bucket.tf.json");
    writeFileSync(f, JSON.stringify({ resource: { aws_s3_bucket: { storage_artifacts: { bucket: "scoring-renamed-by-extension" } } } }));
    const r = deployWith(f, "out-bucket");
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("[MLP_DATA_LOSS]");
    expect(r.stderr).toContain("aws_s3_bucket.storage_artifacts");
  }, 240_000);

  it("refuses an extension that replaces an endpoint (MLP_DISRUPTION), naming the attribute", () => {
    const f = join(work, "rename-endpoint.tf.json");
    writeFileSync(f, JSON.stringify({ resource: { aws_sagemaker_endpoint: { serving_churn: { name: "scoring-churn-renamed" } } } }));
    const r = deployWith(f, "out-endpoint");
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("[MLP_DISRUPTION]");
    expect(r.stderr).toContain('aws_sagemaker_endpoint.serving_churn (endpoint "churn"): replace, forced by name');
  }, 240_000);

  it("lets the example through: the dashboard added, the retention changed, nothing replaced", () => {
    const r = deployWith(EXAMPLE, "out-example");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe("would-apply");
    expect(report.stacks[0].resources.map((c: { action: string; address: string }) => `${c.action} ${c.address}`)).toEqual([
      "change aws_cloudwatch_log_group.observability_endpoint-fraud",
      "add aws_cloudwatch_dashboard.extension_endpoints",
    ]);
  }, 240_000);
});
