import type { CommonOptions, EngineDeps } from "./ports.js";
import { renderSummary } from "./render.js";
import { quotaPreflight } from "./quota-phase.js";
import { initStep, planStep, stackJson, synthStep } from "./stack-plan.js";
import { resolveOutputPaths } from "../output/paths.js";
import { TrafficRollout } from "./traffic-rollout.js";
import { KubernetesPrune, type PrunePreview } from "./kubernetes-prune.js";

export interface PlanCommandOptions extends CommonOptions {
  /** @default true; false plans with `-refresh=false`. */
  readonly refresh?: boolean;
  /** @default false; no cloud API call: offline synth, local state, no refresh. */
  readonly offline?: boolean;
}

export interface PlanReport {
  readonly stacks: ReturnType<typeof stackJson>[];
  /** Whether any stack has changes, Kubernetes objects of removed endpoints to delete included (`--detailed-exitcode` turns this into exit 2). */
  readonly changes: boolean;
  /** Per stack with a cluster: the Kubernetes objects of endpoints removed from the blueprint deploy would delete, or why the cluster was not read. */
  readonly prune?: PrunePreview[];
}

/** `mlplat plan`: synth, init and plan every stack to its saved plan file, then summarize. */
export async function runPlan(file: string, options: PlanCommandOptions, deps: EngineDeps): Promise<PlanReport> {
  const offline = options.offline ?? false;
  const synth = await synthStep(deps, file, { ...options, offline, command: "plan" });
  try {
    if (synth.stacks[0]) await quotaPreflight(deps, synth.model, { offline, refuse: false, stackDir: synth.stacks[0].dir });
    const stacks = [];
    // A Cloud Run / Container Apps rollout plans what deploy would apply first: its next traffic step (src/engine/traffic-rollout.ts).
    const traffic = offline ? undefined : new TrafficRollout(deps, synth.model, resolveOutputPaths(file, options.outDir, options.stateDir).stateDir, { refresh: options.refresh !== false });
    // What deploy would delete from the cluster (src/engine/kubernetes-prune.ts); offline, the cluster is not read, and the output says so.
    const prune = new KubernetesPrune(deps, synth.model, { command: "plan", offline });
    for (const stack of synth.stacks) {
      await initStep(deps, stack, offline);
      const vars = await traffic?.prepare(stack);
      const planned = await planStep(deps, stack, { refresh: !offline && options.refresh !== false, ...(vars ? { vars } : {}) });
      deps.ui.print(renderSummary(stack.name, planned.summary));
      await prune.preview(stack);
      stacks.push(stackJson(planned));
    }
    const changes = stacks.some((s) => s.changes) || prune.deletions.length > 0;
    return { stacks, changes, ...(prune.reports.length > 0 ? { prune: prune.reports } : {}) };
  } finally {
    synth.release?.();
  }
}
