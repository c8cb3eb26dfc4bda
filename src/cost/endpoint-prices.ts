/**
 * USD per hour of one instance of a managed endpoint, or of one node of a pool: the prices the
 * monthly estimate (src/cost/estimate.ts) and the rollout costs (src/cost/rollout-window.ts)
 * both use, from the catalog only. Undefined when the catalog has no price.
 */
import type { Catalog, InstanceRow } from "../catalog/types.js";
import type { Cloud, EndpointModel, NodePoolModel } from "../model/platform.js";

/** SageMaker real-time inference, per instance-hour of the `ml.*` type. */
export function sagemakerHourly(catalog: Catalog, instanceType: string): number | undefined {
  return catalog.sagemakerInstance(instanceType)?.usdPerHour;
}

/**
 * Cloud Run with instance-based billing: vCPU + memory hours, plus the L4 GPU hours for a GPU
 * endpoint, priced without zonal redundancy: the stack turns it off for GPU services
 * (stacks/gcp/cloud-run-endpoint.ts, `gpu_zonal_redundancy_disabled`), so that row is what is billed.
 */
export function cloudRunHourly(catalog: Catalog, ep: Pick<EndpointModel, "cpu" | "memoryGiB" | "gpu">): number | undefined {
  const cpu = catalog.servicePrice("gcp", "cloud-run", "cpu-instance-based")?.usdPerUnit;
  const mem = catalog.servicePrice("gcp", "cloud-run", "memory-instance-based")?.usdPerUnit;
  let hourly = cpu !== undefined && mem !== undefined ? cpu * ep.cpu + mem * ep.memoryGiB : undefined;
  if (ep.gpu) {
    const gpu = catalog.servicePrice("gcp", "cloud-run", "gpu-nvidia-l4-no-zonal-redundancy")?.usdPerUnit;
    hourly = hourly !== undefined && gpu !== undefined ? hourly + gpu * ep.gpu.count : undefined;
  }
  return hourly;
}

/** Azure Container Apps workload profile: the catalog's GPU profiles carry no price (undefined). */
export function containerAppsHourly(catalog: Catalog, profileType: string | undefined): number | undefined {
  const profile = catalog.containerAppsGpuProfiles().find((p) => p.profileType === profileType);
  return profile && "usdPerHour" in profile ? (profile.usdPerHour as number | undefined) : undefined;
}

/** The catalog row of a pool's instance type (the GPU variant when the pool has GPUs). */
export function poolRow(catalog: Catalog, cloud: Cloud, pool: Pick<NodePoolModel, "instanceType" | "gpu">): InstanceRow | undefined {
  if (pool.gpu) return catalog.gpuInstance(cloud, pool.instanceType, pool.gpu.type, pool.gpu.count) ?? catalog.instance(cloud, pool.instanceType);
  return catalog.instance(cloud, pool.instanceType);
}
