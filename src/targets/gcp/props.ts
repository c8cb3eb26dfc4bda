/**
 * The props `stacks/gcp/` renders: flat, already-resolved values computed by the GCP resolver
 * (`resolve.ts`). Types only.
 */
import type { HcpBackendProps } from "../../../stacks/common/hcp-backend.js";
import type { GcpWorkspacesProps } from "../../../stacks/gcp/workspaces.js";
import type { GcpTrackingProps } from "../../../stacks/gcp/tracking.js";
import type { GcpPipelinesProps } from "../../../stacks/gcp/pipelines.js";
import type { CloudRunRolloutProps } from "../../../stacks/gcp/cloud-run-endpoint.js";

export type GcpTaintEffect = "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";

export interface GcpTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: GcpTaintEffect;
}

export type GcpBackendProps = GcpBucketBackendProps | HcpBackendProps;

export interface GcpBucketBackendProps {
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
  readonly id: "storage" | "registry" | "cluster" | "serving" | "workspaces" | "tracking" | "pipelines";
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
  /**
   * `node_locations`: the zones the pool's nodes go in; undefined = the cluster's default zones
   * (three zones of the region, GKE's choice).
   */
  readonly nodeLocations?: readonly string[];
  /**
   * True when `nodeLocations` is a default (the zones offering the pool's accelerator), not the
   * blueprint's `zones`: it applies when the pool is created and is then ignored
   * (`lifecycle.ignore_changes`), so a pool deployed by v0.1 keeps its zones (stacks/gcp/README.md "Upgrades").
   */
  readonly nodeLocationsDefaulted: boolean;
  /**
   * `initial_node_count`, per zone: ceil(min / zones), 0 for min 0. GKE creates this many nodes
   * in every zone, so up to zones − 1 nodes above `min` run until the autoscaler removes them.
   */
  readonly initialNodeCount: number;
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
  /**
   * The DNS-based control-plane endpoint accepts traffic from outside the VPC (IAM-authorized:
   * only principals with container.clusters.connect reach it): the default access path for admins
   * and for mlplat's Kubernetes step, even for a private cluster.
   */
  readonly dnsEndpoint: boolean;
}

export interface GcpEndpointProps {
  /** Blueprint endpoint name: the construct id. */
  readonly id: string;
  readonly serviceName: string;
  readonly serviceAccountId: string;
  /** v1.1 stepped rollout: pinned revision name and traffic variable (src/targets/gcp/rollout.ts); absent = Cloud Run names revisions, all traffic to the latest. */
  readonly rollout?: CloudRunRolloutProps;
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
  /** v1.1 `spec.workspaces`: a Workbench instance per user (src/targets/gcp/workspaces.ts). */
  readonly workspaces?: GcpWorkspacesProps;
  /** v1.1 `spec.tracking`: MLflow on Cloud Run with Cloud SQL (src/targets/gcp/tracking.ts). */
  readonly tracking?: GcpTrackingProps;
  /** v1.1 `spec.pipelines`: a launcher workflow per pipeline and its triggers (src/targets/gcp/pipelines.ts). */
  readonly pipelines?: GcpPipelinesProps;
  /**
   * What this platform asks that Terraform's google provider cannot do or check, one sentence
   * each with the way around it; written to the `gcp_limitations` output.
   */
  readonly limitations: readonly string[];
}
