/**
 * The catalog contract: instance facts and prices as data, pure queries over them.
 * The blueprint rules and the model resolver call only this interface, so the data and the
 * query code can change without touching validation. Nothing here imports cdktf.
 */
import type { Cloud } from "../model/platform.js";

/** One instance type (GPU or CPU) on one cloud. GCP attached GPUs: one row per host+GPU+count. */
export interface InstanceRow {
  readonly cloud: Cloud;
  readonly instanceType: string;
  /** Normalized accelerator name (`A100-80GB`); undefined for CPU-only types. */
  readonly accelerator?: string;
  /** Accelerators per instance; 0 for CPU, fractional for partial GPUs (0.25 of an L4). */
  readonly acceleratorCount: number;
  readonly acceleratorMemoryGiB?: number;
  /** The cloud's own accelerator id where config needs it (GCP `nvidia-tesla-t4`). */
  readonly acceleratorId?: string;
  /** GCP: the GPU is attached to a general-purpose host with `guest_accelerator`. */
  readonly attached?: boolean;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  readonly onDemandUsdPerHour?: number;
  readonly spotUsdPerHour?: number;
  /** Region the prices are from. */
  readonly referenceRegion: string;
  /** Regions where the type is offered; empty when the source did not say. */
  readonly regions: readonly string[];
  /** Who makes the accelerator (`nvidia`, `amd`, `aws`, `intel`): drivers and device plugins differ. */
  readonly acceleratorVendor?: AcceleratorVendor;
  /** Why the price should be double-checked (suspicious or missing in the sources). */
  readonly priceNote?: string;
}

export type AcceleratorVendor = "nvidia" | "amd" | "aws" | "intel" | "google";

/** A SageMaker real-time inference instance type (`ml.g5.xlarge`). */
export interface SagemakerRow {
  readonly instanceType: string;
  readonly accelerator?: string;
  readonly acceleratorCount: number;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly usdPerHour?: number;
  /** False for types with local NVMe: SageMaker rejects a KmsKeyId for their storage volume. */
  readonly volumeKmsAllowed: boolean;
  readonly referenceRegion: string;
  readonly acceleratorVendor?: AcceleratorVendor;
  /** Why the price should be double-checked (missing, stale or third-party). */
  readonly priceNote?: string;
}

export interface KubernetesVersionRow {
  readonly cloud: Cloud;
  /** Minor version, `1.33`. */
  readonly version: string;
  /** ISO date the version leaves standard support. */
  readonly endOfStandardSupport: string;
  /** ISO date extended/LTS support ends, when the cloud offers one. */
  readonly endOfExtendedSupport?: string;
  /** The cloud's release calendar the dates come from. */
  readonly source: string;
  /** How the dates were derived when they are estimates. */
  readonly note?: string;
}

/** A successful GPU query. */
export interface GpuMatch {
  readonly ok: true;
  readonly row: InstanceRow;
}

/** A failed GPU query: what was wrong and what would work (near misses). */
export interface GpuMiss {
  readonly ok: false;
  /** Stable diagnostic code. */
  readonly code: "MLP_GPU_UNKNOWN" | "MLP_GPU_NOT_ON_CLOUD" | "MLP_GPU_COUNT" | "MLP_GPU_NOT_IN_REGION";
  /** One sentence: `L4 comes in counts 1, 4, 8 on aws`. */
  readonly message: string;
  /** What would work: `H100 is offered in us-east-1, us-east-2, us-west-2, …`. */
  readonly hint: string;
  /** Candidate values for did-you-mean (accelerator names, counts or regions). */
  readonly suggestions: readonly string[];
}

export type GpuQueryResult = GpuMatch | GpuMiss;

export interface GpuQuery {
  readonly cloud: Cloud;
  /** Any spelling: `a100-80gb`, `nvidia-a100-80gb`, `A100-80GB`. */
  readonly accelerator: string;
  readonly count: number;
  readonly region: string;
  /** Rank by spot price instead of on-demand. */
  readonly spot: boolean;
}

export type KubernetesVersionStatus =
  | { readonly status: "supported"; readonly endOfStandardSupport: string }
  | { readonly status: "extended"; readonly endOfStandardSupport: string; readonly endOfExtendedSupport?: string }
  | { readonly status: "ended"; readonly endOfStandardSupport: string }
  | { readonly status: "unknown" };

