/**
 * What a safe rollout costs while it runs: per endpoint with `rollout`, the capacity that runs
 * BESIDE the serving one from the first traffic step until the old version is gone, per hour and
 * per rollout. Reported apart from the monthly estimate and never added to its totals (how often
 * you ship is not in the blueprint). Prices are the estimate's own (src/cost/endpoint-prices.ts,
 * the catalog); a price the catalog lacks is null with the gap named, never guessed.
 *
 * The rules, per runtime:
 *  - SageMaker blue/green (aws, managed): SageMaker provisions the whole new (green) fleet, with
 *    the blue fleet's size, before any traffic moves, keeps the old (blue) fleet while traffic
 *    shifts (canary: the canary is a share of the green fleet; linear: blue capacity is
 *    deactivated step by step but kept for rollback) and terminates it after the final bake and
 *    `TerminationWaitInSeconds`:
 *    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html,
 *    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html,
 *    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-linear.html,
 *    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html.
 *    Extra: one fleet of `min`..`max` instances: the docs do not say how an autoscaled endpoint's
 *    green fleet is sized, so the range runs from the new config's initial count (`min`) to a blue
 *    fleet scaled out to `max` (the quota check's peak, src/model/capacity.ts). Window: one wait
 *    interval after every traffic step (the last included) + the termination wait, as synthesized
 *    (src/targets/aws/rollout.ts), + the provisioning allowance the execution timeout keeps
 *    (SAGEMAKER_PROVISION_ALLOWANCE_MINUTES, an upper bound, not a measurement).
 *  - Cloud Run (gcp, managed): `mlplat deploy` splits traffic between the previous and the new
 *    revision (src/engine/traffic-rollout.ts), baking between steps; a revision's own minimum
 *    instances run while it is in the traffic split, even at 0%
 *    (https://cloud.google.com/run/docs/configuring/min-instances, "Revisions and minimum
 *    instances"); deploy drops the previous revision from the split at the 100% step. Extra: the
 *    new revision's `min` instances (above `min`, instances follow the traffic, split, not
 *    doubled). Window: (steps − 1) bakes.
 *  - Container Apps (azure, managed): the same steps and window; in `Multiple` revision mode each
 *    active revision keeps its `minReplicas` running, and the previous revision STAYS ACTIVE after
 *    the rollout until it is deactivated by hand
 *    (https://learn.microsoft.com/en-us/azure/container-apps/revisions): the per-hour figure goes
 *    on after the window until then. The GPU profiles have no price in the catalog.
 *  - Argo Rollouts (runtime kubernetes, canary or linear): no traffic router, so weights are pod
 *    counts (src/cost/argo-canary.ts): one pod above R during a pause whose weight Argo
 *    approximates best with R+1 pods (only a weight that does not divide R), and up to maxSurge
 *    (25%, rounded up) more while a step's new pods start. Pods cost
 *    through nodes: the extra pods need ceil(pods / pods-per-node) more nodes of the endpoint's
 *    pool at most (none when the pool has room). Window: one pause after every step
 *    (src/k8s/rollout.ts), the last included.
 *  - `strategy: allAtOnce` off SageMaker is the runtime's own replacement (no steps, no bake):
 *    a line with no window.
 */
import type { Catalog } from "../catalog/types.js";
import type { Cloud, EndpointModel, PlatformModel } from "../model/platform.js";
import { SAGEMAKER_PROVISION_ALLOWANCE_MINUTES, trafficSteps, type RolloutModel, type RolloutStrategy } from "../model/rollout.js";
import { ROLLOUT_PROGRESS_DEADLINE_SECONDS } from "../k8s/rollout.js";
import { resolveRollout } from "../targets/aws/rollout.js";
import { pausePods, peakExtraPods } from "./argo-canary.js";
import { cloudRunHourly, containerAppsHourly, poolRow, sagemakerHourly } from "./endpoint-prices.js";

