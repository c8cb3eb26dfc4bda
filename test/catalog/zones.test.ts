import { describe, expect, it } from "vitest";
import { loadCatalog, readCatalogFiles } from "../../src/catalog/index.js";

/** Per-zone accelerator availability (zones.json) through the public catalog. */
describe("catalog zones", () => {
  const catalog = loadCatalog();

  it("validates zones.json with its schema", () => {
    expect(() => readCatalogFiles(undefined, { verify: true })).not.toThrow();
  });

  it("A100-80GB in us-central1 is only in zones a and c (the first-deploy failure of a regional pool)", () => {
    expect(catalog.acceleratorZones("gcp", "us-central1", "A100-80GB", "a2-ultragpu-8g")).toMatchObject({
      known: true,
      zones: ["us-central1-a", "us-central1-c"],
    });
  });

  it("picks the machine family's row: a2-megagpu is narrower than a2-highgpu in asia-southeast1", () => {
    const high = catalog.acceleratorZones("gcp", "asia-southeast1", "A100-40GB", "a2-highgpu-1g");
    const mega = catalog.acceleratorZones("gcp", "asia-southeast1", "A100-40GB", "a2-megagpu-16g");
    expect(high).toMatchObject({ known: true, zones: ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"] });
    expect(mega).toMatchObject({ known: true, zones: ["asia-southeast1-a", "asia-southeast1-c"] });
  });

  it("a complete row without the region means none; a partial row or no row means unknown", () => {
    expect(catalog.acceleratorZones("gcp", "europe-west9", "A100-80GB", "a2-ultragpu-1g")).toMatchObject({ known: true, zones: [] });
    expect(catalog.acceleratorZones("aws", "ap-northeast-1", "L4", "g6.xlarge")).toEqual({ known: false });
    expect(catalog.acceleratorZones("aws", "us-east-1", "L4", "g6.xlarge")).toMatchObject({ known: true, zones: ["use1-az1", "use1-az2", "use1-az4", "use1-az6"] });
    expect(catalog.acceleratorZones("azure", "eastus", "T4", "Standard_NC4as_T4_v3")).toEqual({ known: false });
  });

  it("every source id a row names is declared with a URL", () => {
    const files = readCatalogFiles();
    const ids = new Set(files["zones.json"].sources.map((s) => s.id));
    for (const row of files["zones.json"].rows) expect(ids.has(row.source), row.source).toBe(true);
    for (const p of files["zones.json"].provisioning) expect(ids.has(p.source), p.source).toBe(true);
  });

  it("every zone is named after its region", () => {
    for (const row of readCatalogFiles()["zones.json"].rows) {
      for (const [region, zones] of Object.entries(row.zones)) {
        for (const z of zones) {
          if (row.cloud === "gcp") expect(z.startsWith(`${region}-`), z).toBe(true);
        }
      }
    }
  });

  it("a3-highgpu-1g/2g/4g come only as spot or flex-start; 8g is unrestricted", () => {
    expect(catalog.provisioningLimit("gcp", "a3-highgpu-2g")?.models).toEqual(["spot", "flex-start"]);
    expect(catalog.provisioningLimit("gcp", "a3-highgpu-8g")).toBeUndefined();
  });
});
