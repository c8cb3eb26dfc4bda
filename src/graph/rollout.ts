import type { EndpointModel, PlatformModel } from "../model/platform.js";
import { canRollBackOnAlarms } from "../model/rollout.js";
import { nodeId, type GraphEdge } from "./platform-graph.js";

/**
 * The v1.1 `rollout` and `monitoring` of an endpoint in the platform graph: a line on the endpoint
 * (strategy, steps, bake, rollback), and dashed arrows to the capture and baseline buckets and, for
 * the drift alarm, to observability.
 */
export function rolloutLines(cloud: PlatformModel["cloud"], e: EndpointModel): string[] {
  const r = e.rollout;
  if (!r) return [];
  const what = r.strategy === "canary" ? `canary ${r.canaryPercent}%` : r.strategy === "linear" ? `linear ${r.stepPercent}% steps` : "all at once";
  const rollback = canRollBackOnAlarms(cloud, e.runtime) && r.rollbackOnAlarms ? " · rolls back on alarms" : "";
  return [`rollout ${what} · bake ${r.bakeMinutes} min${rollback}`];
}

export function monitoringEdges(model: PlatformModel): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const e of model.endpoints) {
    const m = e.monitoring;
    if (!m) continue;
    const id = nodeId("endpoint", e.name);
    if (m.capture) edges.push({ from: id, to: nodeId("bucket", m.capture.bucket), label: `captures ${m.capture.samplePercent}%`, dashed: true });
    if (m.drift) {
      edges.push({ from: id, to: nodeId("bucket", m.drift.baseline.bucket), label: `drift baseline (${m.drift.schedule})`, dashed: true });
      edges.push({ from: id, to: "observability", label: "drift alarm", dashed: true });
    }
  }
  return edges;
}
