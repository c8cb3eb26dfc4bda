import type { RolloutModel } from "../model/rollout.js";

/**
 * The pure part of a stepped traffic rollout (Cloud Run, Container Apps): which percentages of
 * traffic the new revision gets, step by step, and the traffic split of each step as the value of
 * the stack's `mlplat_traffic_<endpoint>` variable (a list of `{ revision, percent }`).
 * src/engine/traffic-rollout.ts applies them.
 */

export interface TrafficWeight {
  readonly revision: string;
  readonly percent: number;
}

/**
 * Percent of traffic on the new revision after each step, always ending at 100:
 * canary → [canaryPercent, 100]; linear → [s, 2s, …, 100] (the last step takes what is left);
 * allAtOnce → [100].
 */
export function rolloutSteps(r: Pick<RolloutModel, "strategy" | "canaryPercent" | "stepPercent">): number[] {
  if (r.strategy === "canary") return r.canaryPercent >= 100 ? [100] : [r.canaryPercent, 100];
  if (r.strategy === "linear") {
    if (r.stepPercent <= 0) throw new Error(`linear rollout needs a positive stepPercent, got ${r.stepPercent}`);
    const steps: number[] = [];
    for (let p = r.stepPercent; p < 100; p += r.stepPercent) steps.push(p);
    return [...steps, 100];
  }
  return [100];
}

/**
 * The traffic split with `newPercent` on the new revision and the rest on the previous one; only
 * the revisions that get traffic are listed (100 → the new alone, 0 → the previous alone), the
 * new revision first.
 */
export function trafficSplit(previous: string, next: string, newPercent: number): TrafficWeight[] {
  if (!Number.isInteger(newPercent) || newPercent < 0 || newPercent > 100) throw new Error(`traffic percent must be an integer 0-100, got ${newPercent}`);
  if (newPercent === 100 || previous === next) return [{ revision: next, percent: 100 }];
  if (newPercent === 0) return [{ revision: previous, percent: 100 }];
  return [
    { revision: next, percent: newPercent },
    { revision: previous, percent: 100 - newPercent },
  ];
}

/** The `-var` value of a split: JSON, which Terraform reads as a list of objects. */
export function trafficVarValue(split: readonly TrafficWeight[]): string {
  return JSON.stringify(split.map((w) => ({ revision: w.revision, percent: w.percent })));
}

/** Total bake time of a rollout: one bake between consecutive steps. */
export function bakeMinutesTotal(steps: readonly number[], bakeMinutes: number): number {
  return Math.max(0, steps.length - 1) * bakeMinutes;
}
