import { Construct } from "constructs";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool/index.js";

/**
 * One `cluster.nodePools[]` entry on AKS: a user node pool with the catalog's VM size (NC/ND for
 * GPUs, with AKS's GPU driver install), autoscaling from `min` (0 allowed) to `max`, taints,
 * labels and OS disk size. Spot pools use Spot priority, `eviction_policy = Delete` and
 * `spot_max_price = -1` (pay up to the on-demand price, never evicted for price); AKS adds the
 * `kubernetes.azure.com/scalesetpriority=spot` label and taint to Spot pools itself, so the
 * resolver declares both and plans don't drift.
 *
 * The construct id (the blueprint pool name) is API: `cluster/<pool>`.
 */
export interface AksNodePoolProps {
  readonly clusterId: string;
  /** AKS pool name: 1-12 lowercase alphanumerics. */
  readonly name: string;
  readonly vmSize: string;
  readonly kubernetesVersion: string;
  readonly subnetId: string;
  readonly min: number;
  readonly max: number;
  /** GPU VM sizes get AKS's NVIDIA driver install. */
  readonly gpu: boolean;
  readonly spot: boolean;
  readonly osDiskSizeGiB: number;
  readonly labels: Readonly<Record<string, string>>;
  /** `key=value:Effect`. */
  readonly taints: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Availability zones of the pool's nodes. Changing them replaces the pool (ForceNew in azurerm).
   * @default - AKS's default placement
   */
  readonly zones?: readonly string[];
}

export class AksNodePool extends Construct {
  readonly pool: KubernetesClusterNodePool;

  constructor(scope: Construct, id: string, props: AksNodePoolProps) {
    super(scope, id);
    if (props.min > props.max) {
      throw new Error(`node pool ${id}: min ${props.min} is greater than max ${props.max}; set min <= max`);
    }
    this.pool = new KubernetesClusterNodePool(this, "Resource", {
      name: props.name,
      kubernetesClusterId: props.clusterId,
      mode: "User",
      vmSize: props.vmSize,
      orchestratorVersion: props.kubernetesVersion,
      vnetSubnetId: props.subnetId,
      osType: "Linux",
      osSku: "Ubuntu",
      osDiskSizeGb: props.osDiskSizeGiB,
      autoScalingEnabled: true,
      minCount: props.min,
      maxCount: props.max,
      nodeCount: props.min,
      nodePublicIpEnabled: false,
      zones: props.zones ? [...props.zones] : undefined,
      gpuDriver: props.gpu ? "Install" : undefined,
      priority: props.spot ? "Spot" : "Regular",
      evictionPolicy: props.spot ? "Delete" : undefined,
      spotMaxPrice: props.spot ? -1 : undefined,
      nodeLabels: { ...props.labels },
      nodeTaints: [...props.taints],
      // AKS does not surge Spot pools; regular pools surge one node at a time.
      upgradeSettings: props.spot ? undefined : { maxSurge: "1" },
      tags: props.tags,
      // The autoscaler owns the node count once the pool exists.
      lifecycle: { ignoreChanges: ["node_count"] },
    });
  }
}
