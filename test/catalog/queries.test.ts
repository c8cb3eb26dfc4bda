import { describe, expect, it, vi } from "vitest";
import { buildTable, createCatalog } from "../../src/catalog/index.js";
import {
  checkInstanceType,
  didYouMean,
  findGpuInstance,
  findSagemakerInstance,
  gpuInstance,
  instance,
  kubernetesVersionStatus,
  minorVersion,
  nearestRegions,
  normalizeAccelerator,
} from "../../src/catalog/queries.js";
import type { InstanceRow, SagemakerRow } from "../../src/catalog/types.js";

/** A small table: enough rows to exercise ranking, counts, regions, fractions and GCP hosts. */
function row(r: Partial<InstanceRow> & Pick<InstanceRow, "cloud" | "instanceType">): InstanceRow {
  return { acceleratorCount: 0, referenceRegion: "us-east-1", regions: ["us-east-1"], ...r };
}

const rows: InstanceRow[] = [
  row({ cloud: "aws", instanceType: "g6.xlarge", accelerator: "L4", acceleratorCount: 1, onDemandUsdPerHour: 0.8, spotUsdPerHour: 0.35, regions: ["us-east-1", "us-west-2"] }),
  row({ cloud: "aws", instanceType: "g6.2xlarge", accelerator: "L4", acceleratorCount: 1, onDemandUsdPerHour: 0.98, spotUsdPerHour: 0.3, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "g6.12xlarge", accelerator: "L4", acceleratorCount: 4, onDemandUsdPerHour: 4.6, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "g6.48xlarge", accelerator: "L4", acceleratorCount: 8, onDemandUsdPerHour: 13.35, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "g6f.2xlarge", accelerator: "L4", acceleratorCount: 0.25, onDemandUsdPerHour: 0.2, regions: ["us-east-1"] }),
  // Two unpriced candidates and a priced one: the priced one wins, unpriced ties break by name.
  row({ cloud: "aws", instanceType: "p5.48xlarge", accelerator: "H100", acceleratorCount: 8, regions: ["us-east-1", "us-east-2", "us-west-2", "ap-south-1", "eu-west-2", "ca-central-1", "eu-north-1"] }),
  row({ cloud: "aws", instanceType: "p5x.48xlarge", accelerator: "H100", acceleratorCount: 8, onDemandUsdPerHour: 99, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "p5b.48xlarge", accelerator: "H100", acceleratorCount: 8, regions: ["us-west-2"] }),
  row({ cloud: "aws", instanceType: "p5a.48xlarge", accelerator: "H100", acceleratorCount: 8, regions: ["us-west-2"] }),
  // Equal prices: ties by name.
  row({ cloud: "aws", instanceType: "g4dn.xlarge", accelerator: "T4", acceleratorCount: 1, onDemandUsdPerHour: 0.5, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "g4ad.xlarge", accelerator: "T4", acceleratorCount: 1, onDemandUsdPerHour: 0.5, regions: ["us-east-1"] }),
  row({ cloud: "aws", instanceType: "m6i.large", vcpus: 2, memoryGiB: 8, onDemandUsdPerHour: 0.096, regions: [] }),
  row({ cloud: "azure", instanceType: "Standard_NC4as_T4_v3", accelerator: "T4", acceleratorCount: 1, onDemandUsdPerHour: 0.526, referenceRegion: "eastus", regions: ["eastus"] }),
  row({ cloud: "azure", instanceType: "Standard_NV6ads_A10_v5", accelerator: "A10", acceleratorCount: 0.167, onDemandUsdPerHour: 0.454, referenceRegion: "eastus", regions: ["eastus"] }),
  row({ cloud: "gcp", instanceType: "n1-highmem-4", accelerator: "T4", acceleratorCount: 1, acceleratorId: "nvidia-tesla-t4", attached: true, onDemandUsdPerHour: 0.58, referenceRegion: "us-central1", regions: ["us-central1"] }),
  row({ cloud: "gcp", instanceType: "n1-highmem-8", accelerator: "T4", acceleratorCount: 2, acceleratorId: "nvidia-tesla-t4", attached: true, onDemandUsdPerHour: 1.17, referenceRegion: "us-central1", regions: ["us-central1"] }),
  row({ cloud: "gcp", instanceType: "n1-highmem-8", accelerator: "V100", acceleratorCount: 1, acceleratorId: "nvidia-tesla-v100", attached: true, onDemandUsdPerHour: 2.95, referenceRegion: "us-central1", regions: ["us-central1"] }),
  row({ cloud: "gcp", instanceType: "n1-highmem-4", vcpus: 4, memoryGiB: 26, onDemandUsdPerHour: 0.24, referenceRegion: "us-central1", regions: [] }),
  row({ cloud: "gcp", instanceType: "a2-ultragpu-1g", accelerator: "A100-80GB", acceleratorCount: 1, acceleratorId: "nvidia-a100-80gb", attached: false, onDemandUsdPerHour: 2.95, referenceRegion: "us-central1", regions: ["us-central1"] }),
];

