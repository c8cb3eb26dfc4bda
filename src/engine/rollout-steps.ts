
/**
 * The pure part of a stepped traffic rollout (Cloud Run, Container Apps): the traffic split of each
 * step (the steps themselves are `trafficSteps` in src/model/rollout.ts) as the value of the stack's
 * `mlplat_traffic_<endpoint>` variable (a list of `{ revision, percent }`).
 * src/engine/traffic-rollout.ts applies them.
 */

export interface TrafficWeight {
  readonly revision: string;
  readonly percent: number;
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
