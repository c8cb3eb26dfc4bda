/**
 * Offline monthly cost estimate of a resolved platform: node pools at their min and max sizes,
 * the system pool, managed endpoints at their autoscaling min and max, control-plane fees and
 * NAT. Pure over the model and the catalog: list prices of the catalog's reference region,
 * 730 hours a month, no discounts, no data transfer or storage. What the catalog cannot price
 * is listed with `null` prices and a note, and left out of the totals rather than guessed.
 */
import type { Catalog } from "../catalog/types.js";
import { resolveCapacities, type Capacity } from "../model/capacity.js";
import type { Cloud, EndpointModel, PlatformModel } from "../model/platform.js";
import { zoneSubnets } from "../targets/aws/index.js";
import { pipelineCostNotes } from "./pipelines.js";
import { cloudRunHourly, containerAppsHourly, poolRow, sagemakerHourly } from "./endpoint-prices.js";
import { monitoringCostNotes } from "./rollout.js";
import { rolloutCosts, type RolloutCost } from "./rollout-window.js";
import { workspaceAndTrackingItems } from "./workspaces.js";

export const HOURS_PER_MONTH = 730;

/**
 * NAT gateways the AWS network creates: one per availability zone the AWS target lays subnets
 * over (three, or two where the region has two), asked of the target rather than assumed.
 */
export function awsNatGateways(model: PlatformModel): number {
  return zoneSubnets(model.region, model.network.cidr).length;
}

/** The VMs a Cloud NAT gateway charges for are capped at 32, after which the rate is flat. */
const GCP_NAT_VM_CAP = 32;

export type CostItemKind = "control-plane" | "system-pool" | "node-pool" | "endpoint" | "nat-gateway" | "notebook" | "tracking";

export interface CostItem {
  readonly kind: CostItemKind;
  /** Blueprint item name (pool, endpoint), or `cluster` / `network`. */
  readonly name: string;
  /** Instance, SageMaker or workload-profile type; null when the item has none (control plane, NAT, Cloud Run). */
  readonly instanceType: string | null;
  /** Instances (nodes, replicas, gateways; NAT-billed VMs on GCP) at the max size. */
  readonly count: number;
  /** USD per hour for one instance; null when the catalog has no price. */
  readonly hourlyUsd: number | null;
  readonly minMonthlyUsd: number | null;
  readonly maxMonthlyUsd: number | null;
  readonly spot: boolean;
}

export interface CostReport {
  readonly currency: "USD";
  readonly items: readonly CostItem[];
  readonly totalMinMonthlyUsd: number;
  readonly totalMaxMonthlyUsd: number;
  /** `budget.monthlyUsd`, null without a budget. */
  readonly budgetMonthlyUsd: number | null;
  /** The max total exceeds the budget. */
  readonly overBudget: boolean;
  /**
   * Per endpoint with `rollout`: the extra capacity that runs while a rollout is under way, per
   * rollout and per hour (src/cost/rollout-window.ts). NOT part of the monthly totals. Absent
   * when no endpoint has a rollout.
   */
  readonly rollouts?: readonly RolloutCost[];
  /** Caveats: reference-region prices, unpriced items, assumptions. */
  readonly notes?: readonly string[];
}

export interface EstimateOptions {
  /**
   * ISO date used to tell whether the EKS version is in extended support (billed higher).
   * @default - standard support is assumed, with a note
   */
  readonly today?: string;
}

/** The catalog's reference region per cloud, where its prices come from. */
const REFERENCE_REGION: Readonly<Record<Cloud, string>> = { aws: "us-east-1", gcp: "us-central1", azure: "eastus" };

const round2 = (n: number) => Math.round(n * 100) / 100;
const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

function item(kind: CostItemKind, name: string, instanceType: string | null, minCount: number, maxCount: number, hourly: number | undefined, spot: boolean): CostItem {
  const h = hourly === undefined ? null : round5(hourly);
  return {
    kind,
    name,
    instanceType,
    count: maxCount,
    hourlyUsd: h,
    minMonthlyUsd: h === null ? null : round2(hourly! * minCount * HOURS_PER_MONTH),
    maxMonthlyUsd: h === null ? null : round2(hourly! * maxCount * HOURS_PER_MONTH),
    spot,
  };
}