/** What the blueprint layer asks of the catalog. Implemented by `loadCatalog()` in `./index.ts`. */
export interface Catalog {
  /** Catalog data version, e.g. `2026-11-23`. */
  readonly version: string;
  /** `a100-80gb`, `nvidia-a100-80gb` → `A100-80GB`; undefined when unknown. */
  normalizeAccelerator(name: string): string | undefined;
  /** All normalized accelerator names known on a cloud (or on any cloud). */
  accelerators(cloud?: Cloud): readonly string[];
  /**
   * The cheapest instance with exactly that accelerator and whole count offered in the region,
   * ranked by the spot or on-demand price as asked (unpriced rows last, ties by name), or a
   * miss with near misses.
   */
  findGpuInstance(query: GpuQuery): GpuQueryResult;
  /** Facts of a named instance type (GPU or CPU) on a cloud; undefined when unknown. */
  instance(cloud: Cloud, instanceType: string): InstanceRow | undefined;
  /** The default instance type for system pools / CPU node pools on a cloud. */
  defaultCpuInstance(cloud: Cloud): string;
  /** Known regions of a cloud (for region checks and did-you-mean). */
  regions(cloud: Cloud): readonly string[];
  /** SageMaker: the cheapest `ml.*` type with exactly that accelerator and count, or a miss. */
  findSagemakerInstance(accelerator: string, count: number): SagemakerRow | GpuMiss;
  /** SageMaker: facts of a named `ml.*` type. */
  sagemakerInstance(instanceType: string): SagemakerRow | undefined;
  /** SageMaker: the default CPU-only type. */
  defaultSagemakerCpuInstance(): string;
  /** Cloud Run: regions offering GPUs (one L4 per instance). */
  cloudRunGpuRegions(): readonly string[];
  /**
   * Azure Container Apps serverless GPU workload profiles: accelerator → profile type
   * (`Consumption-GPU-NC8as-T4`) and the regions offering it.
   */
  containerAppsGpuProfiles(): readonly { readonly accelerator: string; readonly profileType: string; readonly regions: readonly string[] }[];
  /** Kubernetes minor versions a cloud supports, with their support dates. */
  kubernetesVersions(cloud: Cloud): readonly KubernetesVersionRow[];
  /** Support status of a version on a date (ISO `YYYY-MM-DD`). */
  kubernetesVersionStatus(cloud: Cloud, version: string, today: string): KubernetesVersionStatus;

  // ---- additions (issue 3) ----
  /** Every instance row of a cloud (or of all clouds), GPU and CPU, fractional GPUs included. */
  instances(cloud?: Cloud): readonly InstanceRow[];
  /**
   * The row of a GPU instance type with that accelerator and count: needed for GCP, where one
   * n1 host type carries several attached GPUs (`n1-highmem-8` with 2 T4, 1 V100, 1 P100, …).
   * Other clouds: `instance()` when its accelerator and count match; otherwise undefined.
   */
  gpuInstance(cloud: Cloud, instanceType: string, accelerator: string, count: number): InstanceRow | undefined;
  /**
   * Checks an explicit `instanceType`: known on the cloud and offered in the region. A type the
   * catalog does not know is a miss with code `MLP_INSTANCE_UNKNOWN` (callers accept it with a
   * warning) and did-you-mean suggestions.
   */
  checkInstanceType(cloud: Cloud, instanceType: string, region: string): InstanceCheckResult;
  /** All SageMaker rows. */
  sagemakerInstances(): readonly SagemakerRow[];
  /** A managed-service price row (`eks`/`cluster-standard-support`, `nat-gateway`/`gateway-hour`, …). */
  servicePrice(cloud: Cloud, service: string, sku: string): ServicePriceRow | undefined;
  /** Cloud Run GPU facts: one L4 per instance, its minimum CPU/memory and regions. */
  cloudRunGpu(): CloudRunGpuFacts;
  /** GCP accelerator ids and how they attach (machine families, counts). */
  gcpGpuRules(): readonly GcpGpuRule[];
  /** Zones of `region` offering `accelerator` on `instanceType` (zones.json). */
  acceleratorZones(cloud: Cloud, region: string, accelerator: string, instanceType: string): ZoneAvailability;
  /** Provisioning models an instance type is limited to, with the source's URL; undefined when unrestricted. */
  provisioningLimit(cloud: Cloud, instanceType: string): { readonly models: readonly string[]; readonly source: string } | undefined;
}

