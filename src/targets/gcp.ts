import type { EndpointModel, NodePoolModel, PlatformModel, SynthContext, TaintEffect } from "../model/platform.js";
import { NAME_RULES, deriveName, fitName, globalName, type NameRules } from "../model/names.js";
import { MlplatError } from "../util/errors.js";
import { formatCidr, requireCidr } from "../model/cidr.js";
import { SERVING_NAMESPACE, endpointObjectName } from "../k8s/conventions.js";
import { checkAcceleratorPairing } from "./gcp-accelerators.js";
import type { CloudTarget, StackFactory } from "./target.js";

/**
 * The GCP resolver: turns the cloud-neutral model into the flat props of `stacks/gcp/`.
 * Pure and deterministic (no cdktf import, no API call): every name, range, label and URL the
 * stack renders is computed here, so it can be unit-tested and read in one place.
 *
 * Names are API: they become GCP resource names, and changing one replaces the resource (for
 * KMS key rings and keys it creates a new one: GCP never deletes those).
 */

// ---------------------------------------------------------------------------------------------
// Props (what stacks/gcp renders)
// ---------------------------------------------------------------------------------------------

export type GcpTaintEffect = "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";

export interface GcpTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: GcpTaintEffect;
}

export interface GcpBackendProps {
  readonly kind: "local" | "gcs";
  /** local: state path relative to the stack folder. */
  readonly path?: string;
  /** gcs: bucket and prefix. */
  readonly bucket?: string;
  readonly prefix?: string;
}

export interface GcpNetworkProps {
  readonly networkName: string;
  readonly subnetName: string;
  readonly routerName: string;
  readonly natName: string;
  /** Primary range of the node subnet. */
  readonly nodeCidr: string;
  readonly podsRangeName: string;
  readonly podsCidr: string;
  readonly servicesRangeName: string;
  readonly servicesCidr: string;
  /** True when pods/services came from RFC 1918 space outside `network.cidr` (small node CIDRs). */
  readonly secondaryRangesOutsideCidr: boolean;
}

/** A KMS key, keyed by purpose (`storage`, `registry`, `cluster`, `serving`). */
export interface GcpKeyProps {
  /** Construct id and purpose. */
  readonly id: "storage" | "registry" | "cluster" | "serving";
  readonly name: string;
  /** `prevent_destroy` on the key (see `resolveGcp`: every key is protected on GCP). */
  readonly protect: boolean;
}

export interface GcpKmsProps {
  readonly keyRingName: string;
  /** Rotation period in seconds, as the API wants it (`7776000s`). */
  readonly rotationPeriod: string;
  readonly keys: readonly GcpKeyProps[];
}

export interface GcpBucketProps {
  /** Blueprint bucket name: the construct id. */
  readonly id: string;
  /** Globally unique GCS name. */
  readonly name: string;
  readonly versioning: boolean;
  readonly nearlineAfterDays?: number;
  readonly archiveAfterDays?: number;
  readonly deleteAfterDays?: number;
  readonly protect: boolean;
  readonly softDeleteRetentionSeconds: number;
}

export interface GcpRepoProps {
  /** Blueprint image repository name: the construct id, and the image name inside the repository. */
  readonly id: string;
  readonly repositoryId: string;
  readonly immutableTags: boolean;
  readonly scanOnPush: boolean;
  readonly keepLast?: number;
  /** `<region>-docker.pkg.dev/<project>/<repositoryId>`. */
  readonly url: string;
}

export interface GcpModelRegistryProps {
  /** `projects/<project>/locations/<region>/models`. */
  readonly location: string;
  /** Blueprint names of the buckets Vertex AI reads model artifacts from. */
  readonly bucketIds: readonly string[];
}

export interface GcpAcceleratorProps {
  /** GKE `guest_accelerator.type`: `nvidia-tesla-t4`, `nvidia-l4`, … */
  readonly type: string;
  readonly count: number;
}

export interface GcpNodePoolProps {
  /** Blueprint pool name (`system` for the system pool): the construct id. */
  readonly id: string;
  readonly name: string;
  readonly machineType: string;
  readonly accelerator?: GcpAcceleratorProps;
  readonly spot: boolean;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly diskSizeGiB: number;
  readonly diskType: string;
  readonly kubernetesLabels: Readonly<Record<string, string>>;
  readonly taints: readonly GcpTaint[];
}

