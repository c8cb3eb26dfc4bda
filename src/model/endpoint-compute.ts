import type { Catalog } from "../catalog/types.js";
import { diag, type Diagnostic, type FieldPath } from "../blueprint/diagnostics.js";
import type { Endpoint } from "../blueprint/schema.js";
import { defaultReplicaSize, gpuMissDiagnostic, type Resolved } from "./compute.js";
import type { Cloud, NodePoolModel, ResolvedGpu } from "./platform.js";

/**
 * Where and on what an endpoint runs. Managed runtimes differ per cloud (SageMaker instance
 * types; Cloud Run with one L4; Container Apps serverless GPU profiles); the kubernetes runtime
 * is scheduled on a node pool that fits (the spec's fitting rule).
 */
export interface EndpointCompute {
  readonly instanceType?: string;
  readonly gpu?: ResolvedGpu;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly pool?: string;
}

interface Input {
  readonly cloud: Cloud;
  readonly region: string;
  readonly endpoint: Endpoint;
  readonly path: FieldPath;
  /** Resolved pools, for the kubernetes runtime; undefined when there is no cluster. */
  readonly pools?: readonly NodePoolModel[];
}

const KUBERNETES = "set `runtime: kubernetes` to serve it on a GPU node pool of the cluster instead";

export function resolveEndpointCompute(catalog: Catalog, q: Input): Resolved<EndpointCompute> {
  const e = q.endpoint;
  if (e.gpu && e.instanceType) {
    return fail(diag({ code: "MLP_ENDPOINT_COMPUTE", message: "give either `gpu` or `instanceType`, not both.", path: [...q.path, "instanceType"], hint: "remove one of them." }));
  }
  if (e.runtime === "kubernetes") return kubernetes(catalog, q);
  switch (q.cloud) {
    case "aws":
      return sagemaker(catalog, q);
    case "gcp":
      return cloudRun(catalog, q);
    case "azure":
      return containerApps(catalog, q);
  }
}

function fail(...diagnostics: Diagnostic[]): Resolved<EndpointCompute> {
  return { ok: false, diagnostics };
}

function sized(e: Endpoint, gpuCount: number, node?: { vcpus?: number; memoryGiB?: number }) {
  const d = defaultReplicaSize(gpuCount, node);
  return { cpu: e.cpu ?? d.cpu, memoryGiB: e.memoryGiB ?? d.memoryGiB };
}

function sagemaker(catalog: Catalog, q: Input): Resolved<EndpointCompute> {
  const e = q.endpoint;
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (e.autoscaling.min === 0) {
    problems.push(
      diag({
        code: "MLP_SAGEMAKER_MIN_ZERO",
        message: "SageMaker real-time endpoints can't scale to zero with the AWS provider mlplat uses.",
        path: [...q.path, "autoscaling", "min"],
        found: "0",
        allowed: ">= 1",
        hint: `set autoscaling.min to 1 or more, or ${KUBERNETES} (pools scale from zero).`,
      }),
    );
  }
  let instanceType: string;
  let gpu: ResolvedGpu | undefined;
  if (e.gpu) {
    const r = catalog.findSagemakerInstance(e.gpu.type, e.gpu.count);
    if ("ok" in r && r.ok === false) return fail(...problems, gpuMissDiagnostic(r, [...q.path, "gpu"], e.gpu, q.region));
    const row = r as Exclude<typeof r, { ok: false }>;
    instanceType = row.instanceType;
    gpu = { type: row.accelerator!, count: row.acceleratorCount };
  } else if (e.instanceType) {
    instanceType = e.instanceType;
    if (!instanceType.startsWith("ml.")) {
      problems.push(
        diag({
          code: "MLP_SAGEMAKER_INSTANCE_TYPE",
          message: `SageMaker endpoints take ml.* instance types, not ${instanceType}.`,
          path: [...q.path, "instanceType"],
          found: instanceType,
          allowed: "ml.<family>.<size>",
          hint: `use ml.${instanceType}, or ${KUBERNETES}.`,
        }),
      );
    } else {
      const row = catalog.sagemakerInstance(instanceType);
      if (!row) {
        warnings.push(diag({ severity: "warning", code: "MLP_INSTANCE_UNKNOWN", message: `the catalog does not know SageMaker type ${instanceType}; it is used as written, unchecked and unpriced.`, path: [...q.path, "instanceType"], found: instanceType }));
      } else if (row.accelerator && row.acceleratorCount >= 1) {
        gpu = { type: row.accelerator, count: row.acceleratorCount };
      }
    }
  } else {
    instanceType = catalog.defaultSagemakerCpuInstance();
  }
  if (problems.length) return fail(...problems);
  return { ok: true, value: { instanceType, gpu, ...sized(e, gpu?.count ?? 0) }, warnings };
}

