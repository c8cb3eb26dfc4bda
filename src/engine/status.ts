import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { z } from "zod";
import { loadBlueprintOrThrow } from "../blueprint/load.js";
import type { EndpointModel, PlatformModel } from "../model/platform.js";
import { resolveOutputPaths } from "../output/paths.js";
import type { TerraformOutput } from "../terraform/runner.js";
import { MlplatError } from "../util/errors.js";
import { initializedStacks } from "./output.js";
import type { CommonOptions, EngineDeps, SynthedStack } from "./ports.js";
import { readEndpointRollout, type EndpointRollout } from "./rollout-state.js";
import { initStep } from "./stack-plan.js";
import { isKnown, type AlarmState, type AzureAlertRule, type GcpAlertPolicy, type Known, type StatusSources } from "./status-sources.js";
import { kubernetesStatus } from "./status-kubernetes.js";
import { renderStatus } from "./status-render.js";

/**
 * `mlplat status <file>`: per endpoint, what serves (revision or config), the traffic split, a
 * rollout in progress and the alarms' states, read-only and from every source that can say:
 * - terraform: the stack's outputs and state (`terraform output`, `terraform show -json`), in the
 *   blueprint's last initialized online synth as it is, else in a private temporary folder (as
 *   `mlplat output` does: no synth, init or write in the output folder, nothing applied);
 * - the rollout record of the Cloud Run and Container Apps stepped rollouts
 *   (src/engine/rollout-state.ts, read without the lock: its writes are atomic);
 * - the clouds' CLIs (`aws sagemaker describe-endpoint`, `aws cloudwatch describe-alarms`,
 *   `gcloud run services describe`, `gcloud monitoring alerts list`, `az containerapp revision
 *   list`, and `az rest` GET on Azure Monitor's Alerts Management API) through `StatusSources`;
 * - kubectl with the stack folder's kubeconfig (Deployments, Argo `Rollout`s), or without one,
 *   credentials fetched the cloud's way into a private temporary folder (src/engine/status-kubernetes.ts).
 * A source that cannot be read (no CLI, no credentials, a denied call) makes its fields
 * `unknown (reason)`, never a failure: exit 0 once read. A blueprint that does not load, or a
 * stack with nothing deployed (MLP_NOT_DEPLOYED), is exit 1.
 */

export type StatusDeps = EngineDeps & { readonly sources: StatusSources };

export interface TrafficShare {
  readonly revision: string;
  readonly percent: number;
}

export interface RolloutView {
  /** The blueprint's strategy (allAtOnce without `rollout`). */
  readonly strategy: string;
  readonly inProgress: boolean;
  readonly detail: string;
}

export interface EndpointStatus {
  readonly endpoint: string;
  readonly runtime: EndpointModel["runtime"];
  /** The endpoint's name where it runs (SageMaker endpoint, Cloud Run service, container app, Kubernetes object). */
  readonly resource: Known<string>;
  /** What terraform state declares: the endpoint config, the pinned revision, the traffic split. */
  readonly declared: Known<{ readonly config?: string; readonly traffic?: readonly TrafficShare[] }>;
  /** What serves now, as the cloud or cluster reports it. */
  readonly serving: Known<{ readonly revision?: string; readonly config?: string; readonly state?: string }>;
  readonly traffic: Known<readonly TrafficShare[]>;
  readonly rollout: Known<RolloutView>;
  /** The endpoint's alarms and their states; an empty list where the runtime has none. */
  readonly alarms: Known<readonly AlarmState[]>;
}

export interface StatusReport {
  readonly stack: string;
  readonly cloud: string;
  /** Where terraform's answers come from, or why there are none. */
  readonly terraform: Known<"last synth" | "temporary folder">;
  readonly endpoints: readonly EndpointStatus[];
}

/** The parts of `terraform show -json` status reads: each resource's address and attribute values. */
const StateValues = z.object({
  values: z
    .object({
      root_module: z.object({
        resources: z.array(z.object({ address: z.string(), type: z.string(), name: z.string(), values: z.record(z.string(), z.unknown()).nullish() })).default([]),
      }),
    })
    .optional(),
});
export type StateResourceValues = { readonly address: string; readonly type: string; readonly name: string; readonly values: Record<string, unknown> };

export interface StackFacts {
  readonly outputs: Record<string, TerraformOutput>;
  readonly resources: readonly StateResourceValues[];
}

