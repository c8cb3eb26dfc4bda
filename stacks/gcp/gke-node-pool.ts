import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * One GKE node pool: autoscaled by total node count across the cluster's zones (0 allowed),
 * nodes with the platform's least-privilege service account, GKE metadata server (workload
 * identity), Shielded VM secure boot, CMEK boot disks, auto repair and upgrade.
 *
 * A GPU pool carries its accelerator as `guest_accelerator` (also for machine types with GPUs
 * built in, such as g2 or a2: that block is what makes GKE treat the node as a GPU node) with
 * GKE-managed driver installation (`LATEST`), so no driver DaemonSet is needed. GPU pools also
 * surge by taking one node down rather than adding one: scarce GPUs make a surge node the
 * likeliest thing to be unavailable during an upgrade.
 *
 * GPU pools are placed in the zones that offer their accelerator (`nodeLocations`): a regional
 * pool over the cluster's default zones fails to create where a zone lacks it.
 *
 * Construct id (the blueprint pool name) and `name` are API: changing either replaces the pool.
 */
export type GkeTaintEffect = "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";

export interface GkeNodePoolProps {
  readonly project: string;
  /** Cluster id (`projects/…/clusters/…`). */
  readonly clusterId: string;
  /** Cluster location (the region). */
  readonly location: string;
  readonly name: string;
  readonly machineType: string;
  /** Node service account e-mail. */
  readonly serviceAccountEmail: string;
  /** CMEK key id for boot disks. */
  readonly bootDiskKmsKeyId: string;
  /** GCP labels on the node VMs. */
  readonly resourceLabels: Readonly<Record<string, string>>;
  /**
   * Fewest nodes across all zones.
   * @default 0
   */
  readonly minNodes?: number;
  /** Most nodes across all zones. */
  readonly maxNodes: number;
  /**
   * Boot disk size.
   * @default 100
   */
  readonly diskSizeGiB?: number;
  /**
   * Boot disk type.
   * @default "pd-balanced"
   */
  readonly diskType?: string;
  /**
   * Spot VMs (GKE labels them `cloud.google.com/gke-spot=true` itself).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * GPUs per node (`nvidia-tesla-t4`, `nvidia-l4`, …).
   * @default - CPU-only pool
   */
  readonly accelerator?: { readonly type: string; readonly count: number };
  /**
   * Kubernetes node labels.
   * @default {}
   */
  readonly kubernetesLabels?: Readonly<Record<string, string>>;
  /**
   * Kubernetes taints, GKE effect names.
   * @default []
   */
  readonly taints?: readonly { readonly key: string; readonly value: string; readonly effect: GkeTaintEffect }[];
  /**
   * Zones of the pool's nodes (`node_locations`, changeable in place).
   * @default - the cluster's zones (three zones of the region)
   */
  readonly nodeLocations?: readonly string[];
  /**
   * `nodeLocations` is mlplat's default rather than the user's choice: set at creation, then
   * ignored, so a pool created without it (v0.1) is never moved to other zones.
   * @default false
   */
  readonly nodeLocationsDefaulted?: boolean;
  /**
   * Nodes per zone at creation (`initial_node_count`; changing it would replace the pool, so it
   * is ignored after creation: the autoscaler owns the count).
   * @default minNodes > 0 ? 1 : 0
   */
  readonly initialNodeCount?: number;
  /**
   * What the pool waits for (node service account roles, the key grant for Compute Engine).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GkeNodePool extends Construct {
  readonly nodePool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    const minNodes = props.minNodes ?? 0;
    const spot = props.spot ?? false;
    if (minNodes < 0 || props.maxNodes < 1 || minNodes > props.maxNodes) {
      throw new Error(`node pool ${id}: need 0 <= minNodes <= maxNodes and maxNodes >= 1, got ${minNodes}..${props.maxNodes}`);
    }
    const gpu = props.accelerator !== undefined;

    this.nodePool = new ContainerNodePool(this, "Resource", {
      project: props.project,
      cluster: props.clusterId,
      location: props.location,
      name: props.name,
      // Per zone, at creation only; the autoscaler owns the count afterwards.
      initialNodeCount: props.initialNodeCount ?? (minNodes > 0 ? 1 : 0),
      nodeLocations: props.nodeLocations ? [...props.nodeLocations] : undefined,
      autoscaling: {
        totalMinNodeCount: minNodes,
        totalMaxNodeCount: props.maxNodes,
        // ANY finds capacity in whichever zone has it: what spot and GPU pools need.
        locationPolicy: spot || gpu ? "ANY" : "BALANCED",
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: gpu ? { strategy: "SURGE", maxSurge: 0, maxUnavailable: 1 } : { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: props.machineType,
        imageType: "COS_CONTAINERD",
        diskSizeGb: props.diskSizeGiB ?? 100,
        diskType: props.diskType ?? "pd-balanced",
        bootDiskKmsKey: props.bootDiskKmsKeyId,
        spot,
        serviceAccount: props.serviceAccountEmail,
        // Access is decided by the service account's IAM roles, not by legacy scopes.
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        guestAccelerator: props.accelerator
          ? [
              {
                type: props.accelerator.type,
                count: props.accelerator.count,
                gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" },
              },
            ]
          : undefined,
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { "disable-legacy-endpoints": "true" },
        labels: { ...(props.kubernetesLabels ?? {}) },
        resourceLabels: { ...props.resourceLabels },
        taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      },
      dependsOn: props.dependsOn,
      // initial_node_count forces replacement (ForceNew in the provider) and only matters at
      // creation; defaulted node_locations must not move pools created before them (v0.1).
      lifecycle: { ignoreChanges: ["initial_node_count", ...(props.nodeLocationsDefaulted ? ["node_locations"] : [])] },
    });
  }
}
