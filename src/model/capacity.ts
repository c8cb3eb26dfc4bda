/**
 * The compute a platform asks for, at min, at max and at its peak: one source of truth for
 * `mlplat cost` and `mlplat quota`. Pure over the model and the catalog.
 *
 * Peak: what exists at once while a change rolls out. A SageMaker endpoint update is blue/green
 * by default (the new fleet is created beside the old one, then traffic shifts:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html), so its
 * peak is twice its max. Node pools roll nodes a few at a time within their max; Cloud Run and
 * Container Apps revisions are counted at max.
 */
import type { Catalog } from "../catalog/types.js";
import type { Cloud, PlatformModel, ResolvedGpu } from "./platform.js";

export type CapacityKind = "system-pool" | "node-pool" | "endpoint";

/** Where a managed endpoint runs, by cloud. */
export type ManagedService = "sagemaker" | "cloud-run" | "container-apps";

export interface Capacity {
  readonly kind: CapacityKind;
  /** Pool or endpoint name (`system` for the system pool). */
  readonly name: string;
  /** Instance, machine or SageMaker type; a Container Apps profile; null for Cloud Run. */
  readonly instanceType: string | null;
  readonly spot: boolean;
  readonly gpu?: ResolvedGpu;
  /** vCPUs of one instance, from the catalog; undefined when the catalog does not know the type. */
  readonly vcpus?: number;
  readonly min: number;
  readonly max: number;
  readonly peak: number;
  /** Set on managed endpoints. */
  readonly service?: ManagedService;
}

const SERVICE: Readonly<Record<Cloud, ManagedService>> = { aws: "sagemaker", gcp: "cloud-run", azure: "container-apps" };

export function resolveCapacities(model: PlatformModel, catalog: Catalog): Capacity[] {
  const out: Capacity[] = [];
  const { cloud } = model;
  if (model.cluster) {
    const sys = model.cluster.systemPool;
    out.push({ kind: "system-pool", name: "system", instanceType: sys.instanceType, spot: false, vcpus: catalog.instance(cloud, sys.instanceType)?.vcpus, min: sys.min, max: sys.max, peak: sys.max });
    for (const pool of model.cluster.nodePools) {
      const row = pool.gpu ? (catalog.gpuInstance(cloud, pool.instanceType, pool.gpu.type, pool.gpu.count) ?? catalog.instance(cloud, pool.instanceType)) : catalog.instance(cloud, pool.instanceType);
      out.push({
        kind: "node-pool",
        name: pool.name,
        instanceType: pool.instanceType,
        spot: pool.spot,
        ...(pool.gpu ? { gpu: pool.gpu } : {}),
        vcpus: row?.vcpus,
        min: pool.min,
        max: pool.max,
        peak: pool.max,
      });
    }
  }
  for (const ep of model.endpoints) {
    if (ep.runtime === "kubernetes") continue; // runs on a node pool, counted there
    const service = SERVICE[cloud];
    const type = cloud === "aws" ? (ep.instanceType ?? catalog.defaultSagemakerCpuInstance()) : (ep.instanceType ?? null);
    const vcpus = cloud === "aws" ? catalog.sagemakerInstance(type!)?.vcpus : ep.cpu;
    const { min, max } = ep.autoscaling;
    out.push({
      kind: "endpoint",
      name: ep.name,
      instanceType: type,
      spot: false,
      ...(ep.gpu ? { gpu: ep.gpu } : {}),
      vcpus,
      min,
      max,
      peak: service === "sagemaker" ? 2 * max : max,
      service,
    });
  }
  return out;
}
