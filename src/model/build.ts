import { resolve } from "node:path";
import type { Catalog } from "../catalog/types.js";
import type { Diagnostic } from "../blueprint/diagnostics.js";
import { parseImage } from "../blueprint/rules/cross-references.js";
import { fitRetention } from "../blueprint/rules/observability.js";
import type { Blueprint } from "../blueprint/schema.js";
import { resolvePoolCompute } from "./compute.js";
import { resolveEndpointCompute } from "./endpoint-compute.js";
import { resolvePoolZones } from "./pool-zones.js";
import { buildPipeline } from "./pipelines.js";
import { buildMonitoring, buildRollout } from "./rollout.js";
import { buildTracking } from "./tracking.js";
import { buildWorkspaces, type WorkspacesModel } from "./workspaces.js";
import type { ClusterModel, EndpointModel, NodePoolModel, PlatformModel, StateModel, Taint } from "./platform.js";

export interface BuildOptions {
  readonly env: string;
  readonly catalog: Catalog;
  /** Folder of the blueprint file: the local state lives in `<dir>/.mlplat/state/`. */
  readonly blueprintDir: string;
  /** `--state-dir`: overrides the local state folder. */
  readonly stateDir?: string;
  /** Reads a file the blueprint names (pipeline definitions); "" when unreadable (the rules report it). */
  readonly readText?: (path: string) => string;
}

export const GPU_TAINT: Taint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" };
export const POOL_LABEL = "mlplat.io/pool";
export const CAPACITY_LABEL = "mlplat.io/capacity";

/**
 * Schema-valid, rule-checked blueprint → the resolved PlatformModel. The catalog lookups that
 * pick instance types report their own problems (GPU not offered, Cloud Run not L4, …), so this
 * returns diagnostics too; a model is returned only when none of them is an error.
 */
