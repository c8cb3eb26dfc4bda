/**
 * The in-memory catalog table: the data files' rows plus indexes built once, so every query is
 * a map lookup and a scan over a handful of rows (a 300-pool blueprint resolves in linear time).
 * Pure: no I/O here; `./index.ts` reads the files, tests build small tables inline.
 */
import type { Cloud } from "../model/platform.js";
import type {
  CloudRunGpuFacts,
  ContainerAppsGpuProfile,
  GcpGpuRule,
  InstanceRow,
  ProvisioningLimit,
  ZoneRow,
  KubernetesVersionRow,
  SagemakerRow,
  ServicePriceRow,
} from "./types.js";

/** Everything the data files hold, merged. */
export interface CatalogData {
  readonly version: string;
  readonly instances: readonly InstanceRow[];
  readonly defaults: {
    readonly cpuInstance: Readonly<Record<Cloud, string>>;
    readonly sagemakerCpuInstance: string;
  };
  readonly sagemaker: readonly SagemakerRow[];
  readonly services: readonly ServicePriceRow[];
  readonly cloudRun: CloudRunGpuFacts;
  readonly containerApps: readonly ContainerAppsGpuProfile[];
  readonly regions: Readonly<Record<Cloud, readonly string[]>>;
  /**
   * Regions whose availability the source surveyed, per cloud; a region outside it has no
   * availability data (absent: every region is surveyed).
   */
  readonly surveyedRegions?: Readonly<Record<Cloud, readonly string[]>>;
  readonly kubernetes: readonly KubernetesVersionRow[];
  readonly gcpGpus: readonly GcpGpuRule[];
  /** Per-zone accelerator availability and provisioning limits (zones.json); source id → URL. */
  readonly zones: readonly ZoneRow[];
  readonly provisioning: readonly ProvisioningLimit[];
  readonly zoneSources: Readonly<Record<string, string>>;
}

/** Input for `buildTable`: only `instances` is required, so tests can build small tables. */
export type CatalogDataInput = Partial<CatalogData> & Pick<CatalogData, "instances">;

export interface CatalogTable {
  readonly data: CatalogData;
  /** `cloud/lowercased type` → rows (several for GCP n1 hosts: one per attached GPU and count, plus the bare host). */
  readonly byType: ReadonlyMap<string, readonly InstanceRow[]>;
  /** `cloud/accelerator` → rows with whole accelerator counts, sorted by count then name. */
  readonly byAccelerator: ReadonlyMap<string, readonly InstanceRow[]>;
  /** `cloud/accelerator` → fractional rows (kept for `mlplat catalog`, never chosen). */
  readonly fractional: ReadonlyMap<string, readonly InstanceRow[]>;
  /** Compact spelling (`a10080gb`, `nvidiateslat4`) → normalized accelerator name. */
  readonly aliases: ReadonlyMap<string, string>;
  /** Normalized accelerator → clouds offering it (instances or SageMaker). */
  readonly acceleratorClouds: ReadonlyMap<string, readonly Cloud[]>;
  /** Cloud → its instance type names (for did-you-mean). */
  readonly typeNames: ReadonlyMap<Cloud, readonly string[]>;
  readonly regionSets: ReadonlyMap<Cloud, ReadonlySet<string>>;
  /** Cloud → surveyed regions; a cloud absent here is fully surveyed. */
  readonly surveyed: ReadonlyMap<Cloud, ReadonlySet<string>>;
  readonly sagemakerByType: ReadonlyMap<string, SagemakerRow>;
  readonly services: ReadonlyMap<string, ServicePriceRow>;
  readonly kubernetes: ReadonlyMap<string, KubernetesVersionRow>;
}

