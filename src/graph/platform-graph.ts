import type { Cloud, EndpointModel, NodePoolModel, PlatformModel } from "../model/platform.js";
import { pipelineGraph } from "./pipelines.js";
import { workspaceGraph } from "./workspaces.js";
import { monitoringEdges, rolloutLines } from "./rollout.js";

/**
 * A platform as a graph, independent of the drawing format: groups (network, cluster, storage,
 * registries, serving), nodes with short multi-line labels, and the arrows between them
 * (endpoint → image repository, → model bucket, → node pool or managed service). Built from
 * the resolved model only, so what it shows is what synth builds. Deterministic: nodes and
 * edges come in blueprint order, ids derive from names.
 */
export type NodeKind = "network" | "cluster" | "pool" | "bucket" | "repo" | "image" | "model-registry" | "endpoint" | "service" | "observability" | "budget" | "pipeline" | "notebook" | "tracking";

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** First line is the title; the rest are details. */
  readonly lines: readonly string[];
  /** The group the node is drawn in; none = top level. */
  readonly group?: string;
}

export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly parent?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Drawn dashed: a relation rather than a data path (placement, alerts). */
  readonly dashed?: boolean;
}

export interface PlatformGraph {
  readonly title: string;
  readonly groups: readonly GraphGroup[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** What each blueprint section is called on each cloud (the spec's mapping table, in short). */
export const SERVICE_NAMES: Readonly<Record<Cloud, Readonly<Record<"network" | "cluster" | "bucket" | "repo" | "modelRegistry" | "managed" | "observability" | "budget", string>>>> = {
  aws: { network: "VPC", cluster: "EKS", bucket: "S3", repo: "ECR", modelRegistry: "SageMaker Model Registry", managed: "SageMaker endpoints", observability: "CloudWatch", budget: "AWS Budgets" },
  gcp: { network: "VPC network", cluster: "GKE", bucket: "GCS", repo: "Artifact Registry", modelRegistry: "Vertex AI Model Registry", managed: "Cloud Run", observability: "Cloud Monitoring", budget: "Cloud Billing budget" },
  azure: { network: "VNet", cluster: "AKS", bucket: "Blob container", repo: "ACR", modelRegistry: "Azure ML workspace", managed: "Container Apps", observability: "Azure Monitor", budget: "Consumption budget" },
};

/** Ids are the kind and the blueprint name; names are `[a-z][a-z0-9-]*`, so `_` never collides. */
export const nodeId = (kind: string, name: string): string => `${kind}_${name}`.replace(/[^A-Za-z0-9_]/g, "_");

const range = (min: number, max: number) => (min === max ? `${min}` : `${min}–${max}`);
const gpuText = (g: { type: string; count: number } | undefined) => (g ? `${g.type}×${g.count}` : undefined);

export function buildPlatformGraph(model: PlatformModel): PlatformGraph {
  const names = SERVICE_NAMES[model.cloud];
  const groups: GraphGroup[] = [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];

  groups.push({ id: "network", label: `${names.network} ${model.network.cidr}` });
  nodes.push({
    id: "network",
    kind: "network",
    group: "network",
    lines: [`${names.network}`, `${model.network.cidr} · ${model.network.privateCluster ? "private" : "public API endpoint"}`, `${model.cloud} ${model.region}`],
  });

  if (model.cluster) {
    const c = model.cluster;
    groups.push({ id: "cluster", label: `${names.cluster} ${c.version}`, parent: "network" });
    nodes.push({
      id: "cluster",
      kind: "cluster",
      group: "cluster",
      lines: [`${names.cluster} ${c.version}`, `system pool ${c.systemPool.instanceType} · ${range(c.systemPool.min, c.systemPool.max)}`],
    });
    for (const p of c.nodePools) nodes.push({ id: nodeId("pool", p.name), kind: "pool", group: "cluster", lines: poolLines(p) });
  }

  if (model.buckets.length) {
    groups.push({ id: "storage", label: `storage (${names.bucket})` });
    for (const b of model.buckets) {
      const facts = [b.protect ? "protected" : "unprotected", b.versioning ? "versioned" : undefined, b.expireAfterDays ? `expires ${b.expireAfterDays} d` : undefined].filter(Boolean);
      nodes.push({ id: nodeId("bucket", b.name), kind: "bucket", group: "storage", lines: [`bucket ${b.name}`, facts.join(" · ")] });
    }
  }

  if (model.registry.images.length || model.registry.models) {
    groups.push({ id: "registry", label: "registries" });
    for (const r of model.registry.images) {
      nodes.push({ id: nodeId("repo", r.name), kind: "repo", group: "registry", lines: [`${names.repo} ${r.name}`, [r.immutableTags ? "immutable tags" : "mutable tags", r.scanOnPush ? "scan on push" : undefined].filter(Boolean).join(" · ")] });
    }
    if (model.registry.models) nodes.push({ id: "model_registry", kind: "model-registry", group: "registry", lines: [names.modelRegistry] });
  }

  if (model.endpoints.length) {
    groups.push({ id: "serving", label: "serving" });
    if (model.endpoints.some((e) => e.runtime === "managed")) nodes.push({ id: "managed", kind: "service", group: "serving", lines: [names.managed, "managed runtime"] });
    const external = new Set<string>();
    for (const e of model.endpoints) {
      const id = nodeId("endpoint", e.name);
      nodes.push({ id, kind: "endpoint", group: "serving", lines: [...endpointLines(e), ...rolloutLines(model.cloud, e)] });
      if (e.image.kind === "repository") {
        edges.push({ from: id, to: nodeId("repo", e.image.repository), label: `image :${e.image.tag}` });
      } else {
        const img = nodeId("image", e.image.uri);
        if (!external.has(img)) {
          external.add(img);
          nodes.push({ id: img, kind: "image", lines: ["external image", e.image.uri] });
        }
        edges.push({ from: id, to: img, label: "image" });
      }
      if (e.model) edges.push({ from: id, to: nodeId("bucket", e.model.bucket), label: e.model.path ? `model ${e.model.path}` : "model" });
      if (e.runtime === "kubernetes" && e.pool) edges.push({ from: id, to: nodeId("pool", e.pool), label: "runs on", dashed: true });
      else if (e.runtime === "managed") edges.push({ from: id, to: "managed", label: "runs on", dashed: true });
    }
  }

  const pg = pipelineGraph(model);
  groups.push(...pg.groups);
  nodes.push(...pg.nodes);
  edges.push(...pg.edges);

  const wg = workspaceGraph(model);
  groups.push(...wg.groups);
  nodes.push(...wg.nodes);
  edges.push(...wg.edges);

  const watchers = [...model.observability.alertEmails];
  nodes.push({ id: "observability", kind: "observability", lines: [names.observability, `logs ${model.observability.logRetentionDays} d`, watchers.length ? `alerts → ${watchers.join(", ")}` : "no alert e-mails"] });
  if (model.budget) nodes.push({ id: "budget", kind: "budget", lines: [names.budget, `${model.budget.monthlyUsd.toLocaleString("en-US")} USD/month`, `alerts at ${model.budget.alertAtPercent.join(", ")} %`] });
  for (const e of model.endpoints) {
    if (e.alarms.latencyP99Ms !== undefined || e.alarms.errorRatePercent !== undefined) edges.push({ from: nodeId("endpoint", e.name), to: "observability", label: "alarms", dashed: true });
  }

  edges.push(...monitoringEdges(model));

  return { title: `${model.stackName} · ${model.cloud} ${model.region}`, groups, nodes, edges };
}

function poolLines(p: NodePoolModel): string[] {
  const what = [p.instanceType, gpuText(p.gpu), p.spot ? "spot" : "on-demand"].filter(Boolean).join(" · ");
  return [`pool ${p.name}`, what, `${range(p.min, p.max)} nodes${p.min === 0 ? " (scales from zero)" : ""}`];
}

function endpointLines(e: EndpointModel): string[] {
  const compute = [e.runtime, gpuText(e.gpu) ?? "CPU", e.instanceType].filter(Boolean).join(" · ");
  const image = e.image.kind === "repository" ? `image ${e.image.repository}:${e.image.tag}` : `image ${e.image.uri}`;
  const lines = [`endpoint ${e.name}`, compute, `${range(e.autoscaling.min, e.autoscaling.max)} replicas`, image];
  if (e.model) lines.push(`model ${e.model.bucket}/${e.model.path}`);
  return lines;
}