export async function runStatus(file: string, options: CommonOptions, deps: StatusDeps): Promise<StatusReport> {
  // Bad input first: a blueprint that does not load is exit 1 before any tool runs.
  const { model } = loadBlueprintOrThrow(file, { env: options.env });
  const env = options.env ?? "default";
  const paths = resolveOutputPaths(file, options.outDir, options.stateDir);
  const reused = initializedStacks(paths.outDir, file, env)?.find((s) => s.name === model.stackName);
  let temp: string | undefined;
  let release: (() => void) | undefined;
  try {
    let stack: SynthedStack | undefined = reused;
    let facts: Known<StackFacts>;
    try {
      if (!stack) {
        temp = mkdtempSync(join(tmpdir(), "mlplat-status-"));
        const synth = await deps.progress.step("synth", basename(file), () =>
          deps.synth(file, { env: options.env, outDir: join(temp!, "out"), stateDir: options.stateDir, offline: false, command: "status", holdLock: true }),
        );
        release = synth.release;
        stack = synth.stacks.find((s) => s.name === model.stackName);
        if (stack) await initStep(deps, stack, false);
      }
      facts = stack ? { value: await readFacts(deps, stack) } : { unknown: `synth wrote no stack ${model.stackName}` };
    } catch (err) {
      if (!(err instanceof MlplatError) || err.exitCode === 70) throw err;
      facts = { unknown: `terraform: ${err.message.replace(/\.$/, "")}` };
    }
    if (isKnown(facts) && Object.keys(facts.value.outputs).length === 0 && facts.value.resources.length === 0) {
      throw new MlplatError("MLP_NOT_DEPLOYED", `${model.stackName} is not deployed: terraform finds no outputs and no resources in the state.`, {
        hint: `deploy with \`mlplat deploy ${file}${options.env ? ` --env ${options.env}` : ""}\`; if it is deployed, check --env, --state-dir and spec.state point at its state.`,
      });
    }
    const dir = stack?.dir ?? paths.outDir;
    const endpoints: EndpointStatus[] = [];
    const kube = await kubernetesStatus(deps, model, reused?.dir, isKnown(facts) ? facts.value.outputs : undefined);
    for (const e of model.endpoints) {
      endpoints.push(e.runtime === "kubernetes" ? kube(e) : await managedStatus(deps, model, e, facts, dir, paths.stateDir));
    }
    const report: StatusReport = {
      stack: model.stackName,
      cloud: model.cloud,
      terraform: isKnown(facts) ? { value: reused ? "last synth" : "temporary folder" } : facts,
      endpoints,
    };
    deps.ui.print(renderStatus(report));
    return report;
  } finally {
    release?.();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

async function readFacts(deps: EngineDeps, stack: SynthedStack): Promise<StackFacts> {
  const outputs = await deps.progress.step("output", stack.name, () => deps.runner.output(stack.dir));
  const raw = await deps.progress.step("state", stack.name, () => deps.runner.showState(stack.dir));
  const parsed = StateValues.safeParse(raw);
  if (!parsed.success) throw new MlplatError("MLP_TERRAFORM_JSON", `terraform's state JSON of ${stack.name} has an unexpected shape.`, { exitCode: 3 });
  const resources = (parsed.data.values?.root_module.resources ?? []).map((r) => ({ ...r, values: r.values ?? {} }));
  return { outputs, resources };
}

/** The endpoint's own resource of `type` (construct id `serving_<endpoint>`). */
function resourceOf(facts: StackFacts, type: string, e: EndpointModel): StateResourceValues | undefined {
  return facts.resources.find((r) => r.type === type && r.name === `serving_${e.name}`);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

const NOT_DEPLOYED = (e: EndpointModel) => `endpoint ${e.name} is not in the stack's state (not deployed yet, or deferred until its image is pushed)`;

async function managedStatus(deps: StatusDeps, model: PlatformModel, e: EndpointModel, facts: Known<StackFacts>, dir: string, stateDir: string): Promise<EndpointStatus> {
  const strategy = e.rollout?.strategy ?? "allAtOnce";
  const base = { endpoint: e.name, runtime: e.runtime };
  const unknownAll = (reason: string): EndpointStatus => ({ ...base, resource: { unknown: reason }, declared: { unknown: reason }, serving: { unknown: reason }, traffic: { unknown: reason }, rollout: { unknown: reason }, alarms: { unknown: reason } });
  if (!isKnown(facts)) return unknownAll(facts.unknown);
  const f = facts.value;

  if (model.cloud === "aws") {
    const r = resourceOf(f, "aws_sagemaker_endpoint", e);
    const name = str(r?.values.name) ?? str((f.outputs.endpoint_names?.value as Record<string, unknown> | undefined)?.[e.name]);
    if (!name) return unknownAll(NOT_DEPLOYED(e));
    const alarmNames = f.resources.filter((x) => x.type === "aws_cloudwatch_metric_alarm" && x.name.startsWith(`serving_${e.name}_`)).flatMap((x) => str(x.values.alarm_name) ?? []);
    const sm = await deps.progress.step("sagemaker", e.name, () => deps.sources.sagemakerEndpoint(dir, model.region, name));
    const alarms = await deps.progress.step("alarms", e.name, () => deps.sources.cloudwatchAlarms(dir, model.region, alarmNames.sort()));
    const total = isKnown(sm) ? sm.value.variants.reduce((s, v) => s + (v.weight ?? 0), 0) : 0;
    return {
      ...base,
      resource: { value: name },
      declared: { value: { ...(str(r?.values.endpoint_config_name) ? { config: str(r?.values.endpoint_config_name) } : {}) } },
      serving: isKnown(sm) ? { value: { config: sm.value.config, state: sm.value.status + (sm.value.failureReason ? `: ${sm.value.failureReason}` : "") } } : sm,
      traffic: isKnown(sm) ? { value: sm.value.variants.map((v) => ({ revision: `${sm.value.config}/${v.name}`, percent: total > 0 ? Math.round(((v.weight ?? 0) / total) * 100) : 0 })) } : sm,
      rollout: isKnown(sm) ? { value: sagemakerRollout(strategy, sm.value) } : sm,
      alarms,
    };
  }

  // Cloud Run (gcp) and Container Apps (azure): the stepped rollout's record, then the cloud.
  const type = model.cloud === "gcp" ? "google_cloud_run_v2_service" : "azurerm_container_app";
  const r = resourceOf(f, type, e);
  const name = str(r?.values.name);
  if (!name) return unknownAll(NOT_DEPLOYED(e));
  const rollout = recordedRollout(strategy, stateDir, model.stackName, e.name);
  if (model.cloud === "gcp") {
    const declared = Array.isArray(r?.values.traffic) ? (r.values.traffic as Record<string, unknown>[]).map((t) => ({ revision: str(t.revision) ?? "(latest)", percent: Number(t.percent ?? 0) })) : undefined;
    const project = model.gcp?.project ?? "";
    const cr = await deps.progress.step("cloud run", e.name, () => deps.sources.cloudRunService(dir, project, str(r?.values.location) ?? model.region, name));
    const policies = gcpAlertPolicies(f, e);
    const alarms = policies.length === 0 ? { value: [] } : await deps.progress.step("alarms", e.name, () => deps.sources.gcpAlertPolicies(dir, project, policies));
    return {
      ...base,
      resource: { value: name },
      declared: { value: { ...(declared ? { traffic: declared } : {}) } },
      serving: isKnown(cr) ? { value: { revision: cr.value.latestReadyRevision, state: cr.value.ready === "True" ? "Ready" : `Ready=${cr.value.ready ?? "unknown"}` } } : cr,
      traffic: isKnown(cr) ? { value: cr.value.traffic } : cr,
      rollout,
      alarms,
    };
  }
  const rg = str(r?.values.resource_group_name) ?? str(f.outputs.resource_group?.value) ?? model.azure?.resourceGroup ?? "";
  const ingress = Array.isArray(r?.values.ingress) ? (r.values.ingress as Record<string, unknown>[])[0] : undefined;
  const declared = Array.isArray(ingress?.traffic_weight)
    ? (ingress.traffic_weight as Record<string, unknown>[]).map((t) => ({ revision: str(t.revision_suffix) ?? (t.latest_revision ? "(latest)" : "?"), percent: Number(t.percentage ?? 0) }))
    : undefined;
  const revs = await deps.progress.step("container app", e.name, () => deps.sources.containerAppRevisions(dir, rg, name));
  const rules = azureAlertRules(f, e, str(r?.values.id));
  const alarms = rules.length === 0 ? { value: [] } : await deps.progress.step("alarms", e.name, () => deps.sources.azureMetricAlerts(dir, rules));
  const serving = isKnown(revs) ? [...revs.value].filter((x) => x.active).sort((a, b) => b.trafficWeight - a.trafficWeight)[0] : undefined;
  return {
    ...base,
    resource: { value: name },
    declared: { value: { ...(declared ? { traffic: declared } : {}) } },
    serving: isKnown(revs) ? { value: { revision: serving?.name, state: serving?.health ?? (serving ? "active" : "no active revision") } } : revs,
    traffic: isKnown(revs) ? { value: revs.value.filter((x) => x.trafficWeight > 0).map((x) => ({ revision: x.name, percent: x.trafficWeight })) } : revs,
    rollout,
    alarms,
  };
}

/**
 * The endpoint's Azure Monitor metric alerts in the state: those scoped to its container app, or
 * named for it by stacks/azure/platform-observability.ts (`observability/<endpoint>-latency`,
 * `observability/<endpoint>-errors`).
 */
function azureAlertRules(f: StackFacts, e: EndpointModel, appId: string | undefined): AzureAlertRule[] {
  const ownName = (n: string) => n === `observability_${e.name}-latency` || n === `observability_${e.name}-errors`;
  const onApp = (scopes: unknown) => appId !== undefined && Array.isArray(scopes) && scopes.some((x) => typeof x === "string" && x.toLowerCase() === appId.toLowerCase());
  return f.resources
    .filter((x) => x.type === "azurerm_monitor_metric_alert" && (ownName(x.name) || onApp(x.values.scopes)))
    .map((x) => ({ name: str(x.values.name) ?? x.name, id: str(x.values.id) ?? "" }));
}

/** The endpoint's Cloud Monitoring alert policies in the state, as stacks/gcp/observability.ts names them. */
function gcpAlertPolicies(f: StackFacts, e: EndpointModel): GcpAlertPolicy[] {
  const own = new Set([`observability_${e.name}-latency-p99`, `observability_${e.name}-5xx-rate`]);
  return f.resources
    .filter((x) => x.type === "google_monitoring_alert_policy" && own.has(x.name))
    .map((x) => ({ name: str(x.values.display_name) ?? x.name, id: str(x.values.name) ?? "" }));
}

function sagemakerRollout(strategy: string, sm: { status: string; pendingConfig?: string; config: string }): RolloutView {
  if (sm.status === "RollingBack") return { strategy, inProgress: true, detail: `rolling back to ${sm.config} (an alarm fired or the update failed)` };
  if (sm.pendingConfig) return { strategy, inProgress: true, detail: `blue/green update from ${sm.config} to ${sm.pendingConfig} (${sm.status})` };
  if (sm.status === "Updating" || sm.status === "SystemUpdating") return { strategy, inProgress: true, detail: `${sm.status}` };
  return { strategy, inProgress: false, detail: `none (${sm.status})` };
}

/** The stepped rollout of a Cloud Run / Container Apps endpoint, from helper F's record (src/engine/rollout-state.ts). */
function recordedRollout(strategy: string, stateDir: string, stack: string, endpoint: string): Known<RolloutView> {
  let rec: EndpointRollout | undefined;
  try {
    rec = readEndpointRollout(stateDir, stack, endpoint);
  } catch (err) {
    if (err instanceof MlplatError) return { unknown: err.message.replace(/\.$/, "") };
    throw err;
  }
  if (!rec) return { value: { strategy, inProgress: false, detail: "no stepped rollout recorded" } };
  const steps = rec.steps.length;
  const at = `step ${rec.step + 1}/${steps}: ${rec.newPercent}% on ${rec.newRevision} (previous ${rec.previousRevision})`;
  if (rec.status === "in-progress") return { value: { strategy: rec.strategy, inProgress: true, detail: `${at}, interrupted or baking: \`mlplat deploy\` resumes it, \`mlplat rollback\` returns to the previous revision` } };
  if (rec.status === "rolled-back") return { value: { strategy: rec.strategy, inProgress: false, detail: `rolled back to ${rec.previousRevision} (${rec.updated})` } };
  return { value: { strategy: rec.strategy, inProgress: false, detail: `complete: ${rec.newRevision} has 100% (${rec.updated})` } };
}
