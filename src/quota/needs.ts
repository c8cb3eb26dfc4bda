/**
 * `mlplat quota`: every quota a blueprint draws on, per cloud and region, with the need at min,
 * at max and at the rollout peak, and where each need comes from. Offline and pure: the model,
 * the capacities (src/model/capacity.ts, shared with `cost`) and the quota table.
 */
import type { Capacity } from "../model/capacity.js";
import type { Cloud, PlatformModel } from "../model/platform.js";
import type { QuotaTable } from "./data.js";
import { rootCompare } from "../util/collate.js";

export type QuotaUnit = "vCPU" | "GPU" | "instance";

export interface QuotaNeed {
  readonly cloud: Cloud;
  /** A region, or `global` for project-wide quotas (GCP GPUs all regions). */
  readonly region: string;
  readonly quota: { readonly code: string; readonly name: string };
  /** The service whose quota it is (`ec2`, `sagemaker`, `compute`, `run`, `Microsoft.Compute`, `Microsoft.App`). */
  readonly service: string;
  readonly unit: QuotaUnit;
  readonly spot: boolean;
  readonly requiredAtMin: number;
  readonly requiredAtMax: number;
  readonly requiredAtPeak: number;
  /** Pool and endpoint names, `system` for the system pool. */
  readonly from: readonly string[];
  /** The quota is 0 on a new account, project or subscription. */
  readonly newAccountZero: boolean;
  readonly increase: { readonly console: string; readonly cli: string };
  readonly notes?: readonly string[];
}

export interface QuotaReport {
  readonly items: readonly QuotaNeed[];
  /** Pools or endpoints whose size the catalog does not know (no vCPU count): not counted. */
  readonly unknown: readonly string[];
}

type Draft = Omit<QuotaNeed, "requiredAtMin" | "requiredAtMax" | "requiredAtPeak" | "from" | "increase" | "notes"> & { note?: string };

export function quotaNeeds(model: PlatformModel, capacities: readonly Capacity[], table: QuotaTable): QuotaReport {
  const acc = new Map<string, { draft: Draft; min: number; max: number; peak: number; from: Set<string>; notes: Set<string> }>();
  const unknown: string[] = [];
  const add = (draft: Draft, per: number, c: Capacity) => {
    const key = `${draft.region}|${draft.service}|${draft.quota.code}`;
    const cur = acc.get(key) ?? { draft, min: 0, max: 0, peak: 0, from: new Set<string>(), notes: new Set<string>() };
    cur.min += per * c.min;
    cur.max += per * c.max;
    cur.peak += per * c.peak;
    cur.from.add(c.name);
    if (draft.note) cur.notes.add(draft.note);
    acc.set(key, cur);
  };
  const drafts = DRAFTERS[model.cloud];
  for (const c of capacities) {
    const needs = drafts(model, c, table);
    if (needs === undefined) unknown.push(c.name);
    else for (const [draft, per] of needs) add(draft, per, c);
  }
  const items = [...acc.values()].map(({ draft, min, max, peak, from, notes }): QuotaNeed => {
    const { note: _note, ...rest } = draft;
    return {
      ...rest,
      requiredAtMin: min,
      requiredAtMax: max,
      requiredAtPeak: peak,
      from: [...from],
      increase: increaseFor(model, draft, table, peak),
      ...(notes.size ? { notes: [...notes] } : {}),
    };
  });
  items.sort((a, b) => rootCompare(a.region, b.region) || rootCompare(a.service, b.service) || rootCompare(a.quota.code, b.quota.code));
  return { items, unknown };
}

/** The quotas one capacity draws on, each with the amount per instance; undefined when unknown. */
type Drafter = (model: PlatformModel, c: Capacity, table: QuotaTable) => [Draft, number][] | undefined;

const awsDrafts: Drafter = (model, c, table) => {
  const base = { cloud: "aws" as const, region: model.region, spot: c.spot };
  if (c.service === "sagemaker") {
    const accelerated = c.gpu !== undefined;
    const name = table.aws.sagemakerEndpoint.name.replace("{type}", c.instanceType!);
    return [[{ ...base, service: "sagemaker", quota: { code: name, name }, unit: "instance", newAccountZero: accelerated && table.aws.sagemakerEndpoint.newAccountZeroAccelerated, note: table.aws.sagemakerEndpoint.note }, 1]];
  }
  const family = c.instanceType!.split(".")[0]!;
  const row = table.aws.ec2.find((r) => r.families.includes(family));
  if (!row || c.vcpus === undefined) return undefined;
  const quota = c.spot ? row.spot : row.onDemand;
  return [[{ ...base, service: "ec2", quota, unit: "vCPU", newAccountZero: row.newAccountZero, note: row.note }, c.vcpus]];
};

