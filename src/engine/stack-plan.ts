import { basename, join } from "node:path";
import { reviewedPlanCopy, sealPlan, type SealedPlan } from "../output/plan-file.js";
import { readStackText, writeStackFile } from "../output/stack-files.js";
import { parsePlanStream } from "../terraform/plan-stream.js";
import { PLAN_FILE } from "../terraform/runner.js";
import { TerraformError } from "../util/errors.js";
import { protectedReplacementRefusal } from "./protected-replacement.js";
import type { CommonOptions, EngineDeps, SynthResult, SynthedStack } from "./ports.js";
import { summarizePlan, type PlanSummary } from "./summary.js";
import { withPlanDetails, type ShownPlan } from "./disruption.js";

/**
 * Steps every command shares: synth, init, plan, apply. Synth takes the output's lock (and each
 * stack's) for the whole command: the caller releases it with `synth.release?.()` in a `finally`.
 */
export async function synthStep(
  deps: EngineDeps,
  file: string,
  options: CommonOptions & { offline: boolean; command: "plan" | "deploy" | "destroy" | "output" },
): Promise<SynthResult> {
  return deps.progress.step("synth", basename(file), () =>
    deps.synth(file, { env: options.env, outDir: options.outDir, stateDir: options.stateDir, offline: options.offline, command: options.command, holdLock: true }),
  );
}

/**
 * `terraform init`. Synth keeps `.terraform` between runs, and terraform remembers the backend
 * there. An `--offline` run swaps a remote backend for a local stand-in, so going to or from
 * one reinitializes without migrating (`-reconfigure`); a marker file records how the last init
 * was done. Any other backend change is left to fail with terraform's own migration message.
 */
export async function initStep(deps: EngineDeps, stack: SynthedStack, offline: boolean): Promise<void> {
  const lastOffline = readInitMarker(stack.dir);
  await deps.progress.step("init", stack.name, () => deps.runner.init(stack.dir, { reconfigure: offline || lastOffline }));
  writeStackFile(stack.dir, INIT_MARKER, JSON.stringify({ offline }) + "\n");
}

const INIT_MARKER = join(".terraform", "mlplat-init.json");

function readInitMarker(dir: string): boolean {
  try {
    return (JSON.parse(readStackText(dir, INIT_MARKER)) as { offline?: unknown }).offline === true;
  } catch {
    return false;
  }
}

export interface StackPlan {
  readonly stack: SynthedStack;
  readonly summary: PlanSummary;
  /** The saved plan and the hash of its bytes at review: only those bytes are ever applied (applyReviewed). */
  readonly sealed: SealedPlan;
}

/**
 * Plans to the saved plan file, reading what it changes from the plan's own JSON stream
 * (`terraform plan -json`) rather than from a `terraform show -json` of the file afterwards,
 * which would take seconds more on a cloud stack. The file is sealed (sha256) as soon as
 * terraform has written it, so the summary and the data-loss guard judge the bytes applied.
 * A plan that fails because it must destroy a `prevent_destroy` resource is the data-loss
 * refusal (MLP_DATA_LOSS, exit 1), not a terraform failure.
 */
export async function planStep(
  deps: EngineDeps,
  stack: SynthedStack,
  options: { refresh: boolean; destroy?: boolean; targets?: readonly string[]; out?: string },
): Promise<StackPlan> {
  return deps.progress.step(options.destroy ? "plan-destroy" : "plan", stack.name, async () => {
    const out = options.out ?? PLAN_FILE;
    let messages: unknown[];
    try {
      messages = await deps.runner.plan(stack.dir, { out, refresh: options.refresh, destroy: options.destroy, targets: options.targets });
    } catch (err) {
      if (err instanceof TerraformError && err.failureKind === "protected") throw protectedReplacementRefusal(stack.name, err);
      throw err;
    }
    const sealed = sealPlan(stack.dir, out);
    const summary = summarizePlan(parsePlanStream(messages, `${stack.name}/${out}`));
    // The stream names no forcing attribute and no pool size: only when the plan disrupts
    // something is the saved plan shown (seconds on a cloud stack) to name them.
    if (summary.disruptions.length > 0 && !options.destroy && deps.runner.showPlan) {
      const shown = (await deps.runner.showPlan(stack.dir, out)) as ShownPlan;
      return { stack, summary: { ...summary, disruptions: withPlanDetails(summary.disruptions, shown) }, sealed };
    }
    return { stack, summary, sealed };
  });
}

/**
 * Applies exactly the reviewed plan: its bytes are checked against the seal and copied to a
 * private file right before `terraform apply` (src/output/plan-file.ts); MLP_PLAN_CHANGED
 * (exit 1, nothing applied) when they differ.
 */
export async function applyReviewed(deps: EngineDeps, stack: SynthedStack, sealed: SealedPlan, step = "apply"): Promise<void> {
  const copy = reviewedPlanCopy(stack.dir, stack.name, sealed);
  try {
    await deps.progress.step(step, stack.name, () => deps.runner.apply(stack.dir, copy.file));
  } finally {
    copy.dispose();
  }
}

/** The JSON shape of one planned stack (`plan --json`, and the base of deploy's and destroy's). */
export function stackJson(p: StackPlan) {
  const { add, change, destroy, replace, dataLoss, disruptions, sections, changes } = p.summary;
  return { name: p.stack.name, add, change, destroy, replace, dataLoss, disruptions, sections, changes };
}
