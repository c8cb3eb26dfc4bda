import type { NodePoolModel, Taint } from "../model/platform.js";
import type { KubernetesPlatform } from "../targets/target.js";
import { GPU_RESOURCE } from "./conventions.js";

export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: Taint["effect"];
}

/** Tolerates the GPU taint whatever its value (the model sets `present`; GKE sets its own). */
export const GPU_TOLERATION: Toleration = { key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" };

/** Lets add-ons run on AKS/EKS system pools restricted to critical add-ons. */
export const CRITICAL_ADDONS_TOLERATION: Toleration = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };

export function tolerate(t: Taint): Toleration {
  return { key: t.key, operator: "Equal", value: t.value, effect: t.effect };
}

/**
 * What a pod scheduled on `pool` must tolerate: the GPU taint on GPU pools, the pool's own taints
 * (from the blueprint), and the taints the cloud itself puts on spot nodes when the pool is spot.
 */
export function poolTolerations(pool: NodePoolModel, platform: KubernetesPlatform, extra: readonly Toleration[] = []): Toleration[] {
  return uniqueTolerations([
    ...extra,
    ...(pool.gpu ? [GPU_TOLERATION] : []),
    ...pool.taints.map(tolerate),
    ...(pool.spot ? platform.spotTaints.map(tolerate) : []),
  ]);
}

/**
 * Drops duplicates and taints an `Exists` toleration of the same key and effect already
 * covers, keeping the first occurrence's order.
 */
export function uniqueTolerations(list: readonly Toleration[]): Toleration[] {
  const out: Toleration[] = [];
  for (const t of list) {
    const covered = out.some(
      (o) => o.key === t.key && o.effect === t.effect && (o.operator === "Exists" || (t.operator === "Equal" && o.value === t.value)),
    );
    if (!covered) out.push(t);
  }
  return out;
}
