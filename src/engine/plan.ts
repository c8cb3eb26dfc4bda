import type { CommonOptions, EngineDeps } from "./ports.js";
import { renderSummary } from "./render.js";
import { quotaPreflight } from "./quota-phase.js";
import { initStep, planStep, stackJson, synthStep } from "./stack-plan.js";
import { resolveOutputPaths } from "../output/paths.js";
import { TrafficRollout } from "./traffic-rollout.js";

export interface PlanCommandOptions extends CommonOptions {
  /** @default true; false plans with `-refresh=false`. */
  readonly refresh?: boolean;
  /** @default false; no cloud API call: offline synth, local state, no refresh. */
  readonly offline?: boolean;
}

export interface PlanReport {
  readonly stacks: ReturnType<typeof stackJson>[];
  /** Whether any stack has changes (`--detailed-exitcode` turns this into exit 2). */
  readonly changes: boolean;
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
    for (const stack of synth.stacks) {
      await initStep(deps, stack, offline);
      const vars = await traffic?.prepare(stack);
      const planned = await planStep(deps, stack, { refresh: !offline && options.refresh !== false, ...(vars ? { vars } : {}) });
      deps.ui.print(renderSummary(stack.name, planned.summary));
      stacks.push(stackJson(planned));
    }
    return { stacks, changes: stacks.some((s) => s.changes) };
  } finally {
    synth.release?.();
  }
}
