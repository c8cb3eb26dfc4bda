/**
 * The catalog: `loadCatalog()` reads the committed data files once (synchronously, relative to
 * the package root so it works from the sources and from dist/), checks them with the zod
 * schemas, builds the indexes and returns the `Catalog` the blueprint rules, targets and the
 * cost estimate call. `createCatalog(table)` wraps any table (tests build small ones inline).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { packageRoot } from "../util/package-root.js";
import { MlplatError, EXIT } from "../util/errors.js";
import * as q from "./queries.js";
import { CATALOG_FILE_NAMES, catalogFileSchemas, type CatalogFileSchemas } from "./schema.js";
import { buildTable, type CatalogDataInput, type CatalogTable } from "./table.js";
import type { Catalog } from "./types.js";
import { acceleratorZones, provisioningLimit } from "./zones.js";

export type { CatalogData, CatalogDataInput, CatalogTable } from "./table.js";
export { buildTable } from "./table.js";

/** Folder of the data files. */
export function catalogDataDir(): string {
  return join(packageRoot(), "src", "catalog", "data");
}

type Files = { [K in keyof CatalogFileSchemas]: z.infer<CatalogFileSchemas[K]> };

/**
 * Reads and validates every data file. Throws an internal error naming the file and field on bad
 * data. Files whose bytes match `checksums.json` (written by the generator; the test suite
 * validates exactly those bytes with the zod schemas) are not re-validated: the zod pass costs
 * 15-60 ms, more than the rest of `mlplat validate`. Any other content is validated here.
 */
export function readCatalogFiles(dir = catalogDataDir(), opts: { verify?: boolean } = {}): Files {
  const out: Partial<Record<keyof Files, unknown>> = {};
  const sums = readChecksums(dir);
  for (const name of CATALOG_FILE_NAMES) {
    const path = join(dir, name);
    let json: unknown;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
      json = JSON.parse(text);
    } catch (cause) {
      throw new MlplatError("MLP_CATALOG_UNREADABLE", `cannot read the catalog file ${path}`, { exitCode: EXIT.internal, cause });
    }
    if (!opts.verify && sums[name] !== undefined && sums[name] === createHash("sha256").update(text).digest("hex")) {
      out[name] = json;
      continue;
    }
    const parsed = catalogFileSchemas()[name].safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new MlplatError("MLP_CATALOG_INVALID", `the catalog file ${path} does not match its schema`, {
        exitCode: EXIT.internal,
        details: first,
        hint: "regenerate it with `npm run catalog:generate`",
      });
    }
    out[name] = parsed.data;
  }
  return out as Files;
}

/** The generator's record of the files' exact bytes; empty when absent or unreadable. */
function readChecksums(dir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dir, "checksums.json"), "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Merges the files into the table input. */
export function catalogDataFromFiles(files: Files): CatalogDataInput {
  const i = files["instances.json"];
  const s = files["services.json"];
  return {
    version: i.version,
    instances: i.rows,
    defaults: i.defaults,
    surveyedRegions: i.surveyedRegions,
    sagemaker: files["sagemaker.json"].rows,
    services: s.rows,
    cloudRun: s.cloudRun,
    containerApps: s.containerApps,
    regions: files["regions.json"].regions,
    kubernetes: files["kubernetes.json"].rows,
    gcpGpus: files["gcp-gpus.json"].rules,
    zones: files["zones.json"].rows,
    provisioning: files["zones.json"].provisioning,
    zoneSources: Object.fromEntries(files["zones.json"].sources.map((s) => [s.id, s.url])),
  };
}

/** The `Catalog` interface over a table. */
export function createCatalog(table: CatalogTable): Catalog {
  return {
    version: table.data.version,
    normalizeAccelerator: (name) => q.normalizeAccelerator(table, name),
    accelerators: (cloud) => q.accelerators(table, cloud),
    findGpuInstance: (query) => q.findGpuInstance(table, query),
    instance: (cloud, type) => q.instance(table, cloud, type),
    defaultCpuInstance: (cloud) => q.defaultCpuInstance(table, cloud),
    regions: (cloud) => q.regions(table, cloud),
    findSagemakerInstance: (accelerator, count) => q.findSagemakerInstance(table, accelerator, count),
    sagemakerInstance: (type) => q.sagemakerInstance(table, type),
    defaultSagemakerCpuInstance: () => table.data.defaults.sagemakerCpuInstance,
    cloudRunGpuRegions: () => table.data.cloudRun.gpuRegions,
    containerAppsGpuProfiles: () => table.data.containerApps,
    kubernetesVersions: (cloud) => q.kubernetesVersions(table, cloud),
    kubernetesVersionStatus: (cloud, version, today) => q.kubernetesVersionStatus(table, cloud, version, today),
    instances: (cloud) => q.instances(table, cloud),
    gpuInstance: (cloud, type, accelerator, count) => q.gpuInstance(table, cloud, type, accelerator, count),
    checkInstanceType: (cloud, type, region) => q.checkInstanceType(table, cloud, type, region),
    sagemakerInstances: () => table.data.sagemaker,
    servicePrice: (cloud, service, sku) => q.servicePrice(table, cloud, service, sku),
    cloudRunGpu: () => table.data.cloudRun,
    gcpGpuRules: () => table.data.gcpGpus,
    acceleratorZones: (cloud, region, accelerator, instanceType) => acceleratorZones(table.data, cloud, region, accelerator, instanceType),
    provisioningLimit: (cloud, instanceType) => provisioningLimit(table.data, cloud, instanceType),
  };
}

let cached: Catalog | undefined;

/** The catalog from the committed data files; read and indexed on the first call only. */
export function loadCatalog(): Catalog {
  cached ??= createCatalog(buildTable(catalogDataFromFiles(readCatalogFiles())));
  return cached;
}