/** A managed-service price (control plane, NAT, Cloud Run, Container Apps) from managed.csv. */
export interface ServicePriceRow {
  readonly cloud: Cloud;
  /** `eks`, `gke`, `aks`, `cloud-run`, `container-apps`, `nat-gateway`, `cloud-nat`. */
  readonly service: string;
  readonly sku: string;
  readonly accelerator?: string;
  readonly acceleratorCount?: number;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  /** USD per `unit`; undefined when the sources had no price. */
  readonly usdPerUnit?: number;
  /** `cluster-hour`, `gateway-hour`, `GPU-hour`, `vCPU-hour`, `GiB-hour`, `VM-hour`, `GB-processed`, … */
  readonly unit: string;
  readonly referenceRegion: string;
  readonly note?: string;
}

export interface CloudRunGpuFacts {
  readonly accelerator: string;
  readonly acceleratorCount: number;
  /** Cloud Run requires at least this much CPU and memory with a GPU. */
  readonly minCpu: number;
  readonly minMemoryGiB: number;
  readonly gpuRegions: readonly string[];
  /** Region caveats (invitation only, tier-2 pricing). */
  readonly regionNotes: Readonly<Record<string, string>>;
}

export interface ContainerAppsGpuProfile {
  readonly accelerator: string;
  readonly profileType: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Undefined: no price in the sources. */
  readonly usdPerHour?: number;
  readonly priceNote?: string;
  readonly regions: readonly string[];
}

/**
 * Zones of a region that offer an accelerator on instance types starting with `match`
 * (zones.json; sources in data/ZONES-SOURCES.md). GCP zone names, AWS zone IDs.
 */
export interface ZoneRow {
  readonly cloud: Cloud;
  readonly accelerator: string;
  /** Instance-type prefix: `n1-` (GCP attached GPUs), `a2-ultragpu-`, `g6.` … */
  readonly match: string;
  /** Id of the source in zones.json `sources`. */
  readonly source: string;
  /** `complete`: a region absent from `zones` offers none; `partial`: absent regions are unknown. */
  readonly coverage: "complete" | "partial";
  readonly zones: Readonly<Record<string, readonly string[]>>;
}

/** Machine types that only come through some provisioning models (GCP a3-highgpu-1g/2g/4g: spot or flex-start). */
export interface ProvisioningLimit {
  readonly cloud: Cloud;
  readonly instanceTypes: readonly string[];
  readonly models: readonly ("spot" | "flex-start")[];
  readonly source: string;
}

/** What the catalog knows of an accelerator's zones in a region. */
export type ZoneAvailability =
  /** The zones offering it (empty: the region offers none), with the source's URL. */
  | { readonly known: true; readonly zones: readonly string[]; readonly source: string }
  /** No zone data for this cloud, accelerator, instance type or region. */
  | { readonly known: false };

export interface GcpGpuRule {
  readonly accelerator: string;
  /** `guest_accelerator.type`: `nvidia-tesla-t4`, `nvidia-l4`, … */
  readonly acceleratorId: string;
  /** True: attached to an n1 host with `guest_accelerator`; false: built into the machine type. */
  readonly attached: boolean;
  /** Machine families (`n1`, `a2-highgpu`, `g2-standard`, …). */
  readonly machineFamilies: readonly string[];
  readonly counts: readonly number[];
}

/** Result of checking an explicit instance type. */
export type InstanceCheckResult =
  | { readonly ok: true; readonly row: InstanceRow }
  | {
      readonly ok: false;
      readonly code: "MLP_INSTANCE_UNKNOWN" | "MLP_INSTANCE_NOT_IN_REGION";
      readonly message: string;
      readonly hint: string;
      readonly suggestions: readonly string[];
      /** Present for MLP_INSTANCE_NOT_IN_REGION: the type is known. */
      readonly row?: InstanceRow;
    };