export function estimateCost(model: PlatformModel, catalog: Catalog, options: EstimateOptions = {}): CostReport {
  const { cloud } = model;
  const items: CostItem[] = [];
  const notes: string[] = [];
  const unpriced: string[] = [];
  const capacity = new Map(resolveCapacities(model, catalog).map((c) => [`${c.kind}:${c.name}`, c] as const));
  const price = (name: string, value: number | undefined) => {
    if (value === undefined) unpriced.push(name);
    return value;
  };

  // --- control plane -----------------------------------------------------------------------
  if (model.cluster) {
    if (cloud === "aws") {
      const status = options.today ? catalog.kubernetesVersionStatus("aws", model.cluster.version, options.today) : undefined;
      const extended = status?.status === "extended" || status?.status === "ended";
      const row = catalog.servicePrice("aws", "eks", extended ? "cluster-extended-support" : "cluster-standard-support");
      if (extended)
        notes.push(`EKS ${model.cluster.version} is past standard support on ${options.today}: the control plane is billed at the extended-support rate; upgrading saves it.`);
      items.push(item("control-plane", "cluster", null, 1, 1, price("cluster", row?.usdPerUnit), false));
    } else if (cloud === "gcp") {
      const row = catalog.servicePrice("gcp", "gke", "cluster-management-fee-standard");
      items.push(item("control-plane", "cluster", null, 1, 1, price("cluster", row?.usdPerUnit), false));
      notes.push("GKE's free tier credits 74.40 USD a month per billing account (one zonal or Autopilot cluster); it is not subtracted.");
      if (options.today && catalog.kubernetesVersionStatus("gcp", model.cluster.version, options.today).status === "extended")
        notes.push(`GKE ${model.cluster.version} is in extended support on ${options.today}: the Extended channel's surcharge is not in the catalog.`);
    } else {
      const row = catalog.servicePrice("azure", "aks", "standard-tier");
      items.push(item("control-plane", "cluster", null, 1, 1, price("cluster", row?.usdPerUnit), false));
      notes.push("AKS is priced at the Standard tier (uptime SLA); the Free tier has no control-plane fee.");
      if (options.today && catalog.kubernetesVersionStatus("azure", model.cluster.version, options.today).status === "extended")
        notes.push(`AKS ${model.cluster.version} is past its end of life on ${options.today}: long-term support needs the Premium tier, whose price is not in the catalog.`);
    }

    // --- system pool and node pools: sizes from the capacities `mlplat quota` counts too -------
    const sys = capacity.get("system-pool:system")!;
    const sysRow = catalog.instance(cloud, sys.instanceType!);
    items.push(item("system-pool", "system", sys.instanceType, sys.min, sys.max, price("system pool", sysRow?.onDemandUsdPerHour), false));

    for (const pool of model.cluster.nodePools) {
      const size = capacity.get(`node-pool:${pool.name}`)!;
      const row = poolRow(catalog, cloud, pool);
      let hourly = row ? (pool.spot ? row.spotUsdPerHour : row.onDemandUsdPerHour) : undefined;
      if (row && pool.spot && hourly === undefined && row.onDemandUsdPerHour !== undefined) {
        hourly = row.onDemandUsdPerHour;
        notes.push(`node pool ${pool.name}: the catalog has no spot price for ${pool.instanceType}; priced at on-demand (an upper bound).`);
      }
      if (!row) notes.push(`node pool ${pool.name}: ${pool.instanceType} is not in the catalog, so it has no price.`);
      else if (row.priceNote) notes.push(`node pool ${pool.name} (${pool.instanceType}): ${row.priceNote}`);
      items.push(item("node-pool", pool.name, pool.instanceType, size.min, size.max, price(`node pool ${pool.name}`, hourly), pool.spot));
    }
  }

  // --- endpoints ---------------------------------------------------------------------------
  for (const ep of model.endpoints) {
    if (ep.runtime === "kubernetes") {
      notes.push(`endpoint ${ep.name} runs on node pool ${ep.pool ?? "(unresolved)"}; its cost is in that pool.`);
      continue;
    }
    items.push(endpointItem(catalog, cloud, ep, capacity.get(`endpoint:${ep.name}`)!, notes, (n, v) => price(n, v)));
  }

  // --- workspaces and tracking (src/cost/workspaces.ts: hours assumed from the idle shutdown) ---
  const ws = workspaceAndTrackingItems(model, catalog, HOURS_PER_MONTH);
  notes.push(...ws.notes);
  for (const i of ws.items) {
    const label = i.kind === "notebook" ? `notebook ${i.name}` : `tracking ${i.name}`;
    const h = price(label, i.hourlyUsd);
    const monthly = h === undefined ? null : round2(h * i.hours);
    items.push({ kind: i.kind, name: i.name, instanceType: i.instanceType, count: 1, hourlyUsd: h === undefined ? null : round5(h), minMonthlyUsd: monthly, maxMonthlyUsd: monthly, spot: false });
  }

  // --- pipelines (src/cost/pipelines.ts: notes only, the runs' compute is not priced) --------
  notes.push(...pipelineCostNotes(model));
  notes.push(...monitoringCostNotes(model));

  // --- rollouts (src/cost/rollout-window.ts): what runs beside the endpoint while one rolls out,
  // per rollout and per hour; reported apart, never added to the monthly totals. ---------------
  const rollouts = rolloutCosts(model, catalog);
  if (rollouts.length)
    notes.push("during a rollout: the extra capacity each rollout runs (the `rollouts` lines) is per rollout and per hour while it lasts; it is not in the monthly totals, which depend on how often you ship.");

  // --- NAT -----------------------------------------------------------------------------------
  if (cloud === "aws") {
    const row = catalog.servicePrice("aws", "nat-gateway", "gateway-hour");
    const gateways = awsNatGateways(model);
    items.push(item("nat-gateway", "network", null, gateways, gateways, price("NAT gateways", row?.usdPerUnit), false));
    notes.push(`NAT: ${gateways} gateways (one per availability zone); data processed (0.045 USD/GB) and public IPv4 addresses are extra.`);
  } else if (cloud === "gcp") {
    const row = catalog.servicePrice("gcp", "cloud-nat", "gateway-uptime-per-vm");
    const c = model.cluster;
    const vms = (pick: "min" | "max") =>
      Math.min(GCP_NAT_VM_CAP, c ? c.systemPool[pick] + c.nodePools.reduce((n, p) => n + p[pick], 0) : 0);
    items.push(item("nat-gateway", "network", null, vms("min"), vms("max"), price("Cloud NAT", row?.usdPerUnit), false));
    notes.push("Cloud NAT is billed per VM using it (capped at 32 VMs); NAT IP addresses and data processed (0.045 USD/GiB) are extra.");
  } else {
    const row = catalog.servicePrice("azure", "nat-gateway", "gateway-hour");
    items.push(item("nat-gateway", "network", null, 1, 1, price("NAT gateway", row?.usdPerUnit), false));
    notes.push("NAT gateway: data processed (0.045 USD/GB) and its public IP (about 3.65 USD a month) are extra.");
  }

  // --- totals and notes --------------------------------------------------------------------
  const ref = REFERENCE_REGION[cloud];
  if (model.region !== ref)
    notes.unshift(`prices are ${ref}'s (the catalog's reference region for ${cloud}); ${model.region} has none in the catalog and its prices may differ.`);
  if (unpriced.length) notes.push(`no price in the catalog for: ${unpriced.join(", ")}; left out of the totals.`);

  const sum = (pick: (i: CostItem) => number | null) => round2(items.reduce((n, i) => n + (pick(i) ?? 0), 0));
  const totalMinMonthlyUsd = sum((i) => i.minMonthlyUsd);
  const totalMaxMonthlyUsd = sum((i) => i.maxMonthlyUsd);
  const budgetMonthlyUsd = model.budget?.monthlyUsd ?? null;
  return {
    currency: "USD",
    items,
    totalMinMonthlyUsd,
    totalMaxMonthlyUsd,
    budgetMonthlyUsd,
    overBudget: budgetMonthlyUsd !== null && totalMaxMonthlyUsd > budgetMonthlyUsd,
    ...(rollouts.length ? { rollouts } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

function endpointItem(
  catalog: Catalog,
  cloud: Cloud,
  ep: EndpointModel,
  size: Capacity,
  notes: string[],
  price: (name: string, v: number | undefined) => number | undefined,
): CostItem {
  const { min, max } = size;
  const label = `endpoint ${ep.name}`;
  if (cloud === "aws") {
    const type = size.instanceType!;
    const row = catalog.sagemakerInstance(type);
    if (row?.priceNote) notes.push(`${label} (${type}): ${row.priceNote}`);
    return item("endpoint", ep.name, type, min, max, price(label, sagemakerHourly(catalog, type)), false);
  }
  if (cloud === "gcp") {
    // Cloud Run with a GPU is billed per instance (CPU always allocated): GPU + vCPU + memory hours.
    // Zonal redundancy is Cloud Run's default, but the stack turns it off for GPU services (its
    // own quota, which new projects lack): the GPU is priced without it (see the note).
    const hourly = cloudRunHourly(catalog, ep);
    if (ep.gpu) {
      const redundant = catalog.servicePrice("gcp", "cloud-run", "gpu-nvidia-l4-zonal-redundancy")?.usdPerUnit;
      if (redundant !== undefined) notes.push(`${label}: Cloud Run L4 priced without zonal redundancy, which mlplat turns off for GPU services; with it the GPU would cost ${redundant} USD/h.`);
    }
    return item("endpoint", ep.name, ep.instanceType ?? null, min, max, price(label, hourly), false);
  }
  // Azure Container Apps: the GPU workload profiles have no price in the sources.
  const hourly = containerAppsHourly(catalog, ep.instanceType);
  if (hourly === undefined)
    notes.push(`${label}: Azure Container Apps ${ep.instanceType ?? "consumption"} prices are not in the catalog (billed per GPU-second); check the Azure pricing page.`);
  return item("endpoint", ep.name, ep.instanceType ?? null, min, max, price(label, hourly), false);
}
