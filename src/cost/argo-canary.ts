/**
 * Pod counts of an Argo Rollouts basic canary (no traffic router), as mlplat writes it
 * (src/k8s/rollout.ts: `maxUnavailable: 0`, `maxSurge: "25%"`, a `setWeight` then a pause per
 * step). Mirrors the arithmetic of the controller mlplat pins (v1.9.1, src/k8s/versions.ts),
 * argoproj/argo-rollouts utils/replicaset/canary.go:
 *  - at weight w of R replicas, `approximateWeightedCanaryStableReplicaCounts` picks, among
 *    ceil(R·w/100) and floor(R·w/100) canary pods out of R or (with a surge) R+1 pods in all, the
 *    split whose canary share is closest to w (the first one on a tie; a zero canary only at 0 or
 *    100 %, a canary of R only at 100 %): a pause runs one pod more than R when R+1 is closest;
 *  - moving to a step, new pods are added first, up to R + maxSurge pods in all
 *    (`maxReplicaCountAllowed`), and stable pods are removed only once the new ones are
 *    available (maxUnavailable 0). maxSurge "25%" resolves rounding up: ceil(R/4).
 * Pure arithmetic, no controller state.
 */

const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);

/** Pods the canary and the stable ReplicaSets want at weight `w` of `replicas` (approximateWeightedCanaryStableReplicaCounts). */
export function desiredPods(replicas: number, w: number): { canary: number; stable: number } {
  if (replicas <= 0) return { canary: 0, stable: 0 };
  if (w >= 100) return { canary: replicas, stable: 0 };
  const surge = maxSurgePods(replicas);
  const ceil = Math.ceil((replicas * w) / 100);
  const floor = Math.floor((replicas * w) / 100);
  // Go: math.Modf(float64(total) * (float64(w) / 100)) has a fractional part of exactly 0.5.
  const tied = (total: number) => {
    const x = total * (w / 100);
    return x - Math.trunc(x) === 0.5;
  };
  const zeroAllowed = w === 0 || (replicas === 1 && surge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (surge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas + 1 });
  }
  if (options.length === 0) return { canary: 0, stable: replicas };
  const delta = (o: { canary: number; total: number }) => Math.abs((o.canary * 100) / o.total - w);
  let best = options[0]!;
  for (const o of options.slice(1)) if (delta(o) < delta(best)) best = o;
  return { canary: best.canary, stable: best.total - best.canary };
}

/** Pods above `replicas` while a step's pause lasts (0 or 1). */
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
 * new pods added before any stable pod goes (bounded by R + maxSurge in all), over the pods the
 * previous step left.
 */
export function peakExtraPods(replicas: number, weights: readonly number[]): number {
  let canary = 0;
  let stable = replicas;
  let peak = 0;
  for (const w of weights) {
    const want = desiredPods(replicas, w);
    const surge = maxSurgePods(replicas);
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
