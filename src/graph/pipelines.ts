import type { Cloud, PlatformModel } from "../model/platform.js";
import { nodeId, type GraphEdge, type GraphGroup, type GraphNode } from "./platform-graph.js";

/** What runs a `spec.pipelines[]` entry and what starts it, per cloud (the spec's mapping table). */
export const PIPELINE_SERVICES: Readonly<Record<Cloud, { readonly runs: string; readonly schedule: string; readonly events: string }>> = {
  aws: { runs: "SageMaker Pipelines", schedule: "EventBridge Scheduler", events: "EventBridge rule" },
  gcp: { runs: "Vertex AI Pipelines via Workflows", schedule: "Cloud Scheduler", events: "Eventarc" },
  azure: { runs: "Azure ML pipeline job", schedule: "Azure ML schedule", events: "Event Grid → Logic App" },
};

/**
 * The `pipelines` group of the platform graph: a node per pipeline with its schedule, arrows to
 * the buckets it reads and writes and to the model registry, and dashed arrows from what starts
 * it (a bucket's new objects, an endpoint's alarms).
 */
export function pipelineGraph(model: PlatformModel): { groups: GraphGroup[]; nodes: GraphNode[]; edges: GraphEdge[] } {
  const pipelines = model.pipelines ?? [];
  if (pipelines.length === 0) return { groups: [], nodes: [], edges: [] };
  const s = PIPELINE_SERVICES[model.cloud];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const p of pipelines) {
    const id = nodeId("pipeline", p.name);
    const params = Object.keys(p.parameters);
    nodes.push({
      id,
      kind: "pipeline",
      group: "pipelines",
      lines: [`pipeline ${p.name}`, s.runs, p.schedule ? `${s.schedule}: ${p.schedule} UTC` : "no schedule", ...(params.length ? [`parameters ${params.join(", ")}`] : [])],
    });
    for (const b of p.buckets) edges.push({ from: id, to: nodeId("bucket", b), label: "reads/writes" });
    if (model.registry.models) edges.push({ from: id, to: "model_registry", label: "registers", dashed: true });
    for (const t of p.triggers) {
      if (t.kind === "newData") edges.push({ from: nodeId("bucket", t.bucket), to: id, label: `${s.events}: new ${t.prefix || "object"}`, dashed: true });
      else edges.push({ from: nodeId("endpoint", t.endpoint), to: id, label: "alarm starts", dashed: true });
    }
  }
  return { groups: [{ id: "pipelines", label: "pipelines" }], nodes, edges };
}
