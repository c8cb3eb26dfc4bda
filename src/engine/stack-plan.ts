import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parsePlanStream } from "../terraform/plan-stream.js";
import { PLAN_FILE } from "../terraform/runner.js";
import type { CommonOptions, EngineDeps, SynthResult, SynthedStack } from "./ports.js";
import { summarizePlan, type PlanSummary } from "./summary.js";

/** Steps every command shares: synth, init, plan. */
export async function synthStep(deps: EngineDeps, file: string, options: CommonOptions & { offline: boolean }): Promise<SynthResult> {
  return deps.progress.step("synth", basename(file), () =>
    deps.synth(file, { env: options.env, outDir: options.outDir, stateDir: options.stateDir, offline: options.offline }),
  );
}

/**
 * `terraform init`. Synth keeps `.terraform` between runs, and terraform remembers the backend
 * there. An `--offline` run swaps a remote backend for a local stand-in, so going to or from
 * one reinitializes without migrating (`-reconfigure`); a marker file records how the last init
 * was done. Any other backend change is left to fail with terraform's own migration message.
 */
export async function initStep(deps: EngineDeps, stack: SynthedStack, offline: boolean): Promise<void> {
  const marker = join(stack.dir, ".terraform", "mlplat-init.json");
  const lastOffline = readMarker(marker);
  await deps.progress.step("init", stack.name, () => deps.runner.init(stack.dir, { reconfigure: offline || lastOffline }));
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, JSON.stringify({ offline }) + "\n");
}

function readMarker(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { offline?: unknown }).offline === true;
  } catch {
    return false;
  }
}

export interface StackPlan {
  readonly stack: SynthedStack;
  readonly summary: PlanSummary;
}

/**
 * Plans to the saved plan file, reading what it changes from the plan's own JSON stream
 * (`terraform plan -json`) rather than from a `terraform show -json` of the file afterwards,
 * which would take seconds more on a cloud stack.
 */
export async function planStep(
  deps: EngineDeps,
  stack: SynthedStack,
  options: { refresh: boolean; destroy?: boolean; targets?: readonly string[] },
): Promise<StackPlan> {
  return deps.progress.step(options.destroy ? "plan-destroy" : "plan", stack.name, async () => {
    const messages = await deps.runner.plan(stack.dir, { out: PLAN_FILE, refresh: options.refresh, destroy: options.destroy, targets: options.targets });
    return { stack, summary: summarizePlan(parsePlanStream(messages, `${stack.name}/${PLAN_FILE}`)) };
  });
}

/** The JSON shape of one planned stack (`plan --json`, and the base of deploy's and destroy's). */
export function stackJson(p: StackPlan) {
  const { add, change, destroy, replace, dataLoss, sections, changes } = p.summary;
  return { name: p.stack.name, add, change, destroy, replace, dataLoss, sections, changes };
}