export type RolloutRuntime = "sagemaker" | "cloud-run" | "container-apps" | "argo-rollouts";

/** Two ends of a figure: the endpoint at its autoscaling min and at its max. */
export interface MinMax {
  readonly min: number;
  readonly max: number;
}

export interface RolloutCost {
  readonly endpoint: string;
  readonly runtime: RolloutRuntime;
  readonly strategy: RolloutStrategy;
  /** Share of traffic on the new version after each step (src/model/rollout.ts `trafficSteps`). */
  readonly steps: readonly number[];
  readonly bakeMinutes: number;
  /** How long one rollout keeps the extra capacity, in minutes, and how that adds up. */
  readonly windowMinutes: number;
  readonly window: string;
  /** What the extra capacity is (`ml.m5.xlarge instances`, `revision instances`, `g6.xlarge nodes`). */
  readonly unit: string;
  readonly instanceType: string | null;
  /** The most extra instances (nodes for Argo) at once. */
  readonly peakExtra: MinMax;
  /** Extra instance-minutes (node-minutes) one rollout runs: the integral over the window. */
  readonly extraInstanceMinutes: MinMax;
  /** USD per hour of one extra instance (node); null when the catalog has no price. */
  readonly hourlyUsdEach: number | null;
  /** USD per hour at the peak: peakExtra × hourlyUsdEach. */
  readonly peakHourlyUsd: MinMax | null;
  /** USD per rollout: extraInstanceMinutes / 60 × hourlyUsdEach. */
  readonly perRolloutUsd: MinMax | null;
  /** What runs and why (with the documentation), assumptions and gaps. */
  readonly notes: readonly string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round5 = (n: number) => Math.round(n * 1e5) / 1e5;
const both = (f: (end: "min" | "max") => number): MinMax => ({ min: f("min"), max: f("max") });

const SAGEMAKER_DOC = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html";
const SAGEMAKER_API_DOC = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html";
const CLOUD_RUN_DOC = "https://cloud.google.com/run/docs/configuring/min-instances";
const CONTAINER_APPS_DOC = "https://learn.microsoft.com/en-us/azure/container-apps/revisions";
const ARGO_DOC = "https://argoproj.github.io/argo-rollouts/features/canary/";

/** The rollout cost line of every endpoint with `rollout`, in blueprint order. */
export function rolloutCosts(model: PlatformModel, catalog: Catalog): RolloutCost[] {
  const out: RolloutCost[] = [];
  for (const ep of model.endpoints) {
    if (!ep.rollout) continue;
    const r = ep.rollout;
    if (ep.runtime === "kubernetes") out.push(argo(model, catalog, ep, r));
    else if (model.cloud === "aws") out.push(sagemaker(catalog, ep, r));
    else out.push(revisions(model.cloud, catalog, ep, r));
  }
  return out;
}

function line(
  ep: EndpointModel,
  r: RolloutModel,
  runtime: RolloutRuntime,
  parts: Omit<RolloutCost, "endpoint" | "runtime" | "strategy" | "steps" | "bakeMinutes" | "peakHourlyUsd" | "perRolloutUsd" | "hourlyUsdEach"> & { hourly: number | undefined },
): RolloutCost {
  const { hourly, notes, ...rest } = parts;
  const h = hourly === undefined ? null : round5(hourly);
  return {
    endpoint: ep.name,
    runtime,
    strategy: r.strategy,
    steps: trafficSteps(r),
    bakeMinutes: r.bakeMinutes,
    ...rest,
    hourlyUsdEach: h,
    peakHourlyUsd: hourly === undefined ? null : both((e) => round2(parts.peakExtra[e] * hourly)),
    perRolloutUsd: hourly === undefined ? null : both((e) => round2((parts.extraInstanceMinutes[e] / 60) * hourly)),
    notes,
  };
}

function sagemaker(catalog: Catalog, ep: EndpointModel, r: RolloutModel): RolloutCost {
  const type = ep.instanceType ?? catalog.defaultSagemakerCpuInstance();
  const synth = resolveRollout(r, []);
  const steps = trafficSteps(r);
  const wait = synth.waitIntervalSeconds / 60;
  const termination = synth.terminationWaitSeconds / 60;
  const minutes = steps.length * wait + termination + SAGEMAKER_PROVISION_ALLOWANCE_MINUTES;
  const fleet = both((e) => ep.autoscaling[e]);
  const hourly = sagemakerHourly(catalog, type);
  return line(ep, r, "sagemaker", {
    windowMinutes: minutes,
    window:
      `${steps.length} bake${steps.length > 1 ? "s" : ""} × ${wait} min` +
      (termination ? ` + ${termination} min termination wait` : "") +
      ` + up to ${SAGEMAKER_PROVISION_ALLOWANCE_MINUTES} min provisioning the new fleet`,
    unit: `${type} instances`,
    instanceType: type,
    peakExtra: fleet,
    extraInstanceMinutes: both((e) => fleet[e] * minutes),
    hourly,
    notes: [
      `blue/green: SageMaker provisions the whole new fleet beside the old one before moving any traffic and keeps the old fleet until the final bake ends (${SAGEMAKER_DOC}; "creates a new fleet during the deployment while maintaining the old fleet", ${SAGEMAKER_API_DOC}); the new fleet is counted at the endpoint's size, ${fleet.min} (its config's initial count) to ${fleet.max} (a blue fleet scaled out to max).`,
      `the provisioning time is mlplat's allowance inside the execution timeout (${SAGEMAKER_PROVISION_ALLOWANCE_MINUTES} min), an upper bound; a rollback ends the window early.`,
      ...(hourly === undefined ? [`no SageMaker price in the catalog for ${type}.`] : []),
    ],
  });
}

function revisions(cloud: Exclude<Cloud, "aws">, catalog: Catalog, ep: EndpointModel, r: RolloutModel): RolloutCost {
  const runtime: RolloutRuntime = cloud === "gcp" ? "cloud-run" : "container-apps";
  const steps = trafficSteps(r);
  const stepped = r.strategy !== "allAtOnce";
  const bakes = stepped ? steps.length - 1 : 0;
  const minutes = bakes * r.bakeMinutes;
  const idle = ep.autoscaling.min;
  const extra = stepped ? idle : 0;
  const hourly = cloud === "gcp" ? cloudRunHourly(catalog, ep) : containerAppsHourly(catalog, ep.instanceType);
  const notes: string[] = [];
  if (!stepped) notes.push("allAtOnce: the runtime replaces the revision itself (no steps, no bake), so nothing runs beside it for a rollout.");
  else if (cloud === "gcp")
    notes.push(
      `both revisions are in the traffic split from the first step until deploy's 100% step, and Cloud Run keeps a revision's minimum instances (${idle}) running while it is in the split, even at 0% (${CLOUD_RUN_DOC}); above the minimum, instances follow the traffic, which the split shares.`,
    );
  else
    notes.push(
      `both revisions are active from the first step, each with its minReplicas (${idle}) running; in Multiple revision mode the previous revision STAYS ACTIVE after the rollout until it is deactivated by hand (\`az containerapp revision deactivate\`), so its replicas keep running (and billing) after the window until then (${CONTAINER_APPS_DOC}).`,
    );
  if (stepped && idle === 0) notes.push("autoscaling.min is 0: no idle instance runs beside the serving one, only what the traffic asks for.");
  if (hourly === undefined)
    notes.push(
      cloud === "gcp"
        ? "no Cloud Run price in the catalog for this size."
        : `Azure Container Apps ${ep.instanceType ?? "consumption"} prices are not in the catalog (billed per GPU-second): the extra replicas are counted, not priced.`,
    );
  return line(ep, r, runtime, {
    windowMinutes: minutes,
    window: stepped ? `${bakes} bake${bakes === 1 ? "" : "s"} × ${r.bakeMinutes} min between ${steps.length} steps` : "none (all at once)",
    unit: cloud === "gcp" ? "Cloud Run instances" : `${ep.instanceType ?? "Container Apps"} replicas`,
    instanceType: ep.instanceType ?? null,
    peakExtra: { min: extra, max: extra },
    extraInstanceMinutes: { min: extra * minutes, max: extra * minutes },
    hourly,
    notes,
  });
}

function argo(model: PlatformModel, catalog: Catalog, ep: EndpointModel, r: RolloutModel): RolloutCost {
  const pool = model.cluster?.nodePools.find((p) => p.name === ep.pool);
  const row = pool ? poolRow(catalog, model.cloud, pool) : undefined;
  const hourly = row && pool ? (pool.spot ? (row.spotUsdPerHour ?? row.onDemandUsdPerHour) : row.onDemandUsdPerHour) : undefined;
  const steps = trafficSteps(r);
  const stepped = r.strategy !== "allAtOnce";
  const perNode = podsPerNode(ep, pool?.gpu?.count ?? row?.acceleratorCount, row?.vcpus, row?.memoryGiB);
  const nodes = (pods: number) => (pods <= 0 ? 0 : Math.ceil(pods / perNode));
  // The HPA keeps at least one replica (src/k8s/endpoint.ts).
  const replicas = both((e) => (e === "min" ? Math.max(1, ep.autoscaling.min) : ep.autoscaling.max));
  const peakPods = both((e) => (stepped ? peakExtraPods(replicas[e], steps) : 0));
  const pauseNodeMinutes = both((e) => (stepped ? steps.reduce((n, w) => n + nodes(pausePods(replicas[e], w)) * r.bakeMinutes, 0) : 0));
  const notes: string[] = [];
  if (!stepped) notes.push("allAtOnce: a Deployment rolling update (no Argo Rollout, no bake); nothing is priced for it.");
  else
    notes.push(
      `Argo basic canary (no traffic router): weights are pod counts; at ${replicas.min}–${replicas.max} replicas a pause whose weight is closest with one pod more (a weight that does not divide them, not always) runs it, and a step adds up to ${peakPods.min}–${peakPods.max} pods before old ones go while its new pods start (at most ${ROLLOUT_PROGRESS_DEADLINE_SECONDS / 60} min, the progress deadline; not in the per-rollout figure) (${ARGO_DOC}).`,
      `extra pods become extra ${pool?.instanceType ?? "pool"} nodes only when pool ${ep.pool ?? "(unresolved)"} has no room (${perNode} pod${perNode === 1 ? "" : "s"} per node): an upper bound.`,
    );
  if (hourly === undefined) notes.push(`no price in the catalog for the nodes of pool ${ep.pool ?? "(unresolved)"}.`);
  return line(ep, r, "argo-rollouts", {
    windowMinutes: stepped ? steps.length * r.bakeMinutes : 0,
    window: stepped ? `${steps.length} pause${steps.length > 1 ? "s" : ""} × ${r.bakeMinutes} min` : "none (all at once)",
    unit: `${pool?.instanceType ?? "pool"} nodes`,
    instanceType: pool?.instanceType ?? null,
    peakExtra: both((e) => nodes(peakPods[e])),
    extraInstanceMinutes: pauseNodeMinutes,
    hourly,
    notes,
  });
}

/** Endpoint pods one node of its pool holds: by GPUs for a GPU endpoint, else by vCPU and memory (before system reservations). */
function podsPerNode(ep: EndpointModel, nodeGpus: number | undefined, nodeVcpus: number | undefined, nodeMemGiB: number | undefined): number {
  if (ep.gpu && nodeGpus) return Math.max(1, Math.floor(nodeGpus / ep.gpu.count));
  if (nodeVcpus && nodeMemGiB) return Math.max(1, Math.floor(Math.min(nodeVcpus / ep.cpu, nodeMemGiB / ep.memoryGiB)));
  return 1;
}