function cloudRun(catalog: Catalog, q: Input): Resolved<EndpointCompute> {
  const e = q.endpoint;
  const problems: Diagnostic[] = [];
  if (e.instanceType) {
    problems.push(diag({ code: "MLP_CLOUD_RUN_INSTANCE_TYPE", message: "Cloud Run takes no instance type; it sizes containers by cpu and memoryGiB.", path: [...q.path, "instanceType"], found: e.instanceType, hint: `remove instanceType and set cpu/memoryGiB, or ${KUBERNETES}.` }));
  }
  let gpu: ResolvedGpu | undefined;
  if (e.gpu) {
    const type = catalog.normalizeAccelerator(e.gpu.type);
    if (type !== "L4") {
      problems.push(diag({ code: "MLP_CLOUD_RUN_GPU", message: `Cloud Run GPUs are L4 only; ${e.gpu.type} is not offered there.`, path: [...q.path, "gpu", "type"], found: e.gpu.type, allowed: "L4", hint: `use gpu: { type: L4, count: 1 }, or ${KUBERNETES}.` }));
    } else if (e.gpu.count !== 1) {
      problems.push(diag({ code: "MLP_CLOUD_RUN_GPU_COUNT", message: "Cloud Run gives one GPU per instance.", path: [...q.path, "gpu", "count"], found: String(e.gpu.count), allowed: "1", hint: `use count 1 and scale out with autoscaling.max, or ${KUBERNETES}.` }));
    } else if (!catalog.cloudRunGpuRegions().includes(q.region)) {
      problems.push(diag({ code: "MLP_CLOUD_RUN_GPU_REGION", message: `Cloud Run offers GPUs in ${catalog.cloudRunGpuRegions().join(", ")}, not in ${q.region}.`, path: [...q.path, "gpu"], found: q.region, allowed: catalog.cloudRunGpuRegions().join(", "), hint: `choose one of those regions, or ${KUBERNETES}.` }));
    } else {
      gpu = { type: "L4", count: 1, memoryGiB: 24, acceleratorId: "nvidia-l4" };
    }
  }
  if (problems.length) return fail(...problems);
  const size = sized(e, gpu ? 1 : 0);
  if (gpu && (size.cpu < 4 || size.memoryGiB < 16)) {
    return fail(diag({ code: "MLP_CLOUD_RUN_GPU_SIZE", message: "Cloud Run needs at least 4 vCPU and 16 GiB of memory with a GPU.", path: [...q.path, size.cpu < 4 ? "cpu" : "memoryGiB"], found: `cpu ${size.cpu}, memoryGiB ${size.memoryGiB}`, allowed: "cpu >= 4, memoryGiB >= 16", hint: "raise cpu/memoryGiB or leave them out (the default fits)." }));
  }
  return { ok: true, value: { gpu, ...size }, warnings: [] };
}

