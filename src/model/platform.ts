/**
 * The resolved, cloud-neutral platform model: what a blueprint means once defaults are
 * applied, the environment overlay is merged, interpolation is done and every GPU request is
 * resolved to an instance type through the catalog. Cloud resolvers (`src/targets/<cloud>.ts`)
 * turn it into construct props; nothing downstream reads YAML or the zod schema.
 *
 * This file imports nothing at runtime on purpose: it is the seam between the blueprint layer
 * and the synth backend (cdktf today).
 */

import type { PipelineModel } from "./pipelines.js";
import type { MonitoringModel, RolloutModel } from "./rollout.js";
import type { TrackingModel } from "./tracking.js";
import type { WorkspacesModel } from "./workspaces.js";

export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

/** A resolved accelerator request: normalized name, per-node/instance count, catalog facts. */
export interface ResolvedGpu {
  /** Normalized accelerator name from the catalog, e.g. `A100-80GB`. */
  readonly type: string;
  /** Accelerators per node or instance. */
  readonly count: number;
  /** Per-accelerator memory in GiB, when the catalog knows it. */
  readonly memoryGiB?: number;
  /**
   * The cloud's own accelerator id where the cloud needs one in the config:
   * GCP `guest_accelerator.type` (`nvidia-tesla-t4`, `nvidia-l4`, …).
   */
  readonly acceleratorId?: string;
}

export interface NetworkModel {
  /** RFC 1918 CIDR, /16 to /24. @default 10.0.0.0/16 */
  readonly cidr: string;
  /** @default true */
  readonly privateCluster: boolean;
  /** Public CIDRs allowed to reach the cluster API and the platform's firewalls. */
  readonly adminCidrs: readonly string[];
}

export interface TieringModel {
  readonly coolAfterDays?: number;
  readonly archiveAfterDays?: number;
}

export interface BucketModel {
  /** Blueprint name, `[a-z][a-z0-9-]{1,30}`. */
  readonly name: string;
  readonly versioning: boolean;
  readonly tiering?: TieringModel;
  readonly expireAfterDays?: number;
  /** `prevent_destroy` on the bucket and its key, never `force_destroy`. */
  readonly protect: boolean;
}

export interface ImageRepoModel {
  readonly name: string;
  readonly immutableTags: boolean;
  readonly scanOnPush: boolean;
  readonly keepLast?: number;
}

export interface RegistryModel {
  readonly images: readonly ImageRepoModel[];
  /** Provision the cloud's model registry. */
  readonly models: boolean;
}

export interface SystemPoolModel {
  /** Resolved (cloud default when the blueprint gave none). */
  readonly instanceType: string;
  readonly min: number;
  readonly max: number;
}

export interface NodePoolModel {
  readonly name: string;
  /** Resolved instance type (GCP: the machine type, e.g. `n1-highmem-4` with an attached T4). */
  readonly instanceType: string;
  /** Present when the resolved instance type has GPUs in the catalog (a GPU pool). */
  readonly gpu?: ResolvedGpu;
  readonly spot: boolean;
  readonly min: number;
  readonly max: number;
  readonly diskGiB: number;
  /**
   * Kubernetes labels: the blueprint's, plus `mlplat.io/pool=<name>` and, for spot pools,
   * `mlplat.io/capacity=spot`.
   */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Kubernetes taints: the blueprint's, plus `nvidia.com/gpu=present:NoSchedule` for GPU pools.
   * Cloud-added taints (AKS spot) are declared by the Azure target, not here.
   */
  readonly taints: readonly Taint[];
  /**
   * Zones of the pool (v1.1): the blueprint's `zones`, else for a GPU pool the region's zones
   * that offer the accelerator (catalog: GCP zone names, AWS zone IDs), else undefined (the
   * cloud's default placement). See src/model/pool-zones.ts.
   */
  readonly zones?: readonly string[];
  /** True when `zones` came from the blueprint; defaulted zones apply to pools being created only. */
  readonly zonesExplicit?: boolean;
}

export interface ClusterModel {
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly version: string;
  /** Principals given cluster-admin; empty = the deploying identity. */
  readonly admins: readonly string[];
  readonly systemPool: SystemPoolModel;
  readonly nodePools: readonly NodePoolModel[];
}

/** An image reference: a declared repository and tag, or a full URI given in the blueprint. */
export type ImageRef =
  | { readonly kind: "repository"; readonly repository: string; readonly tag: string }
  | { readonly kind: "uri"; readonly uri: string };

export interface AutoscalingModel {
  readonly min: number;
  readonly max: number;
  readonly targetConcurrency?: number;
}

export interface AlarmsModel {
  readonly latencyP99Ms?: number;
  readonly errorRatePercent?: number;
}

export type EndpointRuntime = "managed" | "kubernetes";