/** Lowercase alphanumerics only: `A100-80GB`, `a100_80gb` and `A100 80GB` all become `a10080gb`. */
export function compact(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export const typeKey = (cloud: Cloud, instanceType: string): string => `${cloud}/${instanceType.toLowerCase()}`;
export const acceleratorKey = (cloud: Cloud, accelerator: string): string => `${cloud}/${accelerator}`;
export const serviceKey = (cloud: Cloud, service: string, sku: string): string => `${cloud}/${service}/${sku}`;

/**
 * Spellings people use besides the normalized names and GCP ids. Only aliases whose target is
 * in the table are registered, so small test tables stay consistent. A bare `A100` is not one:
 * it is ambiguous (40 or 80 GB), and the unknown-accelerator error lists both.
 */
const EXTRA_ALIASES: Readonly<Record<string, string>> = {
  a10040g: "A100-40GB",
  a10080g: "A100-80GB",
  h10080gb: "H100",
  h100mega: "H100",
  h100mega80gb: "H100",
  h100nvl: "H100",
  h200141gb: "H200",
  b200180gb: "B200",
  v10016gb: "V100",
  v10032g: "V100-32GB",
  l40: "L40S",
  inf2: "Inferentia2",
  inf1: "Inferentia",
};

const EMPTY_CLOUD_RUN: CloudRunGpuFacts = {
  accelerator: "L4",
  acceleratorCount: 1,
  minCpu: 4,
  minMemoryGiB: 16,
  gpuRegions: [],
  regionNotes: {},
};

function byCountThenName(a: InstanceRow, b: InstanceRow): number {
  return a.acceleratorCount - b.acceleratorCount || naturalCompare(a.instanceType, b.instanceType);
}

/**
 * `g5.2xlarge` before `g5.12xlarge`. Hand-written because `localeCompare` with options builds an
 * ICU collator per call: it was the largest single cost of `mlplat validate` (~18 ms).
 */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the indexes once. */
export function buildTable(input: CatalogDataInput): CatalogTable {
  const data: CatalogData = {
    version: input.version ?? "test",
    instances: input.instances,
    defaults: input.defaults ?? { cpuInstance: { aws: "m6i.large", gcp: "e2-standard-4", azure: "Standard_D4s_v5" }, sagemakerCpuInstance: "ml.m5.xlarge" },
    sagemaker: input.sagemaker ?? [],
    services: input.services ?? [],
    cloudRun: input.cloudRun ?? EMPTY_CLOUD_RUN,
    containerApps: input.containerApps ?? [],
    regions: input.regions ?? { aws: [], gcp: [], azure: [] },
    surveyedRegions: input.surveyedRegions,
    kubernetes: input.kubernetes ?? [],
    gcpGpus: input.gcpGpus ?? [],
    zones: input.zones ?? [],
    provisioning: input.provisioning ?? [],
    zoneSources: input.zoneSources ?? {},
  };

  const byType = new Map<string, InstanceRow[]>();
  const byAccelerator = new Map<string, InstanceRow[]>();
  const fractional = new Map<string, InstanceRow[]>();
  const acceleratorClouds = new Map<string, Cloud[]>();
  const typeNames = new Map<Cloud, string[]>();
  for (const row of data.instances) {
    const key = typeKey(row.cloud, row.instanceType);
    if (!byType.has(key)) push(typeNames, row.cloud, row.instanceType);
    push(byType, key, row);
    if (row.accelerator === undefined) continue;
    const clouds = acceleratorClouds.get(row.accelerator) ?? [];
    if (!clouds.includes(row.cloud)) acceleratorClouds.set(row.accelerator, [...clouds, row.cloud]);
    push(Number.isInteger(row.acceleratorCount) ? byAccelerator : fractional, acceleratorKey(row.cloud, row.accelerator), row);
  }
  for (const rows of byAccelerator.values()) rows.sort(byCountThenName);
  for (const rows of fractional.values()) rows.sort(byCountThenName);

  const aliases = new Map<string, string>();
  const canonical = new Set<string>();
  for (const row of data.instances) if (row.accelerator) canonical.add(row.accelerator);
  for (const row of data.sagemaker) if (row.accelerator) canonical.add(row.accelerator);
  for (const p of data.containerApps) canonical.add(p.accelerator);
  for (const name of canonical) aliases.set(compact(name), name);
  for (const [alias, target] of Object.entries(EXTRA_ALIASES)) if (canonical.has(target) && !aliases.has(alias)) aliases.set(alias, target);
  for (const rule of data.gcpGpus) if (canonical.has(rule.accelerator)) aliases.set(compact(rule.acceleratorId), rule.accelerator);
  for (const row of data.sagemaker) {
    if (!row.accelerator) continue;
    const clouds = acceleratorClouds.get(row.accelerator) ?? [];
    if (!clouds.includes("aws")) acceleratorClouds.set(row.accelerator, [...clouds, "aws"]);
  }

  const regionSets = new Map<Cloud, ReadonlySet<string>>();
  for (const [cloud, regions] of Object.entries(data.regions) as [Cloud, readonly string[]][]) regionSets.set(cloud, new Set(regions));

  const surveyed = new Map<Cloud, ReadonlySet<string>>();
  for (const [cloud, regions] of Object.entries(data.surveyedRegions ?? {}) as [Cloud, readonly string[]][]) surveyed.set(cloud, new Set(regions));

  return {
    data,
    surveyed,
    byType,
    byAccelerator,
    fractional,
    aliases,
    acceleratorClouds,
    typeNames,
    regionSets,
    sagemakerByType: new Map(data.sagemaker.map((r) => [r.instanceType.toLowerCase(), r])),
    services: new Map(data.services.map((r) => [serviceKey(r.cloud, r.service, r.sku), r])),
    kubernetes: new Map(data.kubernetes.map((r) => [`${r.cloud}/${r.version}`, r])),
  };
}
