import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { resolveCapacities } from "../../src/model/capacity.js";
import { loadQuotaTable, QUOTAS_SHA256_FILE, quotaTableHash, quotaTableSchema } from "../../src/quota/data.js";
import { quotaNeeds } from "../../src/quota/needs.js";
import { readFileSync } from "node:fs";

/**
 * `mlplat quota` on the reference blueprints, with every expected number computed by hand from
 * the blueprint (sizes) and ../shared/data/gpus.csv / cpu.csv (vCPUs per instance), as noted
 * beside each row. Rows: [region, quota code, unit, spot, min, max, peak, from].
 */
type Row = [string, string, string, boolean, number, number, number, string];

function rows(file: string, env?: string): Row[] {
  const { model } = loadBlueprintOrThrow(file, { env, today: "2026-11-25" });
  return quotaNeeds(model, resolveCapacities(model, loadCatalog()), loadQuotaTable()).items.map((i) => [
    i.region,
    i.quota.code,
    i.unit,
    i.spot,
    i.requiredAtMin,
    i.requiredAtMax,
    i.requiredAtPeak,
    i.from.join("+"),
  ]);
}

describe("quota needs of the reference blueprints", () => {
  it("llm-serving on aws: system pool, the L4 pool on G and VT, the SageMaker T4 endpoint doubled at its blue/green peak", () => {
    expect(rows("blueprints/llm-serving.yaml", "aws")).toEqual([
      // m6i.large 2 vCPUs × system 1..3
      ["us-east-1", "L-1216C47A", "vCPU", false, 2, 6, 6, "system"],
      // g6.xlarge (1×L4) 4 vCPUs × llm 1..4
      ["us-east-1", "L-DB2E81BA", "vCPU", false, 4, 16, 16, "llm"],
      // ml.g4dn.xlarge × embed 1..2, peak 2 × 2 (blue/green update)
      ["us-east-1", "ml.g4dn.xlarge for endpoint usage", "instance", false, 1, 2, 4, "embed"],
    ]);
  });

  it("batch-training on aws: spot P4 and P5 pools on their spot quotas", () => {
    expect(rows("blueprints/batch-training.yaml")).toEqual([
      // system m6i.large 2 × 1..2 = 2..4; prep m6i.2xlarge 8 × 0..6 = 0..48
      ["us-east-1", "L-1216C47A", "vCPU", false, 2, 52, 52, "system+prep"],
      // p4de.24xlarge (8×A100-80GB) 96 vCPUs × 0..2
      ["us-east-1", "L-7212CCBC", "vCPU", true, 0, 192, 192, "a100"],
      // p5.48xlarge (8×H100) 192 vCPUs × 0..2
      ["us-east-1", "L-C4BD4855", "vCPU", true, 0, 384, 384, "h100"],
    ]);
  });

  it("batch-training on gcp: preemptible CPUs and GPUs per family, and the project-wide GPU quota", () => {
    expect(rows("blueprints/batch-training.yaml", "gcp")).toEqual([
      // 8 A100-80GB × 0..2 + 8 H100 × 0..2
      ["global", "GPUS_ALL_REGIONS", "GPU", true, 0, 32, 32, "a100+h100"],
      // e2-standard-4 4 vCPUs × 1..2
      ["us-central1", "E2_CPUS", "vCPU", false, 4, 8, 8, "system"],
      // n2-standard-8 8 vCPUs × 0..6
      ["us-central1", "N2_CPUS", "vCPU", false, 0, 48, 48, "prep"],
      // a2-ultragpu-8g 96 vCPUs × 2 + a3-highgpu-8g 208 vCPUs × 2 = 192 + 416
      ["us-central1", "PREEMPTIBLE_CPUS", "vCPU", true, 0, 608, 608, "a100+h100"],
      ["us-central1", "PREEMPTIBLE_NVIDIA_A100_80GB_GPUS", "GPU", true, 0, 16, 16, "a100"],
      ["us-central1", "PREEMPTIBLE_NVIDIA_H100_GPUS", "GPU", true, 0, 16, 16, "h100"],
    ]);
  });

  it("batch-training on azure: spot pools draw only on the regional Spot vCPUs; on-demand on family and total", () => {
    expect(rows("blueprints/batch-training.yaml", "azure")).toEqual([
      // Standard_D4s_v5 4 × 1..2 + Standard_D8s_v5 8 × 0..6 = 4..56
      ["eastus", "cores", "vCPU", false, 4, 56, 56, "system+prep"],
      // ND96amsr_A100_v4 96 × 2 + ND96isr_H100_v5 96 × 2
      ["eastus", "lowPriorityCores", "vCPU", true, 0, 384, 384, "a100+h100"],
      ["eastus", "standardDSv5Family", "vCPU", false, 4, 56, 56, "system+prep"],
    ]);
  });

  it("llm-serving on gcp: Cloud Run's L4 quota for the managed endpoint, G2 vCPUs on CPUS", () => {
    expect(rows("blueprints/llm-serving.yaml", "gcp")).toEqual([
      ["global", "GPUS_ALL_REGIONS", "GPU", false, 1, 4, 4, "llm"],
      // L4 × 1 resolves to g2-standard-4 (4 vCPUs, the cheapest with one L4) × 1..4
      ["us-central1", "CPUS", "vCPU", false, 4, 16, 16, "llm"],
      ["us-central1", "E2_CPUS", "vCPU", false, 4, 12, 12, "system"],
      ["us-central1", "NVIDIA_L4_GPUS", "GPU", false, 1, 4, 4, "llm"],
      // 1 L4 per instance × embed 0..2
      ["us-central1", "run.googleapis.com/nvidia_l4_gpu_allocation", "GPU", false, 0, 2, 2, "embed"],
    ]);
  });

  it("llm-serving on azure: the A100 family and the regional total, and Container Apps T4 GPUs", () => {
    expect(rows("blueprints/llm-serving.yaml", "azure")).toEqual([
      ["eastus", "SubscriptionConsumptionT4Gpus", "GPU", false, 0, 2, 2, "embed"],
      // D4s_v5 4 × 1..3 = 4..12; NC24ads_A100_v4 24 × 1..4 = 24..96
      ["eastus", "cores", "vCPU", false, 28, 108, 108, "system+llm"],
      ["eastus", "standardDSv5Family", "vCPU", false, 4, 12, 12, "system"],
      ["eastus", "standardNCADSA100v4Family", "vCPU", false, 24, 96, 96, "llm"],
    ]);
  });
});

