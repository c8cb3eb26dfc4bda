import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogDataDir, loadCatalog, readCatalogFiles } from "../../src/catalog/index.js";
import { CATALOG_FILE_NAMES, catalogFileSchemas } from "../../src/catalog/schema.js";

const CATALOG_FILES = catalogFileSchemas();
import { CLOUDS, type Cloud } from "../../src/model/platform.js";
import { sharedDataDir } from "../helpers/shared-prices.js";

const catalog = loadCatalog();

/** The spec's GPU list and the clouds the catalog offers each on. */
const SPEC_GPUS: Record<string, readonly Cloud[]> = {
  T4: ["aws", "gcp", "azure"],
  L4: ["aws", "gcp"],
  A10G: ["aws"],
  A10: ["azure"],
  L40S: ["aws"],
  V100: ["aws", "gcp", "azure"],
  "A100-40GB": ["aws", "gcp", "azure"],
  "A100-80GB": ["aws", "gcp", "azure"],
  H100: ["aws", "gcp", "azure"],
  H200: ["aws", "gcp", "azure"],
  B200: ["aws", "gcp"],
};

describe("the committed catalog data", () => {
  it("matches the zod schemas, file by file", () => {
    // Every data file is read by readCatalogFiles (CATALOG_FILE_NAMES), each with its schema.
    expect([...CATALOG_FILE_NAMES].sort()).toEqual(Object.keys(CATALOG_FILES).sort());
    for (const [name, schema] of Object.entries(CATALOG_FILES)) {
      const json = JSON.parse(readFileSync(join(catalogDataDir(), name), "utf8"));
      const parsed = schema.safeParse(json);
      expect(parsed.success ? "ok" : `${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`).toBe("ok");
    }
    expect(() => readCatalogFiles(undefined, { verify: true })).not.toThrow();
  });

  it("records the exact bytes validated above in checksums.json, so loading may skip re-validation", () => {
    const sums = JSON.parse(readFileSync(join(catalogDataDir(), "checksums.json"), "utf8"));
    for (const name of Object.keys(CATALOG_FILES)) {
      expect(sums[name], name).toBe(createHash("sha256").update(readFileSync(join(catalogDataDir(), name))).digest("hex"));
    }
  });

  it("validates at load any file whose bytes differ from the checksums", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-catalog-"));
    cpSync(catalogDataDir(), dir, { recursive: true });
    const file = join(dir, "instances.json");
    const data = JSON.parse(readFileSync(file, "utf8"));
    data.rows[0].regions = "us-east-1";
    writeFileSync(file, JSON.stringify(data));
    expect(() => readCatalogFiles(dir)).toThrow(/does not match its schema/);
  });

  it("rejects a data file that breaks the schema", () => {
    const bad = { ...JSON.parse(readFileSync(join(catalogDataDir(), "instances.json"), "utf8")) };
    const gpuRow = bad.rows.find((r: { accelerator?: string }) => r.accelerator);
    bad.rows = [{ ...gpuRow, acceleratorCount: 0 }];
    expect(CATALOG_FILES["instances.json"].safeParse(bad).success).toBe(false);
    bad.rows = [{ ...gpuRow, regions: "us-east-1" }];
    expect(CATALOG_FILES["instances.json"].safeParse(bad).success).toBe(false);
    bad.rows = [gpuRow];
    expect(CATALOG_FILES["instances.json"].safeParse(bad).success).toBe(true);
  });

  it("is loaded once and cached", () => {
    expect(loadCatalog()).toBe(catalog);
    expect(catalog.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("names only regions the catalog knows, and every GCP GPU row has a guest_accelerator id", () => {
    for (const row of catalog.instances()) {
      const known = new Set(catalog.regions(row.cloud));
      expect(row.regions.filter((r) => !known.has(r)), `${row.cloud} ${row.instanceType}`).toEqual([]);
      if (row.cloud === "gcp" && row.accelerator) expect(row.acceleratorId, row.instanceType).toMatch(/^nvidia-/);
    }
    for (const r of catalog.cloudRunGpuRegions()) expect(catalog.regions("gcp")).toContain(r);
    for (const p of catalog.containerAppsGpuProfiles()) for (const r of p.regions) expect(catalog.regions("azure")).toContain(r);
  });

  it("has the defaults' instance types with prices", () => {
    for (const cloud of CLOUDS) expect(catalog.instance(cloud, catalog.defaultCpuInstance(cloud))?.onDemandUsdPerHour).toBeGreaterThan(0);
    expect(catalog.sagemakerInstance(catalog.defaultSagemakerCpuInstance())?.usdPerHour).toBeGreaterThan(0);
  });

  it("flags the suspicious GCP A100-80GB prices the sources describe", () => {
    const rows = catalog.instances("gcp").filter((r) => r.accelerator === "A100-80GB");
    expect(rows.length).toBe(4);
    for (const r of rows) expect(r.priceNote).toMatch(/^Suspicious: .*A100-80GB/);
  });

  it("keeps fractional GPU rows for listing", () => {
    expect(catalog.instance("aws", "g6f.2xlarge")).toMatchObject({ accelerator: "L4", acceleratorCount: 0.25 });
    expect(catalog.instance("azure", "Standard_NV6ads_A10_v5")?.acceleratorCount).toBeCloseTo(1 / 6, 2);
  });
});

describe("every GPU in the spec's list", () => {
  for (const [gpu, clouds] of Object.entries(SPEC_GPUS)) {
    it(`${gpu} is offered on ${clouds.join(", ")} and resolves for each count it comes in`, () => {
      expect(CLOUDS.filter((c) => catalog.accelerators(c).includes(gpu))).toEqual(clouds);
      for (const cloud of clouds) {
        const rows = catalog.instances(cloud).filter((r) => r.accelerator === gpu && Number.isInteger(r.acceleratorCount));
        const counts = [...new Set(rows.map((r) => r.acceleratorCount))];
        expect(counts.length, `${gpu} on ${cloud}`).toBeGreaterThan(0);
        for (const count of counts) {
          // Each count must resolve in at least one region: the reference region when offered there.
          const candidates = rows.filter((r) => r.acceleratorCount === count);
          const region = candidates.find((r) => r.regions.includes(r.referenceRegion))?.referenceRegion ?? candidates[0].regions[0];
          for (const spot of [false, true]) {
            const res = catalog.findGpuInstance({ cloud, accelerator: gpu.toLowerCase(), count, region, spot });
            expect(res.ok ? `${res.row.accelerator}×${res.row.acceleratorCount}` : res.message, `${gpu}×${count} on ${cloud} in ${region}`).toBe(`${gpu}×${count}`);
          }
        }
      }
    });
  }
});

describe("choices and near misses on the real data", () => {
  const pick = (cloud: Cloud, accelerator: string, count: number, region: string, spot = false) => {
    const r = catalog.findGpuInstance({ cloud, accelerator, count, region, spot });
    return r.ok ? r.row.instanceType : `${r.code}: ${r.message} | ${r.hint}`;
  };

  it("resolves A100-80GB:8 to the right instance on each cloud", () => {
    expect(pick("aws", "A100-80GB", 8, "us-east-1")).toBe("p4de.24xlarge");
    expect(pick("gcp", "a100-80gb", 8, "us-central1")).toBe("a2-ultragpu-8g");
    expect(pick("azure", "nvidia-a100-80gb", 8, "eastus")).toBe("Standard_ND96amsr_A100_v4");
  });

  it("resolves the common single-GPU requests to the cheapest type", () => {
    expect(pick("aws", "T4", 1, "us-east-1")).toBe("g4dn.xlarge");
    expect(pick("aws", "L4", 1, "us-east-1", true)).toBe("g6.xlarge");
    expect(pick("gcp", "T4", 1, "us-central1")).toBe("n1-highmem-4");
    expect(pick("gcp", "L4", 1, "us-central1")).toBe("g2-standard-4");
    expect(pick("gcp", "H100", 8, "us-central1")).toBe("a3-highgpu-8g");
    expect(pick("azure", "T4", 1, "eastus")).toBe("Standard_NC4as_T4_v3");
  });

  it("gives GCP rows the guest_accelerator ids GKE needs", () => {
    const ids = (["T4", "L4", "A100-40GB", "A100-80GB", "H100", "H200", "B200", "V100"] as const).map((g) => {
      const r = catalog.findGpuInstance({ cloud: "gcp", accelerator: g, count: 8, region: "us-central1", spot: false });
      const one = catalog.findGpuInstance({ cloud: "gcp", accelerator: g, count: 1, region: "us-central1", spot: false });
      return (r.ok ? r.row : one.ok ? one.row : undefined)?.acceleratorId;
    });
    expect(ids).toEqual(["nvidia-tesla-t4", "nvidia-l4", "nvidia-tesla-a100", "nvidia-a100-80gb", "nvidia-h100-80gb", "nvidia-h200-141gb", "nvidia-b200", "nvidia-tesla-v100"]);
    expect(catalog.gpuInstance("gcp", "a3-megagpu-8g", "H100", 8)?.acceleratorId).toBe("nvidia-h100-mega-80gb");
  });

  it("pins the near-miss messages", () => {
    expect(pick("aws", "L4", 2, "us-east-1")).toBe(
      "MLP_GPU_COUNT: L4 comes in counts 1, 4, 8 on aws | set the count to 1, 4 or 8 (g6f.2xlarge has 0.25 of one: fractional types are never chosen for a whole count)",
    );
    expect(pick("aws", "H100", 8, "eu-west-1")).toBe(
      "MLP_GPU_NOT_IN_REGION: H100 ×8 is not offered on aws in eu-west-1 | H100 ×8 is offered in eu-west-2, eu-north-1, us-east-1, ap-northeast-1, ap-northeast-2, ap-south-1, … (12 regions)",
    );
    expect(pick("aws", "H100", 8, "us-west-1")).toBe("p5.48xlarge");
    expect(pick("gcp", "L4", 1, "southamerica-east1")).toMatch(
      /^MLP_GPU_NOT_IN_REGION: L4 ×1 is not offered on gcp in southamerica-east1 \| L4 ×1 is offered in us-central1, /,
    );
    expect(pick("aws", "A100-90GB", 1, "us-east-1")).toBe('MLP_GPU_UNKNOWN: unknown accelerator "A100-90GB" | did you mean A100-40GB or A100-80GB?');
    expect(pick("azure", "L4", 1, "eastus")).toMatch(/^MLP_GPU_NOT_ON_CLOUD: L4 is not offered on azure \| did you mean T4\? azure offers T4, .*; L4 is offered on aws, gcp$/);
    expect(pick("gcp", "T4", 8, "us-central1")).toMatch(/^MLP_GPU_COUNT: T4 comes in counts 1, 2, 4 on gcp/);
  });

  it("refuses a region outside a type's listed regions, also one the AWS source did not survey, saying so (issue 15)", () => {
    const r = catalog.findGpuInstance({ cloud: "aws", accelerator: "T4", count: 1, region: "sa-east-1", spot: false });
    expect(r).toMatchObject({ ok: false, code: "MLP_GPU_NOT_IN_REGION", message: "T4 ×1 is not offered on aws in sa-east-1" });
    expect(!r.ok && r.hint).toContain("The catalog's aws availability data does not cover sa-east-1: if aws offers it there now, refresh the catalog (npm run catalog:generate) or choose a listed region");
    expect(catalog.checkInstanceType("aws", "p5.48xlarge", "il-central-1")).toMatchObject({ ok: false, code: "MLP_INSTANCE_NOT_IN_REGION", hint: expect.stringContaining("does not cover il-central-1") });
    // GCP and Azure sources list every region: absence means not offered, without the note.
    const gcp = catalog.findGpuInstance({ cloud: "gcp", accelerator: "H100", count: 8, region: "africa-south1", spot: false });
    expect(gcp.ok === false && gcp.hint).not.toContain("does not cover");
    // A region that does not exist is refused too.
    expect(catalog.findGpuInstance({ cloud: "aws", accelerator: "T4", count: 1, region: "xx-nowhere-1", spot: false }).ok).toBe(false);
  });

  it("normalizes the aliases people write", () => {
    const cases: Record<string, string> = {
      "a100-80gb": "A100-80GB",
      "nvidia-a100-80gb": "A100-80GB",
      "nvidia-tesla-a100": "A100-40GB",
      "nvidia-h100-mega-80gb": "H100",
      "nvidia-h200-141gb": "H200",
      "nvidia-l4": "L4",
      l40s: "L40S",
      a10g: "A10G",
      "Tesla V100": "V100",
      b200: "B200",
    };
    for (const [input, name] of Object.entries(cases)) expect(catalog.normalizeAccelerator(input), input).toBe(name);
    // A bare A100 is a family, not an accelerator: not normalized, and the miss names both sizes.
    expect(catalog.normalizeAccelerator("a100")).toBeUndefined();
    expect(catalog.findGpuInstance({ cloud: "aws", accelerator: "A100", count: 8, region: "us-east-1", spot: false })).toMatchObject({
      ok: false,
      code: "MLP_GPU_UNKNOWN",
      message: 'accelerator "A100" is ambiguous',
      hint: "say which: A100-40GB or A100-80GB",
    });
  });

  it("knows bare GCP n1 hosts as CPU types", () => {
    expect(catalog.instance("gcp", "n1-highmem-4")).toMatchObject({ acceleratorCount: 0, onDemandUsdPerHour: 0.23661 });
    expect(catalog.gpuInstance("gcp", "n1-highmem-4", "T4", 1)?.onDemandUsdPerHour).toBe(0.58661);
  });

  it("picks SageMaker types and knows which reject a volume KMS key", () => {
    const t4 = catalog.findSagemakerInstance("T4", 1);
    expect("instanceType" in t4 && t4.instanceType).toBe("ml.g4dn.xlarge");
    const l4 = catalog.findSagemakerInstance("L4", 1);
    expect("instanceType" in l4 && l4.instanceType).toBe("ml.g6.2xlarge");
    for (const t of ["ml.g6e.xlarge", "ml.p4d.24xlarge", "ml.p5.48xlarge", "ml.inf2.xlarge"]) expect(catalog.sagemakerInstance(t), t).toBeDefined();
    expect(catalog.sagemakerInstance("ml.g5.xlarge")?.volumeKmsAllowed).toBe(false);
    expect(catalog.sagemakerInstance("ml.inf2.xlarge")?.volumeKmsAllowed).toBe(true);
    expect(catalog.sagemakerInstance("ml.m5.xlarge")?.volumeKmsAllowed).toBe(true);
  });

  it("maps Container Apps GPUs to their workload profiles and Azure region names", () => {
    const profiles = Object.fromEntries(catalog.containerAppsGpuProfiles().map((p) => [p.accelerator, p]));
    expect(profiles.T4.profileType).toBe("Consumption-GPU-NC8as-T4");
    expect(profiles["A100-80GB"].profileType).toBe("Consumption-GPU-NC24-A100");
    expect(profiles["A100-80GB"].regions).toEqual(["australiaeast", "brazilsouth", "eastus", "italynorth", "swedencentral", "westus", "westus3"]);
    expect(profiles.T4.regions).toContain("westus3");
    expect(profiles.T4.regions).not.toContain("westus3 ");
  });

  it("lists Cloud Run GPU regions", () => {
    expect(catalog.cloudRunGpuRegions()).toEqual(expect.arrayContaining(["us-central1", "europe-west1", "europe-west4", "asia-southeast1"]));
    expect(catalog.cloudRunGpu()).toMatchObject({ accelerator: "L4", minCpu: 4, minMemoryGiB: 16 });
  });

  it("treats 1.31 to 1.35 as the supported window on 2026-11-25, with EKS 1.31 in extended support", () => {
    const today = "2026-11-25";
    expect(catalog.kubernetesVersionStatus("aws", "1.31", today).status).toBe("extended");
    expect(catalog.kubernetesVersionStatus("aws", "1.35", today).status).toBe("supported");
    expect(catalog.kubernetesVersionStatus("aws", "1.29", today).status).toBe("ended");
    expect(catalog.kubernetesVersionStatus("azure", "1.34", today).status).toBe("supported");
    expect(catalog.kubernetesVersionStatus("gcp", "1.35", today).status).toBe("supported");
    for (const cloud of CLOUDS)
      for (const v of ["1.32", "1.33", "1.34", "1.35"]) expect(["supported", "extended"], `${cloud} ${v}`).toContain(catalog.kubernetesVersionStatus(cloud, v, today).status);
  });

  it("knows each cloud's control-plane and NAT prices", () => {
    expect(catalog.servicePrice("aws", "eks", "cluster-standard-support")?.usdPerUnit).toBe(0.1);
    expect(catalog.servicePrice("aws", "eks", "cluster-extended-support")?.usdPerUnit).toBe(0.6);
    expect(catalog.servicePrice("gcp", "gke", "cluster-management-fee-standard")?.usdPerUnit).toBe(0.1);
    expect(catalog.servicePrice("azure", "aks", "standard-tier")?.usdPerUnit).toBe(0.1);
    expect(catalog.servicePrice("aws", "nat-gateway", "gateway-hour")?.usdPerUnit).toBe(0.045);
  });

  it("answers 300 GPU lookups quickly from the indexes", () => {
    const start = performance.now();
    for (let i = 0; i < 300; i++) {
      catalog.findGpuInstance({ cloud: CLOUDS[i % 3], accelerator: ["T4", "a100-80gb", "H100"][i % 3], count: 1 + (i % 2) * 7, region: "us-east-1", spot: i % 2 === 0 });
      catalog.instance("aws", "g6.xlarge");
    }
    expect(performance.now() - start).toBeLessThan(250);
  });
});

const SHARED = resolve(import.meta.dirname, "../../../shared/data");

describe("scripts/generate-catalog.mjs", () => {
  // No skip when the CSVs are missing: the check would silently not run. sharedDataDir() fails loudly.
  it("regenerates exactly the committed data files from the shared CSVs", () => {
    expect(sharedDataDir()).toBe(SHARED);
    const out = mkdtempSync(join(tmpdir(), "mlplat-catalog-"));
    try {
      execFileSync(process.execPath, [resolve(import.meta.dirname, "../../scripts/generate-catalog.mjs"), "--from", SHARED, "--out", out], { stdio: "pipe" });
      for (const name of Object.keys(CATALOG_FILES)) expect(readFileSync(join(out, name), "utf8"), name).toBe(readFileSync(join(catalogDataDir(), name), "utf8"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("fails with a clear message when the CSV folder is missing", () => {
    let stderr = "";
    try {
      execFileSync(process.execPath, [resolve(import.meta.dirname, "../../scripts/generate-catalog.mjs"), "--from", join(tmpdir(), "no-such-folder"), "--check"], { stdio: "pipe" });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/gpus\.csv not found\. Pass --from/);
  });
});
