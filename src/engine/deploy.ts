import { MlplatError } from "../util/errors.js";
import { deferEndpointsWithoutImage, type DeferredEndpoint } from "./image-phase.js";
import { afterTerraform, refuseWithoutAccessPath, type KubernetesReport } from "./kubernetes-phase.js";
import { describeKubernetesDeletion, KubernetesPrune, type KubernetesObjectRef, type PrunePreview } from "./kubernetes-prune.js";
import type { CommonOptions, EngineDeps, SynthedStack, Ui } from "./ports.js";
import { renderSummary } from "./render.js";
import { applyReviewed, initStep, planStep, stackJson, synthStep, type StackPlan } from "./stack-plan.js";
import type { DataLoss } from "./summary.js";
import { describeDisruption, type Disruption } from "./disruption.js";
import { quotaPreflight } from "./quota-phase.js";
import { checkAppliedEndpoints } from "./rollback-check.js";
import { resolveOutputPaths } from "../output/paths.js";
import { TrafficRollout, type TrafficRolloutReport } from "./traffic-rollout.js";

export interface DeployCommandOptions extends CommonOptions {
  /** @default false; apply without asking (CI). Without it and without a terminal, deploy refuses. */
  readonly autoApprove?: boolean;
  /** @default false; let a plan destroy or replace data-bearing resources. */
  readonly allowDataLoss?: boolean;
  /** @default false; let a plan destroy or replace a cluster, a node pool with nodes, an endpoint, the network or a key (src/engine/disruption.ts). */
  readonly allowDisruption?: boolean;
  /** @default true */
  readonly refresh?: boolean;
  /** @default false; stop after plan, summary and guards (exit 0 would apply, 1 refused). */
  readonly offline?: boolean;
  /** @default false; leave k8s/ to GitOps: no kubectl, and no refusal for a cluster without an access path. */
  readonly skipKubernetes?: boolean;
  /** @default 300; `kubectl rollout status --timeout` of the add-ons, in seconds. */
  readonly rolloutTimeoutSeconds?: number;
  /** @default false; deploy even when a quota is below the need at min (src/engine/quota-phase.ts). */
  readonly ignoreQuota?: boolean;
}

/** `partial`: applied, but endpoints whose image is not pushed yet were deferred (src/engine/image-phase.ts). */
export type DeployStatus = "applied" | "no-changes" | "would-apply" | "refused" | "declined" | "partial";

export interface DeployReport {
  readonly status: DeployStatus;
  readonly stacks: (ReturnType<typeof stackJson> & { applied: boolean })[];
  /** Set when status is `refused` or `declined`: the error the command raises after printing. */
  readonly error?: MlplatError;
  /** The Kubernetes layer of each stack with a cluster, after the apply. */
  readonly kubernetes?: (KubernetesReport & { stack: string })[];
  /** Endpoints deferred until their image is pushed (status `partial`). */
  readonly deferred?: DeferredEndpoint[];
  /** Stepped traffic rollouts of Cloud Run / Container Apps endpoints this run moved (src/engine/traffic-rollout.ts). */
  readonly rollouts?: TrafficRolloutReport[];
  /** Kubernetes objects of endpoints removed from the blueprint, listed before the confirmation (src/engine/kubernetes-prune.ts). */
  readonly prune?: PrunePreview[];
}

/**
 * `mlplat deploy`: plan every stack, show the summaries, apply the guards, ask, then apply
 * exactly the saved plans. Nothing is applied anywhere unless every stack passes the guards.
 */
