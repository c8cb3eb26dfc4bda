import { sectionOf } from "../terraform/addresses.js";
import type { PlannedChange } from "../terraform/plan-stream.js";

/**
 * The disruption guard (issue 14), beside the data-loss guard: a plan that replaces or deletes
 * what serves traffic or runs work is refused unless `--allow-disruption`. Pure: it reads the
 * planned changes (`terraform plan -json`) and, when there are candidates, the saved plan's
 * `terraform show -json` for what the stream lacks: the attributes forcing each replacement
 * (`resource_changes[].change.replace_paths`) and a node pool's size before the change.
 */
export type DisruptionKind = "cluster" | "node pool" | "endpoint" | "network" | "key" | "notebook" | "pipeline";

/** Resource types whose replacement or deletion disrupts a running platform, on all three clouds. */
export const DISRUPTIVE_TYPES: Readonly<Record<string, DisruptionKind>> = {
  aws_eks_cluster: "cluster",
  google_container_cluster: "cluster",
  azurerm_kubernetes_cluster: "cluster",
  aws_eks_node_group: "node pool",
  google_container_node_pool: "node pool",
  azurerm_kubernetes_cluster_node_pool: "node pool",
  aws_sagemaker_endpoint: "endpoint",
  google_cloud_run_v2_service: "endpoint",
  azurerm_container_app: "endpoint",
  aws_vpc: "network",
  aws_subnet: "network",
  google_compute_network: "network",
  google_compute_subnetwork: "network",
  azurerm_virtual_network: "network",
  azurerm_subnet: "network",
  aws_kms_key: "key",
  google_kms_crypto_key: "key",
  google_kms_key_ring: "key",
  azurerm_key_vault: "key",
  azurerm_key_vault_key: "key",
  // A user's Azure ML compute instance (their files stay on the workspace file share). The GCP
  // Workbench instance carries its data disk and is guarded as data instead (summary.ts).
  azurerm_machine_learning_compute_instance: "notebook",
  // A user's SageMaker profile: their private spaces (and the spaces' EBS volumes) belong to it,
  // and deleting it fails while they exist (mlplat destroy deletes them with consent).
  aws_sagemaker_user_profile: "notebook",
  // A SageMaker pipeline's executions (history, lineage, the runs in progress) belong to it:
  // replacing it (a rename) or deleting it loses them.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeletePipeline.html
  aws_sagemaker_pipeline: "pipeline",
};

export interface Disruption {
  readonly address: string;
  readonly kind: DisruptionKind;
  readonly action: "delete" | "replace";
  /** Blueprint section and item (`cluster` / `llm`), from the address. */
  readonly section: string;
  readonly name: string;
  /** The attributes forcing a replacement (`access_config.0.bootstrap_cluster_creator_admin_permissions`); empty when unknown or a delete. */
  readonly replacePaths: readonly string[];
}

/** The candidates in a plan: guarded types deleted or replaced (before node pool sizes are known). */
export function findDisruptions(resources: readonly PlannedChange[]): Disruption[] {
  const out: Disruption[] = [];
  for (const rc of resources) {
    if (rc.mode !== "managed" || (rc.action !== "delete" && rc.action !== "replace")) continue;
    const kind = DISRUPTIVE_TYPES[rc.type];
    if (!kind) continue;
    const { section, item } = sectionOf(rc.address);
    out.push({ address: rc.address, kind, action: rc.action, section, name: item ?? rc.name, replacePaths: [] });
  }
  return out;
}

/** The part of `terraform show -json <planfile>` read here. */
export interface ShownPlan {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly change: { readonly before?: unknown; readonly replace_paths?: readonly (readonly (string | number)[])[] };
  }[];
}

/**
 * The candidates with their forcing attributes, without node pools that have no nodes: a pool
 * whose size before the change is known to be zero (min and desired/current count 0) disrupts
 * nothing. A pool of unknown size stays guarded.
 */
export function withPlanDetails(candidates: readonly Disruption[], shown: ShownPlan | undefined): Disruption[] {
  if (!shown) return [...candidates];
  const byAddress = new Map((shown.resource_changes ?? []).map((rc) => [rc.address, rc]));
  const out: Disruption[] = [];
  for (const d of candidates) {
    const rc = byAddress.get(d.address);
    if (d.kind === "node pool" && rc && poolIsEmpty(rc.type, rc.change.before)) continue;
    out.push({ ...d, replacePaths: (rc?.change.replace_paths ?? []).map((p) => p.join(".")) });
  }
  return out;
}

/** Whether a node pool's prior state says it has no nodes and may have none. */
export function poolIsEmpty(type: string, before: unknown): boolean {
  const b = before as Record<string, any> | null | undefined;
  if (!b || typeof b !== "object") return false;
  switch (type) {
    case "aws_eks_node_group": {
      const s = b.scaling_config?.[0];
      return s?.min_size === 0 && s?.desired_size === 0;
    }
    case "google_container_node_pool": {
      const a = b.autoscaling?.[0];
      return (a ? a.min_node_count === 0 && (a.total_min_node_count ?? 0) === 0 : true) && b.node_count === 0;
    }
    case "azurerm_kubernetes_cluster_node_pool":
      return (b.min_count ?? 0) === 0 && b.node_count === 0;
    default:
      return false;
  }
}

/** One line per disruption, for the plan summary and the refusal. */
export function describeDisruption(d: Disruption): string {
  const forced = d.replacePaths.length > 0 ? `, forced by ${d.replacePaths.join(", ")}` : "";
  return `${d.address} (${d.kind} "${d.name}"): ${d.action === "delete" ? "destroy" : "replace"}${forced}`;
}