export interface GcpClusterProps {
  readonly name: string;
  readonly minMasterVersion: string;
  readonly releaseChannel: "RAPID" | "REGULAR" | "STABLE";
  readonly privateEndpoint: boolean;
  readonly masterAuthorizedNetworks: readonly { readonly cidr: string; readonly displayName: string }[];
  readonly nodeServiceAccountId: string;
  /** IAM members (`group:…`, `user:…`, `serviceAccount:…`) given `roles/container.admin`. */
  readonly admins: readonly string[];
  readonly systemPool: GcpNodePoolProps;
  readonly nodePools: readonly GcpNodePoolProps[];
  readonly kubeconfigCommand: string;
}

export interface GcpEndpointProps {
  /** Blueprint endpoint name: the construct id. */
  readonly id: string;
  readonly serviceName: string;
  readonly serviceAccountId: string;
  readonly image: string;
  /** Blueprint image repository the image comes from, when it is a declared one. */
  readonly repositoryId?: string;
  /** Cloud Run CPU limit (`"4"`). */
  readonly cpu: string;
  /** Cloud Run memory limit (`"16Gi"`). */
  readonly memory: string;
  /** `nvidia-l4` with count 1, or undefined for CPU-only services. */
  readonly accelerator?: GcpAcceleratorProps;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly concurrency?: number;
  /** Blueprint bucket name and `gs://` URI of the model artifact. */
  readonly modelBucketId?: string;
  readonly modelUri?: string;
  readonly latencyP99Ms?: number;
  readonly errorRatePercent?: number;
}

/**
 * The Google service account the pods of a `runtime: kubernetes` endpoint run as (GKE Workload
 * Identity): it may read the endpoint's model bucket, and only the endpoint's Kubernetes
 * ServiceAccount may impersonate it. The manifests annotate that ServiceAccount with `email`
 * (`iam.gke.io/gcp-service-account`, src/k8s/platforms/gcp.ts).
 */
export interface GcpWorkloadIdentityProps {
  /** Blueprint endpoint name: the construct id under `serving`. */
  readonly id: string;
  readonly serviceAccountId: string;
  /** `<serviceAccountId>@<project>.iam.gserviceaccount.com`, known offline. */
  readonly email: string;
  /** `<project>.svc.id.goog`: the cluster's workload pool. */
  readonly workloadPool: string;
  /** Kubernetes namespace and ServiceAccount of the endpoint's pods. */
  readonly namespace: string;
  readonly kubernetesServiceAccount: string;
  /** Blueprint bucket name of the model. */
  readonly modelBucketId: string;
}

export interface GcpObservabilityProps {
  readonly logRetentionDays: number;
  readonly alertEmails: readonly string[];
}

export interface GcpBudgetProps {
  readonly billingAccount: string;
  readonly displayName: string;
  readonly monthlyUsd: number;
  /** Fractions: 0.8, 1.0. */
  readonly thresholds: readonly number[];
  readonly emails: readonly string[];
}