const gcpDrafts: Drafter = (model, c, table) => {
  const g = table.gcp;
  const base = { cloud: "gcp" as const, region: model.region, spot: c.spot };
  const out: [Draft, number][] = [];
  if (c.service === "cloud-run") {
    if (c.gpu) out.push([{ ...base, service: "run", quota: { code: g.cloudRunGpu.metric, name: g.cloudRunGpu.name }, unit: "GPU", newAccountZero: g.cloudRunGpu.newAccountZero, note: g.cloudRunGpu.note }, c.gpu.count]);
    return out;
  }
  const family = g.cpuFamilies.find((f) => c.instanceType!.startsWith(f.prefix));
  if (!family || c.vcpus === undefined) return undefined;
  const cpu = c.spot ? { code: g.spotCpus.metric, name: g.spotCpus.name, note: g.spotCpus.note } : { code: family.metric, name: family.name, note: family.note };
  out.push([{ ...base, service: "compute", quota: { code: cpu.code, name: cpu.name }, unit: "vCPU", newAccountZero: false, note: cpu.note }, c.vcpus]);
  if (c.gpu) {
    const gpu = g.gpus.find((x) => x.accelerator === c.gpu!.type);
    if (!gpu) return undefined;
    const metric = c.spot ? `${g.spotGpuPrefix}${gpu.metric}` : gpu.metric;
    const name = c.spot ? `Preemptible ${gpu.name}` : gpu.name;
    out.push([{ ...base, service: "compute", quota: { code: metric, name }, unit: "GPU", newAccountZero: gpu.newAccountZero, note: gpu.note }, c.gpu.count]);
    out.push([{ ...base, region: "global", service: "compute", quota: { code: g.allRegionsGpus.metric, name: g.allRegionsGpus.name }, unit: "GPU", newAccountZero: g.allRegionsGpus.newAccountZero }, c.gpu.count]);
  }
  return out;
};

const azureDrafts: Drafter = (model, c, table) => {
  const a = table.azure;
  const base = { cloud: "azure" as const, region: model.region, spot: c.spot };
  if (c.service === "container-apps") {
    if (!c.gpu) return [];
    const q = a.containerAppsGpu.find((x) => x.accelerator === c.gpu!.type);
    if (!q) return undefined;
    return [[{ ...base, service: "Microsoft.App", quota: { code: q.code, name: q.name }, unit: "GPU", newAccountZero: q.newAccountZero, note: q.note }, c.gpu.count]];
  }
  if (c.vcpus === undefined) return undefined;
  if (c.spot) return [[{ ...base, service: "Microsoft.Compute", quota: { code: a.spotCores.code, name: a.spotCores.name }, unit: "vCPU", newAccountZero: false, note: a.spotCores.note }, c.vcpus]];
  const family = a.families.find((f) => new RegExp(f.pattern).test(c.instanceType!));
  if (!family) return undefined;
  return [
    [{ ...base, service: "Microsoft.Compute", quota: { code: family.family, name: family.name }, unit: "vCPU", newAccountZero: family.newAccountZero, note: family.note }, c.vcpus],
    [{ ...base, service: "Microsoft.Compute", quota: a.regionalCores, unit: "vCPU", newAccountZero: false }, c.vcpus],
  ];
};

const DRAFTERS: Readonly<Record<Cloud, Drafter>> = { aws: awsDrafts, gcp: gcpDrafts, azure: azureDrafts };

/** The console page and the CLI command that ask for an increase to the peak need. */
function increaseFor(model: PlatformModel, d: Draft, table: QuotaTable, max: number): { console: string; cli: string } {
  const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (w, k: string) => vars[k] ?? w);
  if (d.cloud === "aws") {
    const vars = { service: d.service, code: d.quota.code, region: d.region, value: String(max) };
    if (d.service === "sagemaker")
      return {
        console: `https://console.aws.amazon.com/servicequotas/home/services/sagemaker/quotas?region=${d.region} (search "${d.quota.name}")`,
        cli: `aws service-quotas list-service-quotas --service-code sagemaker --region ${d.region} --query "Quotas[?QuotaName=='${d.quota.name}'].QuotaCode"  # then request-service-quota-increase with that code`,
      };
    return { console: fill(table.aws.increase.console, vars), cli: fill(table.aws.increase.cli, vars) };
  }
  if (d.cloud === "gcp") {
    const vars = { project: model.gcp?.project ?? "<project>", metric: d.quota.code, region: d.region };
    if (d.service === "run") return { console: fill(table.gcp.increase.console, vars), cli: "none: Cloud Run GPU quota is requested on the console page" };
    return { console: fill(table.gcp.increase.console, vars), cli: fill(d.region === "global" ? table.gcp.increase.cliGlobal : table.gcp.increase.cli, vars) };
  }
  const resourceType = d.quota.code === table.azure.spotCores.code ? "lowPriority" : "dedicated";
  const vars = { code: d.quota.code, subscription: model.azure?.subscriptionId ?? "<subscription>", provider: d.service, region: d.region, value: String(max), resourceType };
  return { console: table.azure.increase.console, cli: fill(table.azure.increase.cli, vars) };
}
