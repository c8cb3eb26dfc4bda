import { createHash } from "node:crypto";
import type { EndpointModel } from "../model/platform.js";

/**
 * What the Cloud Run and Container Apps rollouts share (src/targets/gcp/rollout.ts,
 * src/targets/azure/rollout.ts): which endpoints move traffic in steps, the name of the input
 * variable that holds an endpoint's traffic split, and the content hash revision names come from.
 * The engine (src/engine/traffic-rollout.ts) finds rollout endpoints in a synthesized stack by
 * the variable's prefix.
 */

/** The variable of an endpoint's traffic split, `mlplat_traffic_<endpoint>`: a list of `{ revision, percent }`. */
export const TRAFFIC_VARIABLE_PREFIX = "mlplat_traffic_";

export function trafficVariableName(endpoint: string): string {
  return `${TRAFFIC_VARIABLE_PREFIX}${endpoint}`;
}

/** True when a managed endpoint's rollout moves traffic in steps (canary or linear); allAtOnce is v1's behaviour. */
export function hasTrafficRollout(e: Pick<EndpointModel, "rollout" | "runtime">): boolean {
  return e.runtime === "managed" && e.rollout !== undefined && e.rollout.strategy !== "allAtOnce";
}

/** 8 hex characters of the sha256 of the values, in the order given. */
export function contentHash(values: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(values)).digest("hex").slice(0, 8);
}
