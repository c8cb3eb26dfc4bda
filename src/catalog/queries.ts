/**
 * Catalog queries: pure functions over a `CatalogTable`. Every GPU, count, region and instance
 * type error the blueprint rules report comes from here, with near misses (did-you-mean names,
 * the counts that exist, the regions that offer it), so messages stay consistent and testable.
 */
import { CLOUDS, type Cloud } from "../model/platform.js";
import { acceleratorKey, compact, naturalCompare, serviceKey, typeKey, type CatalogTable } from "./table.js";
import type {
  GpuMiss,
  GpuQuery,
  GpuQueryResult,
  InstanceCheckResult,
  InstanceRow,
  KubernetesVersionStatus,
  SagemakerRow,
  ServicePriceRow,
} from "./types.js";

/** How many regions a hint lists before `…`. */
const MAX_REGIONS_SHOWN = 6;

// ---------------------------------------------------------------------------------------------
// Names and near misses
// ---------------------------------------------------------------------------------------------

/** `a100-80gb`, `nvidia-a100-80gb`, `NVIDIA A100 80GB`, `nvidia-tesla-t4` → normalized name. */
export function normalizeAccelerator(table: CatalogTable, name: string): string | undefined {
  let key = compact(name);
  for (;;) {
    const hit = table.aliases.get(key);
    if (hit) return hit;
    const stripped = key.replace(/^(nvidia|tesla|amd|aws)/, "");
    if (stripped === key || stripped === "") return undefined;
    key = stripped;
  }
}

/** Edit distance (insert, delete, substitute), for did-you-mean. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidates close to `input` (compared in compact form), closest first. A candidate is
 * close when it is within a third of the input's length in edits, or starts with the input
 * (`a10` → `A10G`).
 */