function containerApps(catalog: Catalog, q: Input): Resolved<EndpointCompute> {
  const e = q.endpoint;
  if (e.instanceType) {
    return fail(diag({ code: "MLP_CONTAINER_APPS_INSTANCE_TYPE", message: "Container Apps take no instance type; GPU endpoints run on a serverless GPU workload profile chosen from `gpu`.", path: [...q.path, "instanceType"], found: e.instanceType, hint: `remove instanceType, or ${KUBERNETES}.` }));
  }
  if (!e.gpu) return { ok: true, value: sized(e, 0), warnings: [] };
  const profiles = catalog.containerAppsGpuProfiles();
  const offered = profiles.map((p) => p.accelerator);
  const type = catalog.normalizeAccelerator(e.gpu.type);
  const profile = profiles.find((p) => p.accelerator === type);
  if (!profile) {
    return fail(diag({ code: "MLP_CONTAINER_APPS_GPU", message: `Container Apps serverless GPUs are ${offered.join(" and ")}; ${e.gpu.type} is not offered there.`, path: [...q.path, "gpu", "type"], found: e.gpu.type, allowed: offered.join(", "), hint: `use one of ${offered.join(", ")}, or ${KUBERNETES}.` }));
  }
  if (e.gpu.count !== 1) {
    return fail(diag({ code: "MLP_CONTAINER_APPS_GPU_COUNT", message: "Container Apps give one GPU per replica.", path: [...q.path, "gpu", "count"], found: String(e.gpu.count), allowed: "1", hint: `use count 1 and scale out with autoscaling.max, or ${KUBERNETES}.` }));
  }
  if (!profile.regions.includes(q.region)) {
    return fail(diag({ code: "MLP_CONTAINER_APPS_GPU_REGION", message: `Container Apps offer ${profile.accelerator} GPUs in ${profile.regions.join(", ")}, not in ${q.region}.`, path: [...q.path, "gpu"], found: q.region, allowed: profile.regions.join(", "), hint: `choose one of those regions, or ${KUBERNETES}.` }));
  }
  const row = catalog.instance("azure", profile.accelerator === "T4" ? "Standard_NC8as_T4_v3" : "Standard_NC24ads_A100_v4");
  return {
    ok: true,
    value: { instanceType: profile.profileType, gpu: { type: profile.accelerator, count: 1, memoryGiB: row?.acceleratorMemoryGiB }, ...sized(e, 1, row ?? undefined) },
    warnings: [],
  };
}

function kubernetes(catalog: Catalog, q: Input): Resolved<EndpointCompute> {
  const e = q.endpoint;
  if (!q.pools) {
    return fail(diag({ code: "MLP_K8S_ENDPOINT_NO_CLUSTER", message: "a `kubernetes` endpoint needs `spec.cluster`.", path: [...q.path, "runtime"], found: "kubernetes", hint: "add spec.cluster with a node pool that fits, or use `runtime: managed`." }));
  }
  let want: { type: string; count: number } | undefined;
  if (e.gpu) {
    const type = catalog.normalizeAccelerator(e.gpu.type);
    if (!type) {
      const known = catalog.accelerators(q.cloud);
      return fail(diag({ code: "MLP_GPU_UNKNOWN", message: `unknown accelerator ${e.gpu.type}.`, path: [...q.path, "gpu", "type"], found: e.gpu.type, allowed: known.join(", "), hint: "`mlplat catalog gpus` lists the accelerators." }));
    }
    want = { type, count: e.gpu.count };
  } else if (e.instanceType) {
    const row = catalog.instance(q.cloud, e.instanceType);
    if (row?.accelerator && row.acceleratorCount >= 1) want = { type: row.accelerator, count: row.acceleratorCount };
  }
  const fits = q.pools.filter((p) => (want ? p.gpu?.type === want.type && p.gpu.count >= want.count : true));
  // A CPU endpoint prefers a CPU pool, so it does not hold a GPU node up.
  const pool = want ? fits[0] : (fits.find((p) => !p.gpu) ?? fits[0]);
  if (!pool) {
    const have = q.pools.map((p) => `${p.name} (${p.gpu ? `${p.gpu.type}×${p.gpu.count}` : "CPU"})`).join(", ") || "none";
    return fail(
      diag({
        code: "MLP_K8S_ENDPOINT_NO_POOL",
        message: want ? `no node pool has ${want.type} GPUs with at least ${want.count} per node.` : "the cluster has no node pool to run the endpoint on.",
        path: [...q.path, want ? "gpu" : "runtime"],
        found: want ? `${want.type}×${want.count}` : "kubernetes",
        allowed: `pools: ${have}`,
        hint: want ? `add a pool with gpu: { type: ${want.type}, count: ${want.count} } to spec.cluster.nodePools.` : "add a node pool to spec.cluster.nodePools.",
      }),
    );
  }
  const node = catalog.instance(q.cloud, pool.instanceType);
  const gpu = want ? { type: want.type, count: want.count, memoryGiB: pool.gpu?.memoryGiB, acceleratorId: pool.gpu?.acceleratorId } : undefined;
  return { ok: true, value: { instanceType: e.instanceType, gpu, pool: pool.name, ...sized(e, gpu?.count ?? 0, node) }, warnings: [] };
}