export interface EndpointModel {
  readonly name: string;
  readonly runtime: EndpointRuntime;
  readonly image: ImageRef;
  readonly model?: { readonly bucket: string; readonly path: string };
  /** Present for GPU endpoints. */
  readonly gpu?: ResolvedGpu;
  /**
   * Resolved compute for `managed` endpoints: AWS SageMaker `ml.*` type, Azure Container Apps
   * workload profile type (`Consumption-GPU-NC8as-T4`), GCP Cloud Run: undefined (CPU/memory below).
   * For `kubernetes` endpoints: the instance type the blueprint named, if any.
   */
  readonly instanceType?: string;
  /** CPU and memory per replica for runtimes that size containers (Cloud Run, Container Apps, Kubernetes). */
  readonly cpu: number;
  readonly memoryGiB: number;
  /** `kubernetes` runtime: the node pool the endpoint is scheduled on (the fitting rule). */
  readonly pool?: string;
  readonly autoscaling: AutoscalingModel;
  readonly alarms: AlarmsModel;
  /** v1.1: gradual rollout (src/model/rollout.ts); absent = all at once, as in v1. */
  readonly rollout?: RolloutModel;
  /** v1.1: capture and drift monitoring (SageMaker managed endpoints). */
  readonly monitoring?: MonitoringModel;
}

export interface ObservabilityModel {
  /** Already rounded up to a value the cloud accepts. */
  readonly logRetentionDays: number;
  readonly alertEmails: readonly string[];
}

export interface BudgetModel {
  readonly monthlyUsd: number;
  readonly alertAtPercent: readonly number[];
  readonly emails: readonly string[];
}

export type StateModel =
  | { readonly backend: "local"; /** Absolute folder holding `<stack>.tfstate`. */ readonly dir: string }
  | { readonly backend: "s3"; readonly bucket: string; readonly region: string; readonly key: string }
  | { readonly backend: "gcs"; readonly bucket: string; readonly prefix: string }
  | {
      readonly backend: "azurerm";
      readonly resourceGroup: string;
      readonly storageAccount: string;
      readonly container: string;
      readonly key: string;
    }
  | {
      /** HCP Terraform / Terraform Enterprise (`cloud` block): state, locking, plans and applies live there. */
      readonly backend: "hcp";
      readonly organization: string;
      /** @default app.terraform.io */
      readonly hostname: string;
      /** The workspace (`name`), or tags with the workspace named after the stack selected among them. */
      readonly workspace: { readonly name: string } | { readonly tags: readonly string[]; readonly name: string };
      readonly project?: string;
    };

export interface AwsAccount {
  readonly accountId: string;
}
export interface GcpAccount {
  readonly project: string;
  readonly billingAccount?: string;
}
export interface AzureAccount {
  readonly subscriptionId: string;
  /** `azure.resourceGroup`, default `<name>-<env>`. */
  readonly resourceGroup: string;
  /** Entra tenant; optional (the provider's own when absent). */
  readonly tenantId?: string;
}

export interface PlatformModel {
  /** `metadata.name`. */
  readonly name: string;
  /** Environment overlay name; `default` without `--env`. */
  readonly env: string;
  /** `<name>-<env>`: the stack name and the prefix of resource names. */
  readonly stackName: string;
  readonly owner: string;
  /**
   * Tags/labels for every taggable resource: `metadata.labels` plus `owner`, `mlplat-platform`,
   * `mlplat-env` and `managed-by: mlplat`. Keys and values as written; targets fit them to
   * their cloud's rules.
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly cloud: Cloud;
  readonly region: string;
  /** Only the block of `cloud` is guaranteed present. */
  readonly aws?: AwsAccount;
  readonly gcp?: GcpAccount;
  readonly azure?: AzureAccount;
  readonly network: NetworkModel;
  readonly buckets: readonly BucketModel[];
  readonly registry: RegistryModel;
  readonly cluster?: ClusterModel;
  readonly endpoints: readonly EndpointModel[];
  /** v1.1: a notebook per data scientist (src/model/workspaces.ts). */
  readonly workspaces?: WorkspacesModel;
  /** v1.1: an MLflow tracking server (src/model/tracking.ts). */
  readonly tracking?: TrackingModel;
  /** v1.1: retraining pipelines (src/model/pipelines.ts); absent or empty when none. */
  readonly pipelines?: readonly PipelineModel[];
  readonly observability: ObservabilityModel;
  readonly budget?: BudgetModel;
  readonly state: StateModel;
}

/** Options of one synth run that are not part of the blueprint. */
export interface SynthContext {
  /**
   * `--offline`: providers make no API call while planning (AWS skip_* flags), a remote
   * backend is replaced by the local one.
   */
  readonly offline: boolean;
  /**
   * For the local backend: the state file path relative to the stack folder
   * (`cdktf.out/stacks/<stack>/`), e.g. `../../../.mlplat/state/fraud-default.tfstate`.
   */
  readonly localStatePath: string;
}
