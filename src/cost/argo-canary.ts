/**
 * Pod counts of an Argo Rollouts basic canary (no traffic router), as mlplat writes it
 * (src/k8s/rollout.ts: `maxUnavailable: 0`, `maxSurge: "25%"`, a `setWeight` then a pause per
 * step). Mirrors the controller's arithmetic, argoproj/argo-rollouts utils/replicaset/canary.go:
 *  - at weight w of R replicas the canary ReplicaSet wants ceil(R·w/100) pods and the stable one
 *    ceil(R·(100−w)/100): both round up, so a weight that does not divide R runs one pod more
 *    than R for the whole pause (`extraReplicaAdded`);
 *  - moving to a step, new pods are added first, up to R + maxSurge (+1 in that rounding case)
 *    pods in all (`maxReplicaCountAllowed`), and stable pods are removed only once the new ones
 *    are available (maxUnavailable 0). maxSurge "25%" resolves rounding up: ceil(R/4).
 * Pure integer arithmetic, no controller state.
 */

const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);

/** Pods the canary and the stable ReplicaSets want at weight `w` of `replicas`. */
export function desiredPods(replicas: number, w: number): { canary: number; stable: number } {
  if (w >= 100) return { canary: replicas, stable: 0 };
  return { canary: ceilDiv(replicas * w, 100), stable: ceilDiv(replicas * (100 - w), 100) };
}

/** Pods above `replicas` while a step's pause lasts (0 or 1: the rounding of both counts). */
export function pausePods(replicas: number, w: number): number {
  const d = desiredPods(replicas, w);
  return d.canary + d.stable - replicas;
}

/** maxSurge "25%" of `replicas`, rounded up as Argo resolves a surge percentage. */
export function maxSurgePods(replicas: number): number {
  return ceilDiv(replicas * 25, 100);
}

/**
 * The most pods above `replicas` at any moment of a rollout through `weights`: for each step, the
 * new pods added before any stable pod goes (bounded by maxSurge, +1 when the weight does not
 * divide R), over the pods the previous step left.
 */
export function peakExtraPods(replicas: number, weights: readonly number[]): number {
  let canary = 0;
  let stable = replicas;
  let peak = 0;
  for (const w of weights) {
    const want = desiredPods(replicas, w);
    const surge = maxSurgePods(replicas) + (pausePods(replicas, w) > 0 ? 1 : 0);
    const room = Math.max(0, replicas + surge - (canary + stable));
    const added = Math.min(want.canary, canary + room);
    peak = Math.max(peak, added + stable - replicas);
    // Once the new pods are available, the stable ones go down to what the step wants (and new
    // pods are added as room frees up): the pause then holds the desired counts.
    canary = want.canary;
    stable = want.stable;
    peak = Math.max(peak, canary + stable - replicas);
  }
  return peak;
}