export interface GcpPlatformProps {
  readonly stackName: string;
  readonly project: string;
  readonly region: string;
  /** GCP labels fitted to GCP rules. */
  readonly labels: Readonly<Record<string, string>>;
  readonly backend: GcpBackendProps;
  /** APIs to enable (`compute.googleapis.com`, …), sorted. */
  readonly services: readonly string[];
  readonly network: GcpNetworkProps;
  readonly kms: GcpKmsProps;
  readonly buckets: readonly GcpBucketProps[];
  readonly repositories: readonly GcpRepoProps[];
  readonly modelRegistry?: GcpModelRegistryProps;
  readonly cluster?: GcpClusterProps;
  readonly endpoints: readonly GcpEndpointProps[];
  /** Workload identities of the `runtime: kubernetes` endpoints that read a model (only with a cluster). */
  readonly workloadIdentities: readonly GcpWorkloadIdentityProps[];
  readonly observability: GcpObservabilityProps;
  readonly budget?: GcpBudgetProps;
  /**
   * What this platform asks that Terraform's google provider cannot do or check, one sentence
   * each with the way around it; written to the `gcp_limitations` output.
   */
  readonly limitations: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Name rules for GCP resource types
// ---------------------------------------------------------------------------------------------

export const GCP_NAME_RULES = {
  /** GKE cluster: 1-40 chars, lowercase letters, digits, hyphens, starts with a letter. */
  gkeCluster: { maxLength: 40, separator: "-" },
  /** GKE node pool: 1-40 chars, same alphabet. */
  gkeNodePool: { maxLength: 40, separator: "-" },
  /** Service account ids: 6-30 chars, `[a-z][a-z0-9-]{4,28}[a-z0-9]`. */
  serviceAccount: { maxLength: 30, minLength: 6, separator: "-" },
  /** Artifact Registry repository ids: up to 63, lowercase letters, digits, hyphens. */
  artifactRepository: { maxLength: 63, separator: "-" },
  /** Cloud Run service names: up to 49 chars (the rest of 63 is the revision suffix). */
  cloudRunService: { maxLength: 49, separator: "-" },
  /** KMS key rings and keys: up to 63 of `[a-zA-Z0-9_-]`. */
  kms: { maxLength: 63, separator: "-" },
  /** VPC, subnet, router, NAT: RFC 1035, up to 63. */
  compute: NAME_RULES.dns63,
} as const satisfies Record<string, NameRules>;

/** KMS keys rotate every 90 days. */
export const KMS_ROTATION_SECONDS = 90 * 24 * 3600;
/** GCS soft delete: 7 days, the GCS default, set explicitly so it is visible and stable. */
export const SOFT_DELETE_SECONDS = 7 * 24 * 3600;

/** Cloud Run's floor for a GPU instance: 4 vCPU and 16 GiB. */
const CLOUD_RUN_GPU_MIN_CPU = 4;
const CLOUD_RUN_GPU_MIN_MEMORY_GIB = 16;
/** Cloud Run's ceiling: 8 vCPU, 32 GiB. */
const CLOUD_RUN_MAX_CPU = 8;
const CLOUD_RUN_MAX_MEMORY_GIB = 32;

// ---------------------------------------------------------------------------------------------
// Resolver
// ---------------------------------------------------------------------------------------------

export const gcpTarget: CloudTarget<GcpPlatformProps> = {
  cloud: "gcp",
  resolve: resolveGcp,
  async loadStack(): Promise<StackFactory<GcpPlatformProps>> {
    return (await import("../../stacks/gcp/index.js")).addGcpPlatformStack;
  },
};

export function resolveGcp(model: PlatformModel, ctx: SynthContext): GcpPlatformProps {
  const project = model.gcp?.project;
  if (model.cloud !== "gcp" || !project) {
    throw new MlplatError("MLP_GCP_PROJECT", `the gcp target needs spec.gcp.project (cloud is ${model.cloud})`, {
      hint: "add `gcp: { project: <project id> }` under spec",
    });
  }
  const region = model.region;
  const name = (item: string | undefined, rules: NameRules): string => deriveName(model, item, rules);

  const buckets: GcpBucketProps[] = model.buckets.map((b) => {
    const bucketName = globalName(model, b.name, NAME_RULES.dns63);
    if (/google|^goog/.test(bucketName)) {
      throw new MlplatError("MLP_GCP_BUCKET_NAME", `GCS bucket name ${bucketName} contains "google", which GCS forbids`, {
        hint: "rename metadata.name or the bucket so the derived name does not contain `google`",
      });
    }
    return {
      id: b.name,
      name: bucketName,
      versioning: b.versioning,
      nearlineAfterDays: b.tiering?.coolAfterDays,
      archiveAfterDays: b.tiering?.archiveAfterDays,
      deleteAfterDays: b.expireAfterDays,
      protect: b.protect,
      softDeleteRetentionSeconds: SOFT_DELETE_SECONDS,
    };
  });

  const repositories: GcpRepoProps[] = model.registry.images.map((r) => {
    const repositoryId = name(r.name, GCP_NAME_RULES.artifactRepository);
    return {
      id: r.name,
      repositoryId,
      immutableTags: r.immutableTags,
      scanOnPush: r.scanOnPush,
      keepLast: r.keepLast,
      url: `${region}-docker.pkg.dev/${project}/${repositoryId}`,
    };
  });
  const repoById = new Map(repositories.map((r) => [r.id, r]));

  const managed = model.endpoints.filter((e) => e.runtime === "managed");
  const endpoints = managed.map((e) => resolveEndpoint(model, e, repoById, buckets));

  const cluster = model.cluster ? resolveCluster(model, project) : undefined;
  const workloadIdentities = cluster ? resolveWorkloadIdentities(model, project, buckets) : [];

  const keys: GcpKeyProps[] = [];
  const keyName = (purpose: string): string => name(purpose, GCP_NAME_RULES.kms);
  // Every key is protected (`prevent_destroy`), not only the key of protected buckets: GCP
  // never deletes a key, so a terraform destroy only schedules its versions for destruction
  // (making whatever it encrypted unreadable) and drops it from state, and the next deploy
  // then collides with the key that still exists. Protected, `mlplat destroy` keeps the keys
  // and their ring under management and a later deploy reuses them; only
  // `destroy --allow-data-loss` lets them go, and `kms_import_commands` brings them back.
  if (buckets.length > 0) keys.push({ id: "storage", name: keyName("storage"), protect: true });
  if (repositories.length > 0) keys.push({ id: "registry", name: keyName("registry"), protect: true });
  if (cluster) keys.push({ id: "cluster", name: keyName("cluster"), protect: true });
  if (endpoints.length > 0) keys.push({ id: "serving", name: keyName("serving"), protect: true });

  const services = new Set([
    "serviceusage.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "iam.googleapis.com",
    "compute.googleapis.com",
    "cloudkms.googleapis.com",
    "storage.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
  ]);
  if (repositories.length > 0) services.add("artifactregistry.googleapis.com");
  if (repositories.some((r) => r.scanOnPush)) services.add("containerscanning.googleapis.com");
  if (cluster) services.add("container.googleapis.com");
  if (model.registry.models) services.add("aiplatform.googleapis.com");
  if (endpoints.length > 0) services.add("run.googleapis.com");
  if (model.budget) services.add("billingbudgets.googleapis.com");

  let budget: GcpBudgetProps | undefined;
  if (model.budget) {
    const billingAccount = model.gcp?.billingAccount;
    if (!billingAccount) {
      throw new MlplatError("MLP_GCP_BUDGET_BILLING_ACCOUNT", "a budget on gcp needs spec.gcp.billingAccount", {
        hint: "add `billingAccount: XXXXXX-XXXXXX-XXXXXX` to spec.gcp, or remove spec.budget",
      });
    }
    budget = {
      billingAccount,
      displayName: fitName(`mlplat ${model.stackName}`, { maxLength: 60, separator: "-" }),
      monthlyUsd: model.budget.monthlyUsd,
      thresholds: [...model.budget.alertAtPercent].sort((a, b) => a - b).map((p) => p / 100),
      emails: model.budget.emails,
    };
  }

  return {
    stackName: model.stackName,
    project,
    region,
    labels: gcpLabels(model.labels),
    backend: resolveBackend(model, ctx),
    services: [...services].sort(),
    network: resolveNetwork(model),
    kms: { keyRingName: name(undefined, GCP_NAME_RULES.kms), rotationPeriod: `${KMS_ROTATION_SECONDS}s`, keys },
    buckets,
    repositories,
    modelRegistry: model.registry.models
      ? {
          location: `projects/${project}/locations/${region}/models`,
          bucketIds: modelBucketIds(model),
        }
      : undefined,
    cluster,
    endpoints,
    workloadIdentities,
    observability: { logRetentionDays: model.observability.logRetentionDays, alertEmails: model.observability.alertEmails },
    budget,
    limitations: limitationsOf(model, { cluster, endpoints, repositories }),
  };
}

/** The `gcp_limitations` sentences that apply to this model. */
function limitationsOf(
  model: PlatformModel,
  r: { cluster?: GcpClusterProps; endpoints: readonly GcpEndpointProps[]; repositories: readonly GcpRepoProps[] },
): string[] {
  const out = [
    "kms: GCP never deletes key rings or keys, so they are protected and mlplat destroy keeps them; after destroy --allow-data-loss, run the kms_import_commands before deploying again and restore the key versions scheduled for destruction (gcloud kms keys versions restore) within 30 days.",
  ];
  if (model.registry.models) {
    out.push(
      "registry.models: the Vertex AI Model Registry has no Terraform resource; mlplat enables the API and grants the Vertex AI service agent read access to the model buckets, and CI uploads model versions (gcloud ai models upload).",
    );
  }
  if (r.repositories.some((x) => x.scanOnPush)) {
    out.push("registry.images[].scanOnPush: Artifact Registry scanning is the project-wide Container Scanning API, billed per scanned image; repositories only opt out.");
  }
  if (r.cluster) {
    if (r.cluster.nodePools.some((p) => p.accelerator)) {
      out.push(
        "cluster.nodePools[].gpu: GPU pools use the cluster's default zones of the region; the provider cannot check offline that each zone offers the accelerator, and GPU quota (per region, spot and on-demand) must be granted before nodes can start.",
      );
    }
    out.push("cluster: deletion_protection is on; `mlplat destroy` turns it off with a targeted apply first, while a bare `terraform destroy` is refused until a deploy sets deletion_protection = false.");
    if (model.network.privateCluster && model.network.adminCidrs.length > 0) {
      out.push("network.adminCidrs: GKE accepts only VPC-internal ranges as authorized networks of a private endpoint, so adminCidrs are not applied; reach the API from the VPC.");
    }
  }
  if (r.endpoints.length > 0) {
    out.push(
      "serving.endpoints[]: Cloud Run starts a revision at apply time, so the image must already be pushed to Artifact Registry before the endpoint is first deployed.",
    );
  }
  if (r.endpoints.some((e) => e.accelerator)) {
    out.push(
      "serving.endpoints[].gpu: Cloud Run GPUs need the project's L4 quota without zonal redundancy (gpu_zonal_redundancy_disabled is set), requested per region before the first deploy.",
    );
  }
  if (model.endpoints.some((e) => e.runtime === "kubernetes")) {
    out.push(
      "serving.endpoints[] with runtime: kubernetes are Kubernetes manifests applied to the cluster, not Terraform resources; the stack only creates the Google service account (Workload Identity) of those that read a model.",
    );
  }
  if (model.budget) {
    out.push("budget: the amount is in USD; a billing account in another currency rejects the budget at apply time.");
  }
  return out;
}

/** Buckets Vertex AI reads artifacts from: those endpoints name, else one called `models`, else all. */
function modelBucketIds(model: PlatformModel): string[] {
  const named = [...new Set(model.endpoints.flatMap((e) => (e.model ? [e.model.bucket] : [])))];
  if (named.length > 0) return named.sort();
  if (model.buckets.some((b) => b.name === "models")) return ["models"];
  return model.buckets.map((b) => b.name);
}

function resolveBackend(model: PlatformModel, ctx: SynthContext): GcpBackendProps {
  // Offline synth never talks to GCS: a remote backend falls back to the local file.
  if (model.state.backend === "gcs" && !ctx.offline) {
    return { kind: "gcs", bucket: model.state.bucket, prefix: model.state.prefix };
  }
  return { kind: "local", path: ctx.localStatePath };
}

// ---------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------

const TAINT_EFFECTS: Readonly<Record<TaintEffect, GcpTaintEffect>> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

function resolveCluster(model: PlatformModel, project: string): GcpClusterProps {
  const c = model.cluster!;
  const clusterName = deriveName(model, undefined, GCP_NAME_RULES.gkeCluster);
  const systemPool: GcpNodePoolProps = {
    id: "system",
    name: deriveName(model, "system", GCP_NAME_RULES.gkeNodePool),
    machineType: c.systemPool.instanceType,
    spot: false,
    minNodes: c.systemPool.min,
    maxNodes: c.systemPool.max,
    diskSizeGiB: 100,
    diskType: diskTypeFor(c.systemPool.instanceType),
    kubernetesLabels: { "mlplat.io/pool": "system" },
    taints: [],
  };
  const nodePools = c.nodePools.map((p) => resolvePool(model, p));
  const names = new Set<string>();
  for (const p of [systemPool, ...nodePools]) {
    if (names.has(p.name)) {
      throw new MlplatError("MLP_GCP_POOL_NAME", `two GKE node pools would both be named ${p.name}`, {
        hint: "rename one of spec.cluster.nodePools (`system` is taken by the system pool)",
      });
    }
    names.add(p.name);
  }
  const privateEndpoint = model.network.privateCluster;
  return {
    name: clusterName,
    minMasterVersion: c.version,
    releaseChannel: "REGULAR",
    privateEndpoint,
    // GKE rejects public CIDRs in authorized networks while the endpoint is private ("not a
    // reserved network, which is required for private endpoints"): adminCidrs only apply to a
    // public endpoint (`privateCluster: false`, where the blueprint requires them).
    masterAuthorizedNetworks: [
      { cidr: model.network.cidr, displayName: "vpc" },
      ...(privateEndpoint ? [] : model.network.adminCidrs.map((cidr, i) => ({ cidr, displayName: `admin-${i + 1}` }))),
    ],
    nodeServiceAccountId: deriveName(model, "gke-nodes", GCP_NAME_RULES.serviceAccount),
    admins: c.admins.map(iamMember),
    systemPool,
    nodePools,
    kubeconfigCommand:
      `gcloud container clusters get-credentials ${clusterName} --region ${model.region} --project ${project}` +
      (privateEndpoint ? " --internal-ip" : ""),
  };
}

function resolvePool(model: PlatformModel, p: NodePoolModel): GcpNodePoolProps {
  let accelerator: GcpAcceleratorProps | undefined;
  if (p.gpu) {
    const type = p.gpu.acceleratorId;
    if (!type) {
      throw new MlplatError("MLP_GCP_GPU_ID", `node pool ${p.name}: the catalog gave no GCP accelerator id for ${p.gpu.type}`, {
        hint: "this is a catalog gap: report it, or use an instanceType the catalog knows",
      });
    }
    const pairing = checkAcceleratorPairing(p.instanceType, type, p.gpu.count);
    if (!pairing.ok) {
      throw new MlplatError(pairing.code, `spec.cluster.nodePools[${p.name}]: ${pairing.message}`, { hint: pairing.hint });
    }
    accelerator = { type, count: p.gpu.count };
  }
  return {
    id: p.name,
    name: deriveName(model, p.name, GCP_NAME_RULES.gkeNodePool),
    machineType: p.instanceType,
    accelerator,
    spot: p.spot,
    minNodes: p.min,
    maxNodes: p.max,
    diskSizeGiB: p.diskGiB,
    diskType: diskTypeFor(p.instanceType),
    kubernetesLabels: p.labels,
    taints: p.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
  };
}

/**
 * Boot disk type: `pd-balanced`, except on families that only take Hyperdisk (N4, C4, A4, the
 * A3 Ultra and X4 machines), where Persistent Disk is refused at node creation.
 */
export function diskTypeFor(machineType: string): string {
  if (/^(n4|c4|c4a|c4d|a4|a4x|x4|m4)-/.test(machineType) || machineType.startsWith("a3-ultragpu-")) {
    return "hyperdisk-balanced";
  }
  return "pd-balanced";
}

/**
 * Admin principals as IAM members: prefixes kept; a bare e-mail is a user (as the blueprint
 * validation documents it), or a service account when it has the service-account domain.
 */
export function iamMember(principal: string): string {
  if (/^(user|group|serviceAccount|domain|principal|principalSet):/.test(principal)) return principal;
  if (/^[^@\s]+@[^@\s]+$/.test(principal)) {
    return principal.endsWith(".iam.gserviceaccount.com") ? `serviceAccount:${principal}` : `user:${principal}`;
  }
  throw new MlplatError("MLP_GCP_ADMIN_PRINCIPAL", `cluster admin ${JSON.stringify(principal)} is not a Google principal`, {
    hint: "use group:<email>, user:<email> or serviceAccount:<email> (a bare e-mail is taken as a user)",
  });
}

// ---------------------------------------------------------------------------------------------
// Serving
// ---------------------------------------------------------------------------------------------

function resolveEndpoint(
  model: PlatformModel,
  e: EndpointModel,
  repos: ReadonlyMap<string, GcpRepoProps>,
  buckets: readonly GcpBucketProps[],
): GcpEndpointProps {
  const where = `spec.serving.endpoints[${e.name}]`;
  let accelerator: GcpAcceleratorProps | undefined;
  if (e.gpu) {
    if (e.gpu.type !== "L4" || e.gpu.count !== 1) {
      throw new MlplatError(
        "MLP_GCP_CLOUD_RUN_GPU",
        `${where}: Cloud Run offers exactly one L4 GPU per instance, not ${e.gpu.count} × ${e.gpu.type}`,
        { hint: "use gpu: { type: L4, count: 1 }, or runtime: kubernetes to serve on a GKE GPU pool" },
      );
    }
    accelerator = { type: e.gpu.acceleratorId ?? "nvidia-l4", count: 1 };
  }
  let cpu = e.cpu;
  let memoryGiB = e.memoryGiB;
  if (accelerator) {
    cpu = Math.max(cpu, CLOUD_RUN_GPU_MIN_CPU);
    memoryGiB = Math.max(memoryGiB, CLOUD_RUN_GPU_MIN_MEMORY_GIB);
  }
  if (cpu > CLOUD_RUN_MAX_CPU || memoryGiB > CLOUD_RUN_MAX_MEMORY_GIB) {
    throw new MlplatError("MLP_GCP_CLOUD_RUN_SIZE", `${where}: Cloud Run instances have at most 8 vCPU and 32 GiB (asked ${cpu} vCPU, ${memoryGiB} GiB)`, {
      hint: "use runtime: kubernetes for larger replicas",
    });
  }
  // Cloud Run takes whole CPUs above 1 and memory in Mi/Gi.
  const cpuLimit = cpu >= 1 ? String(Math.ceil(cpu)) : String(cpu);
  const memory = Number.isInteger(memoryGiB) ? `${memoryGiB}Gi` : `${Math.ceil(memoryGiB * 1024)}Mi`;

  let image: string;
  let repositoryId: string | undefined;
  if (e.image.kind === "repository") {
    const repo = repos.get(e.image.repository);
    if (!repo) {
      throw new MlplatError("MLP_GCP_IMAGE_REPO", `${where}: image repository ${e.image.repository} is not declared`, {
        hint: "declare it under spec.registry.images or give a full image URI",
      });
    }
    image = `${repo.url}/${e.image.repository}:${e.image.tag}`;
    repositoryId = repo.id;
  } else {
    image = e.image.uri;
  }

  let modelUri: string | undefined;
  if (e.model) {
    const bucket = buckets.find((b) => b.id === e.model!.bucket);
    if (!bucket) {
      throw new MlplatError("MLP_GCP_MODEL_BUCKET", `${where}: model bucket ${e.model.bucket} is not declared`, {
        hint: "declare it under spec.storage.buckets",
      });
    }
    modelUri = `gs://${bucket.name}/${e.model.path.replace(/^\/+/, "")}`;
  }

  return {
    id: e.name,
    serviceName: deriveName(model, e.name, GCP_NAME_RULES.cloudRunService),
    serviceAccountId: deriveName(model, `run-${e.name}`, GCP_NAME_RULES.serviceAccount),
    image,
    repositoryId,
    cpu: cpuLimit,
    memory,
    accelerator,
    minInstances: e.autoscaling.min,
    maxInstances: e.autoscaling.max,
    concurrency: e.autoscaling.targetConcurrency,
    modelBucketId: e.model?.bucket,
    modelUri,
    latencyP99Ms: e.alarms.latencyP99Ms,
    errorRatePercent: e.alarms.errorRatePercent,
  };
}

/**
 * One Google service account per `runtime: kubernetes` endpoint that reads a model: `k8s-<endpoint>`
 * (the Cloud Run ones are `run-<endpoint>`, the nodes' `gke-nodes`: the prefixes keep the ids
 * apart, and a cut name ends with a hash of the whole). The Kubernetes ServiceAccount
 * is named like the endpoint's Deployment (`endpointObjectName` in src/k8s/conventions.ts).
 */
function resolveWorkloadIdentities(model: PlatformModel, project: string, buckets: readonly GcpBucketProps[]): GcpWorkloadIdentityProps[] {
  return model.endpoints
    .filter((e) => e.runtime === "kubernetes" && e.model)
    .map((e) => {
      const bucket = e.model!.bucket;
      if (!buckets.some((b) => b.id === bucket)) {
        throw new MlplatError("MLP_GCP_MODEL_BUCKET", `spec.serving.endpoints[${e.name}]: model bucket ${bucket} is not declared`, {
          hint: "declare it under spec.storage.buckets",
        });
      }
      const serviceAccountId = deriveName(model, `k8s-${e.name}`, GCP_NAME_RULES.serviceAccount);
      return {
        id: e.name,
        serviceAccountId,
        email: `${serviceAccountId}@${project}.iam.gserviceaccount.com`,
        workloadPool: `${project}.svc.id.goog`,
        namespace: SERVING_NAMESPACE,
        kubernetesServiceAccount: endpointObjectName(e.name),
        modelBucketId: bucket,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/**
 * GCP label rules: keys 1-63 chars starting with a lowercase letter, keys and values only
 * lowercase letters, digits, `_` and `-`, values up to 63 (may be empty), at most 64 labels.
 * `owner: risk-ml@example.com` becomes `owner: risk-ml_example_com`.
 */
export function gcpLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    let key = k.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    if (!/^[a-z]/.test(key)) key = ("x" + key).slice(0, 63);
    const value = v.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    if (key in out && from[key] !== k) {
      throw new MlplatError("MLP_GCP_LABEL_COLLISION", `labels ${from[key]} and ${k} both become the GCP label key ${key}`, {
        hint: "rename one of metadata.labels",
      });
    }
    out[key] = value;
    from[key] = k;
  }
  if (Object.keys(out).length > 64) {
    throw new MlplatError("MLP_GCP_LABEL_COUNT", `GCP resources take at most 64 labels, the platform has ${Object.keys(out).length}`, {
      hint: "remove some of metadata.labels",
    });
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

/**
 * The node subnet and the GKE secondary ranges.
 *
 * A /16 (or larger) `network.cidr` is carved: nodes get the first /18, services the /20 after
 * it, pods the upper /17 (32768 addresses: 128 nodes at GKE's 110 pods per node, which needs a
 * /24 each). A smaller `network.cidr` (/17 to /24) is all nodes, and pods (/16) and services
 * (/20) come from another RFC 1918 block, chosen deterministically so it can't overlap the
 * node range: 172.16.0.0/16 + 172.17.0.0/20 when the nodes are in 10/8 or 192.168/16,
 * 10.248.0.0/16 + 10.249.0.0/20 when they are in 172.16/12. Secondary ranges are local to the
 * platform's own VPC; they only matter if that VPC is later peered.
 */
export function resolveNetwork(model: PlatformModel): GcpNetworkProps {
  const { base, prefix } = requireCidr(model.network.cidr, "MLP_GCP_CIDR");
  let nodeCidr: string;
  let podsCidr: string;
  let servicesCidr: string;
  let outside = false;
  if (prefix <= 16) {
    nodeCidr = formatCidr({ base, prefix: 18 });
    servicesCidr = formatCidr({ base: base + (1 << 14), prefix: 20 });
    podsCidr = formatCidr({ base: base + (1 << 15), prefix: 17 });
  } else {
    outside = true;
    nodeCidr = formatCidr({ base, prefix });
    const inClassB = (base >>> 20) === (172 << 4) + 1; // 172.16.0.0/12
    if (inClassB) {
      podsCidr = "10.248.0.0/16";
      servicesCidr = "10.249.0.0/20";
    } else {
      podsCidr = "172.16.0.0/16";
      servicesCidr = "172.17.0.0/20";
    }
  }
  return {
    networkName: deriveName(model, undefined, GCP_NAME_RULES.compute),
    subnetName: deriveName(model, "nodes", GCP_NAME_RULES.compute),
    routerName: deriveName(model, "router", GCP_NAME_RULES.compute),
    natName: deriveName(model, "nat", GCP_NAME_RULES.compute),
    nodeCidr,
    podsRangeName: "pods",
    podsCidr,
    servicesRangeName: "services",
    servicesCidr,
    secondaryRangesOutsideCidr: outside,
  };
}