const sagemaker: SagemakerRow[] = [
  { instanceType: "ml.g6.xlarge", accelerator: "L4", acceleratorCount: 1, vcpus: 4, memoryGiB: 16, volumeKmsAllowed: false, referenceRegion: "us-east-1" },
  { instanceType: "ml.g6.2xlarge", accelerator: "L4", acceleratorCount: 1, vcpus: 8, memoryGiB: 32, usdPerHour: 1.222, volumeKmsAllowed: false, referenceRegion: "us-east-1" },
  { instanceType: "ml.g6.12xlarge", accelerator: "L4", acceleratorCount: 4, vcpus: 48, memoryGiB: 192, usdPerHour: 6, volumeKmsAllowed: false, referenceRegion: "us-east-1" },
];

const table = buildTable({
  instances: rows,
  sagemaker,
  gcpGpus: [{ accelerator: "T4", acceleratorId: "nvidia-tesla-t4", attached: true, machineFamilies: ["n1"], counts: [1, 2, 4] }],
  kubernetes: [
    { cloud: "aws", version: "1.31", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26", source: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html" },
    { cloud: "azure", version: "1.33", endOfStandardSupport: "2026-06-30", source: "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions" },
  ],
});

const q = (accelerator: string, count: number, extra: Partial<{ cloud: "aws" | "gcp" | "azure"; region: string; spot: boolean }> = {}) =>
  findGpuInstance(table, { cloud: "aws", region: "us-east-1", spot: false, accelerator, count, ...extra });

const picked = (r: ReturnType<typeof q>) => (r.ok ? r.row.instanceType : `${r.code}: ${r.message} | ${r.hint}`);

describe("accelerator names", () => {
  it("normalizes any case, separators and vendor prefixes to the catalog's name", () => {
    for (const s of ["a100-80gb", "A100_80GB", "nvidia-a100-80gb", "NVIDIA A100 80GB"]) expect(normalizeAccelerator(table, s)).toBe("A100-80GB");
    expect(normalizeAccelerator(table, "l4")).toBe("L4");
    expect(normalizeAccelerator(table, "nvidia-l4")).toBe("L4");
    expect(normalizeAccelerator(table, "nvidia-tesla-t4")).toBe("T4");
    expect(normalizeAccelerator(table, "tesla-t4")).toBe("T4");
  });

  it("never maps a bare A100 to one size: it is ambiguous even where only the 40 GB part exists", () => {
    expect(normalizeAccelerator(table, "a100")).toBeUndefined();
    const withForty = buildTable({ instances: [row({ cloud: "aws", instanceType: "p4d.24xlarge", accelerator: "A100-40GB", acceleratorCount: 8 })] });
    expect(normalizeAccelerator(withForty, "A100")).toBeUndefined();
  });

  it("returns undefined for names it does not know", () => {
    expect(normalizeAccelerator(table, "RTX-4090")).toBeUndefined();
    expect(normalizeAccelerator(table, "nvidia")).toBeUndefined();
  });

  it("suggests close names first and ignores far ones", () => {
    expect(didYouMean("a10", ["A10G", "A100-40GB", "H100"])).toEqual(["A10G", "A100-40GB"]);
    expect(didYouMean("L5", ["L4", "L40S", "T4"])).toEqual(["L4"]);
    expect(didYouMean("A100-90GB", ["A100-80GB", "A100-40GB", "A10"])).toEqual(["A100-40GB", "A100-80GB"]);
    expect(didYouMean("quantum", ["L4", "T4"])).toEqual([]);
  });
});