export function buildModel(bp: Blueprint, opts: BuildOptions): { model?: PlatformModel; diagnostics: Diagnostic[] } {
  const { spec, metadata } = bp;
  const { cloud, region } = spec;
  const diagnostics: Diagnostic[] = [];
  const stackName = `${metadata.name}-${opts.env}`;

  let cluster: ClusterModel | undefined;
  if (spec.cluster) {
    const pools: NodePoolModel[] = [];
    spec.cluster.nodePools.forEach((p, i) => {
      if (!!p.gpu === !!p.instanceType) return; // reported by the poolCompute rule
      const path = ["spec", "cluster", "nodePools", i];
      const r = resolvePoolCompute(opts.catalog, { cloud, region, spot: p.spot, gpu: p.gpu, instanceType: p.instanceType, path });
      if (!r.ok) return void diagnostics.push(...r.diagnostics);
      diagnostics.push(...r.warnings);
      const { instanceType, gpu } = r.value;
      const labels: Record<string, string> = { ...p.labels, [POOL_LABEL]: p.name };
      if (p.spot) labels[CAPACITY_LABEL] = "spot";
      const taints = gpu && !p.taints.some((t) => t.key === GPU_TAINT.key) ? [GPU_TAINT, ...p.taints] : [...p.taints];
      const z = resolvePoolZones(opts.catalog, { cloud, region, instanceType, gpu, spot: p.spot, zones: p.zones, path });
      diagnostics.push(...z.diagnostics);
      const zones = z.zones ? { zones: z.zones, zonesExplicit: z.explicit } : {};
      pools.push({ name: p.name, instanceType, gpu, spot: p.spot, min: p.min ?? (gpu ? 0 : 1), max: p.max, diskGiB: p.diskGiB, labels, taints, ...zones });
    });
    const sys = spec.cluster.systemPool;
    cluster = {
      version: spec.cluster.version,
      admins: spec.cluster.admins,
      systemPool: { instanceType: sys.instanceType ?? opts.catalog.defaultCpuInstance(cloud), min: sys.min, max: sys.max },
      nodePools: pools,
    };
  }

  const endpoints: EndpointModel[] = [];
  spec.serving.endpoints.forEach((e, i) => {
    const path = ["spec", "serving", "endpoints", i];
    const r = resolveEndpointCompute(opts.catalog, { cloud, region, endpoint: e, path, pools: cluster?.nodePools });
    if (!r.ok) return void diagnostics.push(...r.diagnostics);
    diagnostics.push(...r.warnings);
    const image = parseImage(e.image);
    endpoints.push({
      name: e.name,
      runtime: e.runtime,
      image: image.kind === "uri" ? image : { kind: "repository", repository: image.repository, tag: image.tag },
      model: e.model,
      ...r.value,
      autoscaling: { min: e.autoscaling.min, max: e.autoscaling.max ?? Math.max(e.autoscaling.min, 1), targetConcurrency: e.autoscaling.targetConcurrency },
      alarms: e.alarms,
      ...(e.rollout ? { rollout: buildRollout(e.rollout, cloud, e.runtime) } : {}),
      ...(e.monitoring ? { monitoring: buildMonitoring(e.monitoring) } : {}),
    });
  });

  let workspaces: WorkspacesModel | undefined;
  if (spec.workspaces) {
    const w = buildWorkspaces(spec.workspaces, { cloud, region, catalog: opts.catalog, path: ["spec", "workspaces"] });
    diagnostics.push(...w.diagnostics);
    workspaces = w.model;
  }

  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };

  const labels: Record<string, string> = {
    ...metadata.labels,
    owner: metadata.owner,
    "mlplat-platform": metadata.name,
    "mlplat-env": opts.env,
    "managed-by": "mlplat",
  };
  const model: PlatformModel = {
    name: metadata.name,
    env: opts.env,
    stackName,
    owner: metadata.owner,
    labels,
    cloud,
    region,
    aws: spec.aws,
    gcp: spec.gcp,
    azure: spec.azure ? { ...spec.azure, resourceGroup: spec.azure.resourceGroup ?? stackName } : undefined,
    network: spec.network,
    buckets: spec.storage.buckets,
    registry: spec.registry,
    cluster,
    endpoints,
    workspaces,
    tracking: spec.tracking && buildTracking(spec.tracking),
    pipelines: spec.pipelines.map((p) => buildPipeline(p, cloud, opts.blueprintDir, opts.readText ?? (() => ""))),
    observability: {
      logRetentionDays: fitRetention(cloud, spec.observability.logRetentionDays) ?? spec.observability.logRetentionDays,
      alertEmails: spec.observability.alertEmails,
    },
    budget: spec.budget && {
      monthlyUsd: spec.budget.monthlyUsd,
      alertAtPercent: spec.budget.alertAtPercent,
      emails: spec.budget.emails.length ? spec.budget.emails : spec.observability.alertEmails,
    },
    state: stateOf(bp, stackName, opts),
  };
  return { model, diagnostics };
}

/** HCP Terraform's host; Terraform Enterprise users name theirs in `spec.state.hostname`. */
export const HCP_DEFAULT_HOSTNAME = "app.terraform.io";

function stateOf(bp: Blueprint, stackName: string, opts: BuildOptions): StateModel {
  const s = bp.spec.state;
  switch (s.backend) {
    case "local":
      return { backend: "local", dir: resolve(opts.stateDir ?? resolve(opts.blueprintDir, ".mlplat", "state")) };
    case "s3":
      return { backend: "s3", bucket: s.bucket, region: s.region, key: s.key ?? `${stackName}.tfstate` };
    case "gcs":
      return { backend: "gcs", bucket: s.bucket, prefix: s.prefix ?? stackName };
    case "azurerm":
      return { backend: "azurerm", resourceGroup: s.resourceGroup, storageAccount: s.storageAccount, container: s.container, key: s.key ?? `${stackName}.tfstate` };
    case "hcp":
      return {
        backend: "hcp",
        organization: s.organization,
        hostname: s.hostname ?? HCP_DEFAULT_HOSTNAME,
        workspace: s.tags ? { tags: s.tags, name: stackName } : { name: s.workspace ?? stackName },
        ...(s.project ? { project: s.project } : {}),
      };
  }
}