describe("the quota table", () => {
  it("matches its schema, and its validated-bytes hash is current (the runtime skips zod on those bytes)", () => {
    const text = readFileSync("src/catalog/data/quotas.json", "utf8");
    quotaTableSchema().parse(JSON.parse(text));
    const recorded = readFileSync(`src/catalog/data/${QUOTAS_SHA256_FILE}`, "utf8").trim();
    expect(recorded, `quotas.json changed: after checking it, write ${quotaTableHash(text)} to src/catalog/data/${QUOTAS_SHA256_FILE}`).toBe(quotaTableHash(text));
  });

  it("validates bytes it has not seen: a broken copy is refused with MLP_CATALOG_INVALID", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "mlplat-quotas-"));
    writeFileSync(join(dir, "quotas.json"), JSON.stringify({ version: "x" }));
    expect(() => loadQuotaTable(join(dir, "quotas.json"))).toThrow(/does not match its schema/);
  });

  it("matches its schema, and every family of the catalog's AWS, GCP and Azure instances maps to a quota", () => {
    const table = quotaTableSchema().parse(JSON.parse(readFileSync("src/catalog/data/quotas.json", "utf8")));
    const catalog = loadCatalog();
    const unmapped: string[] = [];
    for (const row of catalog.instances("aws")) if (!table.aws.ec2.some((r) => r.families.includes(row.instanceType.split(".")[0]!))) unmapped.push(row.instanceType);
    for (const row of catalog.instances("gcp"))
      if (!row.instanceType.startsWith("tpu-") && !table.gcp.cpuFamilies.some((f) => row.instanceType.startsWith(f.prefix))) unmapped.push(row.instanceType);
    for (const row of catalog.instances("azure")) if (!table.azure.families.some((f) => new RegExp(f.pattern).test(row.instanceType))) unmapped.push(row.instanceType);
    for (const g of ["T4", "L4", "A100-40GB", "A100-80GB", "H100"]) if (!table.gcp.gpus.some((x) => x.accelerator === g)) unmapped.push(`gcp ${g}`);
    // Named gaps: Azure's MI300X, confidential H100, H200 and NVadms A10 rows have no verified family name.
    expect(unmapped.filter((t) => !/^(Standard_ND96isr_MI300X_v5|Standard_NCC40ads_H100_v5|Standard_ND96isr_H200_v5|Standard_NV\d+adms_A10_v5)$/.test(t))).toEqual([]);
  });
});