describe("findGpuInstance", () => {
  it("picks the cheapest on-demand instance with exactly that count in the region", () => {
    expect(picked(q("L4", 1))).toBe("g6.xlarge");
  });

  it("ranks by spot price when the pool is spot", () => {
    expect(picked(q("L4", 1, { spot: true }))).toBe("g6.2xlarge");
  });

  it("only considers instances offered in the region", () => {
    expect(picked(q("L4", 1, { region: "us-west-2", spot: true }))).toBe("g6.xlarge");
  });

  it("ranks unpriced rows after priced ones, and unpriced ties by name", () => {
    expect(picked(q("H100", 8))).toBe("p5x.48xlarge");
    expect(picked(q("H100", 8, { region: "us-west-2" }))).toBe("p5.48xlarge");
  });

  it("breaks equal prices by instance name", () => {
    expect(picked(q("T4", 1))).toBe("g4ad.xlarge");
  });

  it("never picks a fractional GPU row for a whole count", () => {
    const r = q("L4", 2);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("MLP_GPU_COUNT");
    expect(r.message).toBe("L4 comes in counts 1, 4, 8 on aws");
    expect(r.hint).toBe("set the count to 1, 4 or 8 (g6f.2xlarge has 0.25 of one: fractional types are never chosen for a whole count)");
    expect(r.suggestions).toEqual(["1", "4", "8"]);
  });

  it("rejects a count of zero or a fraction with the counts that exist", () => {
    expect(picked(q("L4", 0.25))).toMatch(/^MLP_GPU_COUNT: L4 comes in counts 1, 4, 8 on aws/);
    expect(picked(q("L4", 0))).toMatch(/^MLP_GPU_COUNT/);
  });

  it("lists where the accelerator is offered when the region has none, nearest first", () => {
    const r = q("H100", 8, { region: "us-west-1" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("MLP_GPU_NOT_IN_REGION");
    expect(r.message).toBe("H100 ×8 is not offered on aws in us-west-1");
    expect(r.hint).toBe("H100 ×8 is offered in us-west-2, us-east-1, us-east-2, ap-south-1, ca-central-1, eu-north-1, … (7 regions)");
  });

  it("says which counts the region does have", () => {
    const r = q("L4", 4, { region: "us-west-2" });
    expect(picked(r)).toBe("MLP_GPU_NOT_IN_REGION: L4 ×4 is not offered on aws in us-west-2 | L4 ×4 is offered in us-east-1; in us-west-2 it comes in counts 1");
  });

  it("suggests close names for an unknown accelerator", () => {
    const r = q("L5", 1);
    expect(picked(r)).toBe('MLP_GPU_UNKNOWN: unknown accelerator "L5" | did you mean L4?');
  });

  it("names the clouds that offer an accelerator the cloud does not", () => {
    const r = q("A10", 1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("MLP_GPU_NOT_ON_CLOUD");
    expect(r.message).toBe("A10 is not offered on aws");
    expect(r.hint).toBe("aws offers H100, L4, T4; A10 is offered on azure");
  });

  it("treats an accelerator offered only as a fraction on a cloud as not offered in whole counts", () => {
    const r = q("A10", 1, { cloud: "azure", region: "eastus" });
    expect(picked(r)).toMatch(/^MLP_GPU_NOT_ON_CLOUD: A10 is not offered on azure/);
  });

  it("resolves GCP attached GPUs to their n1 host with the accelerator id", () => {
    const r = q("nvidia-tesla-t4", 2, { cloud: "gcp", region: "us-central1" });
    expect(r.ok && [r.row.instanceType, r.row.acceleratorId, r.row.attached]).toEqual(["n1-highmem-8", "nvidia-tesla-t4", true]);
  });
});

describe("regions the source did not survey", () => {
  const partial = buildTable({
    instances: rows,
    regions: { aws: ["us-east-1", "us-west-2", "sa-east-1"], gcp: [], azure: [] },
    surveyedRegions: { aws: ["us-east-1", "us-west-2"], gcp: [], azure: [] },
  });

  // issue 15: the catalog lists the regions of these types, so a region outside the list is an
  // error with the list, as `catalog gpus --region` says; the hint says the data may be behind.
  it("misses with the list, and says the source did not survey the region", () => {
    const r = findGpuInstance(partial, { cloud: "aws", accelerator: "L4", count: 4, region: "sa-east-1", spot: false });
    expect(r).toMatchObject({ ok: false, code: "MLP_GPU_NOT_IN_REGION", message: "L4 ×4 is not offered on aws in sa-east-1" });
    expect(!r.ok && r.hint).toMatch(
      /^L4 ×4 is offered in us-east-1\. The catalog's aws availability data does not cover sa-east-1: if aws offers it there now, refresh the catalog \(npm run catalog:generate\) or choose a listed region$/,
    );
  });

  it("misses in surveyed regions without that note", () => {
    const r = findGpuInstance(partial, { cloud: "aws", accelerator: "L4", count: 4, region: "us-west-2", spot: false });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.hint).not.toContain("does not cover");
  });

  it("refuses an explicit type there with the same list", () => {
    expect(checkInstanceType(partial, "aws", "g6.2xlarge", "sa-east-1")).toMatchObject({ ok: false, code: "MLP_INSTANCE_NOT_IN_REGION", hint: expect.stringContaining("does not cover sa-east-1") });
  });
});

describe("instance lookups", () => {
  it("returns the bare host for a GCP n1 type that also carries attached GPUs", () => {
    expect(instance(table, "gcp", "n1-highmem-4")).toMatchObject({ acceleratorCount: 0, onDemandUsdPerHour: 0.24 });
  });

  it("returns undefined for an n1 type known only with attached GPUs", () => {
    expect(instance(table, "gcp", "n1-highmem-8")).toBeUndefined();
  });

  it("finds the host+GPU row by accelerator and count", () => {
    expect(gpuInstance(table, "gcp", "n1-highmem-8", "V100", 1)?.onDemandUsdPerHour).toBe(2.95);
    expect(gpuInstance(table, "gcp", "n1-highmem-8", "t4", 2)?.onDemandUsdPerHour).toBe(1.17);
    expect(gpuInstance(table, "gcp", "n1-highmem-8", "T4", 1)).toBeUndefined();
  });

  it("matches Azure VM sizes case-insensitively", () => {
    expect(instance(table, "azure", "standard_nc4as_t4_v3")?.instanceType).toBe("Standard_NC4as_T4_v3");
  });

  it("suggests close names for an unknown explicit instance type", () => {
    const r = checkInstanceType(table, "aws", "g6.xlarg", "us-east-1");
    expect(r).toMatchObject({ ok: false, code: "MLP_INSTANCE_UNKNOWN", suggestions: ["g6.xlarge", "g6.2xlarge"] });
  });

  it("rejects an explicit type outside its regions, and accepts CPU types without a region list", () => {
    expect(checkInstanceType(table, "aws", "g6.2xlarge", "us-west-2")).toMatchObject({
      ok: false,
      code: "MLP_INSTANCE_NOT_IN_REGION",
      message: "g6.2xlarge is not offered on aws in us-west-2",
      hint: "g6.2xlarge is offered in us-east-1",
    });
    expect(checkInstanceType(table, "aws", "m6i.large", "eu-west-1").ok).toBe(true);
  });
});

describe("SageMaker", () => {
  it("picks the cheapest priced type, with unpriced types last", () => {
    const r = findSagemakerInstance(table, "l4", 1);
    expect("instanceType" in r && r.instanceType).toBe("ml.g6.2xlarge");
  });

  it("lists the counts that exist", () => {
    expect(findSagemakerInstance(table, "L4", 2)).toMatchObject({ ok: false, code: "MLP_GPU_COUNT", message: "L4 comes in counts 1, 4 on SageMaker" });
  });

  it("points to runtime: kubernetes for an accelerator SageMaker lacks", () => {
    expect(findSagemakerInstance(table, "H100", 8)).toMatchObject({
      ok: false,
      code: "MLP_GPU_NOT_ON_CLOUD",
      hint: "SageMaker offers L4; or use runtime: kubernetes on a H100 node pool",
    });
  });
});

describe("Kubernetes versions", () => {
  it("reports supported, extended, ended and unknown by date", () => {
    expect(kubernetesVersionStatus(table, "aws", "1.31", "2025-11-26")).toEqual({ status: "supported", endOfStandardSupport: "2025-11-26" });
    expect(kubernetesVersionStatus(table, "aws", "1.31.4", "2026-01-01")).toEqual({
      status: "extended",
      endOfStandardSupport: "2025-11-26",
      endOfExtendedSupport: "2026-11-26",
    });
    expect(kubernetesVersionStatus(table, "aws", "v1.31", "2026-11-27").status).toBe("ended");
    expect(kubernetesVersionStatus(table, "azure", "1.33", "2026-07-01").status).toBe("ended");
    expect(kubernetesVersionStatus(table, "aws", "1.99", "2026-01-01").status).toBe("unknown");
    expect(kubernetesVersionStatus(table, "aws", "latest", "2026-01-01").status).toBe("unknown");
  });

  it("reads minor versions from patch and v-prefixed forms", () => {
    expect(minorVersion("1.33")).toBe("1.33");
    expect(minorVersion("v1.33.2")).toBe("1.33");
    expect(minorVersion("1.33.2-eks.1")).toBe("1.33");
    expect(minorVersion("1")).toBeUndefined();
  });
});

describe("region ordering", () => {
  it("puts regions sharing the longest prefix first, then the reference region", () => {
    expect(nearestRegions(["ap-south-1", "us-east-1", "us-west-2", "eu-west-1"], "us-west-1", "us-east-1")).toEqual(["us-west-2", "us-east-1", "ap-south-1", "eu-west-1"]);
    expect(nearestRegions(["b", "us-east-1", "a"], "sa-east-1", "us-east-1")).toEqual(["us-east-1", "a", "b"]);
  });
});

describe("createCatalog", () => {
  it("exposes the table through the Catalog interface", () => {
    const c = createCatalog(table);
    expect(c.version).toBe("test");
    expect(c.accelerators("gcp")).toEqual(["A100-80GB", "T4", "V100"]);
    expect(c.accelerators()).toContain("A10");
    expect(c.defaultCpuInstance("aws")).toBe("m6i.large");
    expect(c.instances("azure").map((r) => r.instanceType)).toEqual(["Standard_NC4as_T4_v3", "Standard_NV6ads_A10_v5"]);
    expect(c.kubernetesVersions("aws").map((v) => v.version)).toEqual(["1.31"]);
  });

  it("lists Kubernetes versions oldest first, numerically (1.9 before 1.10), without building an ICU collator", () => {
    const k = (version: string) => ({ cloud: "gcp" as const, version, endOfStandardSupport: "2030-01-01", source: "https://example.com" });
    const c = createCatalog(buildTable({ instances: [], kubernetes: [k("1.10"), k("1.9"), k("1.33"), k("1.100"), k("1.2")] }));
    const collate = vi.spyOn(String.prototype, "localeCompare");
    const listed = c.kubernetesVersions("gcp").map((v) => v.version);
    expect(collate).not.toHaveBeenCalled();
    collate.mockRestore();
    expect(listed).toEqual(["1.2", "1.9", "1.10", "1.33", "1.100"]);
    // the order localeCompare's numeric collation gives (what the catalog used before issue 19)
    expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b, "en", { numeric: true })));
  });
});