export async function runDeploy(file: string, options: DeployCommandOptions, deps: EngineDeps): Promise<DeployReport> {
  const offline = options.offline ?? false;
  if (!offline) requireApproval(deps.ui, options.autoApprove ?? false, "deploy");

  let synth = await synthStep(deps, file, { ...options, offline, command: "deploy" });
  try {
    // Phases (src/engine/image-phase.ts, src/engine/kubernetes-phase.ts): refuse a cluster mlplat
    // cannot reach before anything is applied; defer endpoints whose image is not pushed yet;
    // terraform; then the Kubernetes layer and the push instructions.
    refuseWithoutAccessPath(synth.model, options.skipKubernetes ?? false);
    await quotaPreflight(deps, synth.model, { offline, refuse: true, ignoreQuota: options.ignoreQuota, stackDir: synth.stacks[0]!.dir });
    const images = await deferEndpointsWithoutImage(deps, file, synth, { ...options, offline });
    synth = images.synth;
    // Cloud Run / Container Apps endpoints with a canary or linear rollout: traffic inputs for the
    // plan; the remaining steps (and their bakes) run last, after the Kubernetes layer
    // (src/engine/traffic-rollout.ts). --offline only checks.
    const traffic = offline ? undefined : new TrafficRollout(deps, synth.model, resolveOutputPaths(file, options.outDir, options.stateDir).stateDir, { refresh: options.refresh !== false });
    // Kubernetes objects of endpoints removed from the blueprint: listed with the plan, deleted after the apply (src/engine/kubernetes-prune.ts).
    const prune = options.skipKubernetes ? undefined : new KubernetesPrune(deps, synth.model, { command: "deploy", offline, deferred: images.deferred.map((d) => d.endpoint) });
    const deployed = await deployStacks(synth.stacks, options, deps, traffic, prune);
    // SageMaker may have rolled an endpoint update back while terraform reported success (src/engine/rollback-check.ts).
    await checkAppliedEndpoints(deps, synth.stacks, synth.model, deployed);
    const report = await afterTerraform(deps, deployed, synth, images, { ...options, offline, prune });
    if (!traffic || (deployed.status !== "applied" && deployed.status !== "no-changes")) return report;
    return traffic.pending ? { ...report, rollouts: await traffic.continue() } : report;
  } finally {
    synth.release?.();
  }
}

/** Everything after synth, while this run holds the output's lock: plan, summaries, guards, confirmation, apply. */
async function deployStacks(stacks: readonly SynthedStack[], options: DeployCommandOptions, deps: EngineDeps, traffic?: TrafficRollout, prune?: KubernetesPrune): Promise<DeployReport> {
  const offline = options.offline ?? false;
  const plans: StackPlan[] = [];
  for (const stack of stacks) {
    await initStep(deps, stack, offline);
    const vars = await traffic?.prepare(stack);
    const planned = await planStep(deps, stack, { refresh: !offline && options.refresh !== false, ...(vars ? { vars } : {}) });
    deps.ui.print(renderSummary(stack.name, planned.summary));
    await prune?.preview(stack);
    plans.push(planned);
  }
  const report = (status: DeployStatus, applied: ReadonlySet<string> = new Set(), error?: MlplatError): DeployReport => ({
    status,
    stacks: plans.map((p) => ({ ...stackJson(p), applied: applied.has(p.stack.name) })),
    error,
    ...(prune && prune.reports.length > 0 ? { prune: prune.reports } : {}),
  });

  // The guard reads the plan, not the config: prevent_destroy does not help once a resource
  // has left the configuration, which is exactly when a bucket is lost by a rename.
  const dataLoss = plans.flatMap((p) => p.summary.dataLoss.map((d) => ({ stack: p.stack.name, ...d })));
  if (dataLoss.length > 0 && !options.allowDataLoss) return report("refused", new Set(), dataLossRefusal(dataLoss));
  const disruptions = plans.flatMap((p) => p.summary.disruptions.map((d) => ({ stack: p.stack.name, ...d })));
  const k8sDeletions = prune?.deletions ?? [];
  if ((disruptions.length > 0 || k8sDeletions.length > 0) && !options.allowDisruption) return report("refused", new Set(), disruptionRefusal(disruptions, k8sDeletions));

  const changed = plans.filter((p) => p.summary.changes);
  // A resumed rollout whose recorded step is already in state still has steps to apply; removed endpoints' objects are deleted after the "yes".
  if (changed.length === 0 && !traffic?.pending && k8sDeletions.length === 0) return report("no-changes");
  if (offline) {
    deps.ui.print("Offline: the plan passed the guards; nothing was applied (deploy without --offline to apply).");
    return report("would-apply");
  }

  if (!options.autoApprove) {
    const names = changed.map((p) => p.stack.name).join(", ");
    const question =
      changed.length > 0
        ? `Apply the plan above to ${names}?${k8sDeletions.length > 0 ? " The Kubernetes objects listed above are deleted too." : ""} Only "yes" applies: `
        : traffic?.pending
          ? `Continue the traffic rollout above?${k8sDeletions.length > 0 ? " The Kubernetes objects listed above are deleted too." : ""} Only "yes" continues: `
          : `Delete the Kubernetes objects listed above? Only "yes" deletes: `;
    const ok = await deps.ui.confirm!(question);
    if (!ok) return report("declined", new Set(), new MlplatError("MLP_DEPLOY_DECLINED", "Deploy cancelled: nothing was applied."));
  }

  const applied = new Set<string>();
  for (const p of changed) {
    // The reviewed bytes only: MLP_PLAN_CHANGED when the plan file changed since the summary.
    await applyReviewed(deps, p.stack, p.sealed);
    applied.add(p.stack.name);
  }
  // Every planned stack now holds the traffic step its plan carried (unchanged ones already did).
  traffic?.recordApplied(new Set(plans.map((p) => p.stack.name)));
  return report(changed.length > 0 ? "applied" : "no-changes", applied);
}

