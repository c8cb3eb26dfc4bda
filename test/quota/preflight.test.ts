import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { resolveCapacities } from "../../src/model/capacity.js";
import { loadQuotaTable } from "../../src/quota/data.js";
import { quotaNeeds } from "../../src/quota/needs.js";
import { checkQuotas, quotaRefusal, readLimits, type CommandRunner } from "../../src/quota/preflight.js";

/** The preflight against the clouds' CLIs, replayed from test/quota/recorded (see its README). */
const recorded = (name: string) => readFileSync(join("test/quota/recorded", name), "utf8");

function fakeCli(answers: Record<string, string>): { run: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = async (program, args) => {
    const line = [program, ...args].join(" ");
    calls.push(line);
    const hit = Object.entries(answers).find(([prefix]) => line.startsWith(prefix));
    if (!hit) throw new Error(`no recorded answer for: ${line}`);
    return hit[1];
  };
  return { run, calls };
}

function needsOf(env: string) {
  const { model } = loadBlueprintOrThrow("blueprints/llm-serving.yaml", { env, today: "2026-11-25" });
  return { model, needs: quotaNeeds(model, resolveCapacities(model, loadCatalog()), loadQuotaTable()).items };
}

describe("quota preflight on recorded CLI output", () => {
  it("aws: refuses a SageMaker T4 quota of 0 below the endpoint's min, warns where max exceeds the limit", async () => {
    const { needs } = needsOf("aws");
    const { run, calls } = fakeCli({
      "aws service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A": recorded("aws-get-service-quota-L-1216C47A.json"),
      "aws service-quotas get-service-quota --service-code ec2 --quota-code L-DB2E81BA": recorded("aws-get-service-quota-L-DB2E81BA.json"),
      "aws service-quotas list-service-quotas --service-code sagemaker": recorded("aws-list-service-quotas-sagemaker.json"),
    });
    const checks = checkQuotas(needs, await readLimits(needs, run));
    expect(calls).toEqual([
      "aws service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A --region us-east-1 --output json",
      "aws service-quotas get-service-quota --service-code ec2 --quota-code L-DB2E81BA --region us-east-1 --output json",
      "aws service-quotas list-service-quotas --service-code sagemaker --region us-east-1 --output json",
    ]);
    expect(checks.map((c) => [c.need.quota.code, c.verdict])).toEqual([
      ["L-1216C47A", "below-max"], // limit 5 < 6 vCPUs at max (system 3 × 2)
      ["L-DB2E81BA", "below-max"], // limit 8 ≥ 4 at min, < 16 at max
      ["ml.g4dn.xlarge for endpoint usage", "below-min"], // limit 0 < 1 at min
    ]);
    const refusal = quotaRefusal(checks)!;
    expect(refusal.code).toBe("MLP_QUOTA_BELOW_MIN");
    expect(refusal.message).toBe("Deploy refused: 1 quota is below what the platform needs at its minimum size. Nothing was applied.");
    expect(refusal.details).toContain("ml.g4dn.xlarge for endpoint usage in us-east-1: limit 0, but embed needs 1 instance at min");
  });

  it("gcp: reads each region and the project once; the Cloud Run quota is unknown (a warning, not a refusal)", async () => {
    const { needs, model } = needsOf("gcp");
    const { run, calls } = fakeCli({
      "gcloud compute regions describe us-central1": recorded("gcloud-regions-describe-us-central1.json"),
      "gcloud compute project-info describe": recorded("gcloud-project-info-describe.json"),
    });
    const checks = checkQuotas(needs, await readLimits(needs, run, { project: model.gcp!.project }));
    expect(calls).toEqual([
      "gcloud compute project-info describe --project llm-serving-demo --format=json",
      "gcloud compute regions describe us-central1 --project llm-serving-demo --format=json",
    ]);
    expect(checks.map((c) => [c.need.quota.code, c.verdict])).toEqual([
      ["GPUS_ALL_REGIONS", "below-min"], // 0 < 1 L4 at min
      ["CPUS", "ok"], // 24 ≥ 16
      ["E2_CPUS", "in-use"], // 24 ≥ 12 at max, but 22 in use leave 2 < 4 at min
      ["NVIDIA_L4_GPUS", "below-max"], // 1 ≥ 1 at min, < 4 at max
      ["run.googleapis.com/nvidia_l4_gpu_allocation", "unknown"],
    ]);
  });

  it("azure: compares family names case-insensitively and refuses the A100 family at 0", async () => {
    const { needs } = needsOf("azure");
    const { run } = fakeCli({ "az vm list-usage --location eastus": recorded("az-vm-list-usage-eastus.json") });
    const checks = checkQuotas(needs, await readLimits(needs, run, { subscription: "00000000-0000-0000-0000-000000000000" }));
    expect(checks.map((c) => [c.need.quota.code, c.verdict])).toEqual([
      ["SubscriptionConsumptionT4Gpus", "unknown"],
      ["cores", "ok"],
      ["standardDSv5Family", "ok"],
      ["standardNCADSA100v4Family", "below-min"],
    ]);
  });

  it("a CLI that fails (no credentials) leaves every quota unknown: no refusal", async () => {
    const { needs } = needsOf("aws");
    const checks = checkQuotas(needs, await readLimits(needs, async () => Promise.reject(new Error("Unable to locate credentials"))));
    expect(checks.every((c) => c.verdict === "unknown")).toBe(true);
    expect(quotaRefusal(checks)).toBeUndefined();
  });
});
