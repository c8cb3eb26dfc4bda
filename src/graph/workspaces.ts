import type { Cloud, PlatformModel } from "../model/platform.js";
import { nodeId, type GraphEdge, type GraphGroup, type GraphNode } from "./platform-graph.js";

/** What `workspaces` and `tracking` become on each cloud (the spec's mapping table, in short). */
export const WORKSPACE_SERVICES: Readonly<Record<Cloud, { readonly notebooks: string; readonly tracking: string }>> = {
  aws: { notebooks: "SageMaker Studio domain (VPC only)", tracking: "SageMaker managed MLflow" },
  gcp: { notebooks: "Vertex AI Workbench", tracking: "MLflow on Cloud Run + Cloud SQL" },
  azure: { notebooks: "Azure ML compute instances", tracking: "Azure ML workspace MLflow" },
};

/**
 * The `workspaces` group of the platform graph (inside the network): one node for the notebooks
 * service with the idle shutdown, a node per user with their size, and arrows from the service to
 * the buckets the users read and write; the MLflow tracking node with its artifact bucket, and a
 * dashed arrow from the notebooks to it.
 */
export function workspaceGraph(model: PlatformModel): { groups: GraphGroup[]; nodes: GraphNode[]; edges: GraphEdge[] } {
  const s = WORKSPACE_SERVICES[model.cloud];
  const groups: GraphGroup[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const w = model.workspaces;
  if (w) {
    groups.push({ id: "workspaces", label: "workspaces", parent: "network" });
    const idle = w.idleShutdownMinutes === 0 ? "never stopped when idle" : `stopped after ${w.idleShutdownMinutes} idle min`;
    nodes.push({ id: "workspaces", kind: "service", group: "workspaces", lines: [s.notebooks, `${w.users.length} user${w.users.length === 1 ? "" : "s"} · ${idle}`] });
    for (const u of w.users) {
      const size = [u.instanceType, u.gpu ? `${u.gpu.type}×${u.gpu.count}` : undefined].filter(Boolean).join(" · ");
      nodes.push({ id: nodeId("notebook", u.name), kind: "notebook", group: "workspaces", lines: [`notebook ${u.name}`, size] });
    }
    for (const b of w.buckets) edges.push({ from: "workspaces", to: nodeId("bucket", b), label: "read/write" });
  }
  const t = model.tracking;
  if (t) {
    nodes.push({ id: "tracking", kind: "tracking", lines: ["MLflow tracking", s.tracking, `size ${t.mlflow.size}`] });
    edges.push({ from: "tracking", to: nodeId("bucket", t.mlflow.bucket), label: `artifacts ${t.mlflow.artifactPrefix}` });
    if (w) edges.push({ from: "workspaces", to: "tracking", label: "logs runs", dashed: true });
  }
  return { groups, nodes, edges };
}