/** Refuses before any work when nobody can confirm and nothing said yes in advance. */
export function requireApproval(ui: Ui, autoApprove: boolean, verb: "deploy" | "destroy"): void {
  if (autoApprove || ui.confirm) return;
  throw new MlplatError("MLP_NEEDS_APPROVAL", `${verb} asks for confirmation, and there is no terminal to ask on.`, {
    hint:
      verb === "deploy"
        ? "review the changes with `mlplat plan` (or `mlplat deploy --offline`), then run `mlplat deploy --auto-approve` (CI jobs do this)."
        : "run `mlplat destroy --auto-approve` when destroying without a terminal is intended.",
  });
}

function dataLossRefusal(items: readonly (DataLoss & { stack: string })[]): MlplatError {
  const lines = items.map((d) => `  - ${d.address} in ${d.stack} (${d.section} "${d.name}"): ${d.action === "delete" ? "destroy" : "replace"}`);
  return new MlplatError(
    "MLP_DATA_LOSS",
    `Deploy refused: the plan would destroy or replace ${items.length} data-bearing resource${items.length === 1 ? "" : "s"}. Nothing was applied.`,
    {
      details: lines.join("\n"),
      hint:
        "a bucket, key, registry or model registry removed or renamed in the blueprint is destroyed with its data. " +
        "Restore it in the blueprint, or run again with --allow-data-loss if losing it is intended.",
    },
  );
}

function disruptionRefusal(items: readonly (Disruption & { stack: string })[], k8s: readonly (KubernetesObjectRef & { stack: string })[] = []): MlplatError {
  const count = items.length + k8s.length;
  const k8sHint =
    "the Kubernetes objects of an endpoint removed from the blueprint would be deleted (its pods stop serving and free their nodes). " +
    "Restore the endpoint in the blueprint, or run again with --allow-disruption if removing it is intended.";
  return new MlplatError(
    "MLP_DISRUPTION",
    `Deploy refused: the plan would destroy or replace ${count} running part${count === 1 ? "" : "s"} of the platform. Nothing was applied.`,
    {
      details: [...items.map((d) => `  - ${describeDisruption(d)} in ${d.stack}`), ...k8s.map((d) => `  - ${describeKubernetesDeletion(d)} in ${d.stack}`)].join("\n"),
      hint:
        items.length === 0
          ? k8sHint
          : "a cluster, a node pool with nodes, an endpoint in service, the network or a key would go down or be rebuilt. " +
            "Undo the edit that forces it (the attribute is named above), or run again with --allow-disruption if the replacement is intended." +
            (k8s.length > 0 ? ` Also: ${k8sHint}` : ""),
    },
  );
}