export function didYouMean(input: string, candidates: readonly string[], max = 3): string[] {
  const key = compact(input);
  const limit = Math.max(1, Math.floor(key.length / 3));
  return candidates
    .map((c) => {
      const ck = compact(c);
      const raw = editDistance(key, ck);
      const prefix = key.length >= 2 && ck.startsWith(key);
      return { c, d: prefix ? Math.min(raw, limit) : raw, raw };
    })
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.raw - y.raw || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** `1, 4 or 8`. */
function orList(items: readonly (string | number)[]): string {
  const s = items.map(String);
  return s.length <= 1 ? (s[0] ?? "") : `${s.slice(0, -1).join(", ")} or ${s[s.length - 1]}`;
}

/**
 * Regions ordered for a hint: the ones sharing the longest prefix with the requested region first
 * (`us-west-1` → `us-west-2`, then other `us-` regions), then the reference region, then by name.
 */
export function nearestRegions(regions: readonly string[], requested: string, referenceRegion?: string): string[] {
  const shared = (r: string) => {
    let i = 0;
    while (i < r.length && i < requested.length && r[i] === requested[i]) i++;
    // Only whole tokens count: `us-e` shares `us-` with `us-west-2`, not more.
    return r.slice(0, i).replace(/[^-]*$/, "").length;
  };
  return [...regions].sort(
    (a, b) => shared(b) - shared(a) || Number(b === referenceRegion) - Number(a === referenceRegion) || a.localeCompare(b, "en", { numeric: true }),
  );
}

function regionList(regions: readonly string[]): string {
  const shown = regions.slice(0, MAX_REGIONS_SHOWN).join(", ");
  return regions.length > MAX_REGIONS_SHOWN ? `${shown}, … (${regions.length} regions)` : shown;
}

const times = (accelerator: string, count: number) => `${accelerator} ×${count}`;

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

/** The price a pool pays per hour: spot or on-demand; undefined when the catalog has none. */
export function hourlyPrice(row: InstanceRow, spot: boolean): number | undefined {
  return spot ? row.spotUsdPerHour : row.onDemandUsdPerHour;
}

/** Cheapest first; unpriced rows after priced ones; ties by name. */
export function byPrice(spot: boolean): (a: InstanceRow, b: InstanceRow) => number {
  return (a, b) => {
    const pa = hourlyPrice(a, spot);
    const pb = hourlyPrice(b, spot);
    if (pa !== undefined && pb !== undefined && pa !== pb) return pa - pb;
    if ((pa === undefined) !== (pb === undefined)) return pa === undefined ? 1 : -1;
    return a.instanceType.localeCompare(b.instanceType, "en", { numeric: true });
  };
}

/** Known accelerators of a cloud (instances and, for aws, SageMaker), or of every cloud. */
export function accelerators(table: CatalogTable, cloud?: Cloud): string[] {
  const names: string[] = [];
  for (const [name, clouds] of table.acceleratorClouds) if (!cloud || clouds.includes(cloud)) names.push(name);
  return names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

function unknownAccelerator(table: CatalogTable, name: string, cloud: Cloud | undefined): GpuMiss {
  const known = accelerators(table);
  // `A100` names a family, not an accelerator: list its members (A100-40GB, A100-80GB).
  const family = compact(name) ? known.filter((k) => compact(k).startsWith(compact(name)) && compact(k) !== compact(name)) : [];
  if (family.length > 1)
    return { ok: false, code: "MLP_GPU_UNKNOWN", message: `accelerator "${name}" is ambiguous`, hint: `say which: ${orList(family)}`, suggestions: family };
  const close = didYouMean(name, known);
  const onCloud = cloud ? accelerators(table, cloud) : known;
  return {
    ok: false,
    code: "MLP_GPU_UNKNOWN",
    message: `unknown accelerator "${name}"`,
    hint: close.length
      ? `did you mean ${orList(close)}?`
      : `known accelerators${cloud ? ` on ${cloud}` : ""}: ${onCloud.join(", ")}`,
    suggestions: close.length ? close : onCloud,
  };
}

function notOnCloud(table: CatalogTable, accelerator: string, cloud: Cloud, where = ""): GpuMiss {
  const onCloud = accelerators(table, cloud).filter((a) => a !== accelerator);
  const close = didYouMean(accelerator, onCloud);
  const others = (table.acceleratorClouds.get(accelerator) ?? []).filter((c) => c !== cloud);
  const suggestions = [...close, ...onCloud.filter((a) => !close.includes(a))];
  const elsewhere = others.length ? `; ${accelerator} is offered on ${others.join(", ")}` : "";
  return {
    ok: false,
    code: "MLP_GPU_NOT_ON_CLOUD",
    message: `${accelerator} is not offered on ${cloud}${where}`,
    hint: close.length
      ? `did you mean ${orList(close)}? ${cloud}${where} offers ${suggestions.join(", ")}${elsewhere}`
      : `${cloud}${where} offers ${suggestions.join(", ")}${elsewhere}`,
    suggestions,
  };
}

/**
 * The cheapest instance with exactly that accelerator and whole count offered in the region,
 * ranked by the spot or on-demand price (unpriced last, ties by name); or a miss with near misses.
 */
export function findGpuInstance(table: CatalogTable, query: GpuQuery): GpuQueryResult {
  const { cloud, count, region, spot } = query;
  const accelerator = normalizeAccelerator(table, query.accelerator);
  if (!accelerator) return unknownAccelerator(table, query.accelerator, cloud);
  const rows = table.byAccelerator.get(acceleratorKey(cloud, accelerator));
  if (!rows?.length) return notOnCloud(table, accelerator, cloud);

  const counts = [...new Set(rows.map((r) => r.acceleratorCount))];
  const withCount = rows.filter((r) => r.acceleratorCount === count);
  if (!withCount.length) {
    const fractional = table.fractional.get(acceleratorKey(cloud, accelerator)) ?? [];
    const aside = fractional.length
      ? ` (${fractional.map((r) => `${r.instanceType} has ${r.acceleratorCount} of one`).join(", ")}: fractional types are never chosen for a whole count)`
      : "";
    return {
      ok: false,
      code: "MLP_GPU_COUNT",
      message: `${accelerator} comes in counts ${counts.join(", ")} on ${cloud}`,
      hint: `set the count to ${orList(counts)}${aside}`,
      suggestions: counts.map(String),
    };
  }

  const inRegion = withCount.filter((r) => r.regions.includes(region));
  // Outside the regions the catalog lists is an error with the list, also in a region whose
  // availability the source did not survey (issue 15: validate and `catalog gpus --region`
  // must agree); the hint then says the data may be behind the cloud.
  if (!inRegion.length) {
    const offered = nearestRegions([...new Set(withCount.flatMap((r) => r.regions))], region, withCount[0].referenceRegion);
    const countsHere = [...new Set(rows.filter((r) => r.regions.includes(region)).map((r) => r.acceleratorCount))];
    const here = countsHere.length ? `; in ${region} it comes in counts ${countsHere.join(", ")}` : "";
    return {
      ok: false,
      code: "MLP_GPU_NOT_IN_REGION",
      message: `${times(accelerator, count)} is not offered on ${cloud} in ${region}`,
      hint:
        (offered.length
          ? `${accelerator} ×${count} is offered in ${regionList(offered)}${here}`
          : `the catalog lists no region for ${times(accelerator, count)} on ${cloud}${here}`) + unsurveyedNote(table, cloud, region),
      suggestions: offered,
    };
  }
  return { ok: true, row: [...inRegion].sort(byPrice(spot))[0] };
}

/** A known region of the cloud whose availability the source did not survey. */
export function isUnsurveyed(table: CatalogTable, cloud: Cloud, region: string): boolean {
  const surveyed = table.surveyed.get(cloud);
  return surveyed !== undefined && !surveyed.has(region) && (table.regionSets.get(cloud)?.has(region) ?? false);
}

/** For a miss in a region the source did not survey: the list may be behind the cloud. */
function unsurveyedNote(table: CatalogTable, cloud: Cloud, region: string): string {
  return isUnsurveyed(table, cloud, region)
    ? `. The catalog's ${cloud} availability data does not cover ${region}: if ${cloud} offers it there now, refresh the catalog (npm run catalog:generate) or choose a listed region`
    : "";
}

/**
 * Facts of an instance type. For a GCP n1 host that carries attached GPUs, the bare host row
 * (no GPU) when the catalog has it, else undefined: use `gpuInstance` for the host+GPU row.
 * Azure VM sizes are matched case-insensitively, as Azure does.
 */
export function instance(table: CatalogTable, cloud: Cloud, instanceType: string): InstanceRow | undefined {
  const rows = table.byType.get(typeKey(cloud, instanceType));
  if (!rows?.length) return undefined;
  if (rows.length === 1) return rows[0];
  return rows.find((r) => r.acceleratorCount === 0);
}

/** The row of `instanceType` with exactly that accelerator and count (GCP attached GPUs included). */
export function gpuInstance(table: CatalogTable, cloud: Cloud, instanceType: string, accelerator: string, count: number): InstanceRow | undefined {
  const name = normalizeAccelerator(table, accelerator);
  if (!name) return undefined;
  return table.byType.get(typeKey(cloud, instanceType))?.find((r) => r.accelerator === name && r.acceleratorCount === count);
}

/** Checks an explicit instance type: known on the cloud, and offered in the region when the catalog says where. */
export function checkInstanceType(table: CatalogTable, cloud: Cloud, instanceType: string, region: string): InstanceCheckResult {
  const rows = table.byType.get(typeKey(cloud, instanceType));
  if (!rows?.length) {
    const close = didYouMean(instanceType, table.typeNames.get(cloud) ?? []);
    return {
      ok: false,
      code: "MLP_INSTANCE_UNKNOWN",
      message: `the catalog does not know the ${cloud} instance type "${instanceType}"`,
      hint: close.length
        ? `did you mean ${orList(close)}? If the type is right, mlplat uses it as given without price or GPU facts`
        : "mlplat uses it as given, without price or GPU facts; check the name against the cloud's instance type list",
      suggestions: close,
    };
  }
  const row = instance(table, cloud, instanceType) ?? rows[0];
  const regions = [...new Set(rows.flatMap((r) => r.regions))];
  if (regions.length && !regions.includes(region)) {
    const offered = nearestRegions(regions, region, row.referenceRegion);
    return {
      ok: false,
      code: "MLP_INSTANCE_NOT_IN_REGION",
      message: `${row.instanceType} is not offered on ${cloud} in ${region}`,
      hint: `${row.instanceType} is offered in ${regionList(offered)}${unsurveyedNote(table, cloud, region)}`,
      suggestions: offered,
      row,
    };
  }
  return { ok: true, row };
}

export function defaultCpuInstance(table: CatalogTable, cloud: Cloud): string {
  return table.data.defaults.cpuInstance[cloud];
}

export function regions(table: CatalogTable, cloud: Cloud): readonly string[] {
  return table.data.regions[cloud];
}

/** Rows of a cloud, or of all clouds in CLOUDS order. */
export function instances(table: CatalogTable, cloud?: Cloud): readonly InstanceRow[] {
  if (cloud) return table.data.instances.filter((r) => r.cloud === cloud);
  return CLOUDS.flatMap((c) => table.data.instances.filter((r) => r.cloud === c));
}

// ---------------------------------------------------------------------------------------------
// SageMaker and managed services
// ---------------------------------------------------------------------------------------------

export function sagemakerInstance(table: CatalogTable, instanceType: string): SagemakerRow | undefined {
  return table.sagemakerByType.get(instanceType.toLowerCase());
}

/** The cheapest SageMaker type with exactly that accelerator and count (unpriced last, ties by name). */
export function findSagemakerInstance(table: CatalogTable, acceleratorName: string, count: number): SagemakerRow | GpuMiss {
  const accelerator = normalizeAccelerator(table, acceleratorName);
  if (!accelerator) return unknownAccelerator(table, acceleratorName, "aws");
  const rows = table.data.sagemaker.filter((r) => r.accelerator === accelerator);
  if (!rows.length) {
    const offered = [...new Set(table.data.sagemaker.flatMap((r) => (r.accelerator ? [r.accelerator] : [])))].sort();
    const close = didYouMean(accelerator, offered);
    return {
      ok: false,
      code: "MLP_GPU_NOT_ON_CLOUD",
      message: `${accelerator} is not offered for SageMaker real-time endpoints`,
      hint: `SageMaker offers ${[...close, ...offered.filter((a) => !close.includes(a))].join(", ")}; or use runtime: kubernetes on a ${accelerator} node pool`,
      suggestions: [...close, ...offered.filter((a) => !close.includes(a))],
    };
  }
  const withCount = rows.filter((r) => r.acceleratorCount === count);
  if (!withCount.length) {
    const counts = [...new Set(rows.map((r) => r.acceleratorCount))].sort((a, b) => a - b);
    return {
      ok: false,
      code: "MLP_GPU_COUNT",
      message: `${accelerator} comes in counts ${counts.join(", ")} on SageMaker`,
      hint: `set the count to ${orList(counts)}`,
      suggestions: counts.map(String),
    };
  }
  return [...withCount].sort((a, b) => {
    if (a.usdPerHour !== undefined && b.usdPerHour !== undefined && a.usdPerHour !== b.usdPerHour) return a.usdPerHour - b.usdPerHour;
    if ((a.usdPerHour === undefined) !== (b.usdPerHour === undefined)) return a.usdPerHour === undefined ? 1 : -1;
    return a.instanceType.localeCompare(b.instanceType, "en", { numeric: true });
  })[0];
}

export function servicePrice(table: CatalogTable, cloud: Cloud, service: string, sku: string): ServicePriceRow | undefined {
  return table.services.get(serviceKey(cloud, service, sku));
}

// ---------------------------------------------------------------------------------------------
// Kubernetes versions
// ---------------------------------------------------------------------------------------------

/** `1.33`, `1.33.4`, `v1.33` → `1.33`; undefined when not a version. */
export function minorVersion(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/**
 * Oldest first (`1.9` before `1.10`). naturalCompare, not `localeCompare` with options: that
 * builds an ICU collator, ~5 ms of every validate and synth (the blueprint rules list versions).
 */
export function kubernetesVersions(table: CatalogTable, cloud: Cloud) {
  return table.data.kubernetes
    .filter((r) => r.cloud === cloud)
    .sort((a, b) => naturalCompare(a.version, b.version));
}

/** Support status of a minor version on a date (ISO dates compare as strings). */
export function kubernetesVersionStatus(table: CatalogTable, cloud: Cloud, version: string, today: string): KubernetesVersionStatus {
  const minor = minorVersion(version);
  const row = minor ? table.kubernetes.get(`${cloud}/${minor}`) : undefined;
  if (!row) return { status: "unknown" };
  if (today <= row.endOfStandardSupport) return { status: "supported", endOfStandardSupport: row.endOfStandardSupport };
  if (row.endOfExtendedSupport && today <= row.endOfExtendedSupport)
    return { status: "extended", endOfStandardSupport: row.endOfStandardSupport, endOfExtendedSupport: row.endOfExtendedSupport };
  return { status: "ended", endOfStandardSupport: row.endOfStandardSupport };
}
