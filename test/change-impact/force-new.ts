/**
 * ForceNew attributes of the resources the disruption guard watches on GCP and Azure, where no
 * provider binary is available to plan with: an edit that changes one of these in the
 * synthesized JSON is a replacement, as `terraform plan` would report it (replace_paths).
 * Attribute paths are dotted, without list indices (`node_config.guest_accelerator`); a path
 * covers everything below it.
 *
 * Sources: the providers' schemas (ForceNew: true), at the versions mlplat pins (google 6.50,
 * azurerm 4.55); newer mains were read where noted, for attributes whose ForceNew flag has not
 * changed between them.
 */
import { WORKSPACE_FORCE_NEW } from "./force-new-workspaces.js";
import { PIPELINE_FORCE_NEW } from "./force-new-pipelines.js";

export interface ForceNewEntry {
  readonly paths: readonly string[];
  readonly source: string;
}

const GOOGLE = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/services";
const AZURERM = "https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services";

export const FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
  google_container_cluster: {
    paths: ["name", "location", "project", "network", "subnetwork", "initial_node_count", "networking_mode", "enable_autopilot", "ip_allocation_policy", "private_cluster_config.enable_private_nodes", "private_cluster_config.master_ipv4_cidr_block", "node_config"],
    source: `${GOOGLE}/container/resource_container_cluster.go (schema: ForceNew on these; node_config of the default pool via schemaNodeConfig)`,
  },
  google_container_node_pool: {
    paths: [
      "name",
      "location",
      "cluster",
      "project",
      "initial_node_count",
      "node_config.guest_accelerator",
      "node_config.spot",
      "node_config.preemptible",
      "node_config.service_account",
      "node_config.oauth_scopes",
      "node_config.metadata",
      "node_config.boot_disk_kms_key",
      "node_config.shielded_instance_config",
      "node_config.local_ssd_count",
      "node_config.min_cpu_platform",
      "node_config.reservation_affinity",
      "node_config.gvnic",
    ],
    source: `${GOOGLE}/container/node_config.go (schemaNodeConfig: guest_accelerator, spot, preemptible, service_account, oauth_scopes, metadata, boot_disk_kms_key, shielded_instance_config, … ForceNew; machine_type, disk_size_gb, labels, taint update in place) and resource_container_node_pool.go (name, location, cluster, initial_node_count)`,
  },
  google_cloud_run_v2_service: {
    paths: ["name", "location", "project"],
    source: `${GOOGLE}/cloudrunv2/resource_cloud_run_v2_service.go (name, location, project ForceNew; template changes roll out a revision)`,
  },
  google_compute_network: {
    paths: ["name", "project", "auto_create_subnetworks"],
    source: `${GOOGLE}/compute/resource_compute_network.go`,
  },
  google_compute_subnetwork: {
    paths: ["name", "project", "region", "network"],
    source: `${GOOGLE}/compute/resource_compute_subnetwork.go (ip_cidr_range may only grow in place)`,
  },
  google_kms_key_ring: { paths: ["name", "location", "project"], source: `${GOOGLE}/kms/resource_kms_key_ring.go` },
  google_kms_crypto_key: {
    paths: ["name", "key_ring", "purpose", "import_only", "skip_initial_version_creation", "version_template.protection_level"],
    source: `${GOOGLE}/kms/resource_kms_crypto_key.go`,
  },
  azurerm_kubernetes_cluster: {
    paths: ["name", "location", "resource_group_name", "dns_prefix", "dns_prefix_private_cluster", "private_cluster_enabled", "private_dns_zone_id", "node_resource_group", "disk_encryption_set_id", "network_profile.network_plugin", "network_profile.service_cidr", "network_profile.dns_service_ip", "network_profile.pod_cidr"],
    source: `${AZURERM}/containers/kubernetes_cluster_resource.go (default_node_pool changes rotate through temporary_name_for_rotation)`,
  },
  azurerm_kubernetes_cluster_node_pool: {
    paths: ["name", "kubernetes_cluster_id", "host_group_id", "capacity_reservation_group_id", "eviction_policy", "gpu_instance", "gpu_driver", "node_public_ip_prefix_id", "os_type", "priority", "proximity_placement_group_id", "spot_max_price", "windows_profile"],
    source: `${AZURERM}/containers/kubernetes_cluster_node_pool_resource.go (resourceKubernetesClusterNodePoolSchema; vm_size is rotated in place through temporary_name_for_rotation)`,
  },
  azurerm_container_app: {
    paths: ["name", "resource_group_name", "container_app_environment_id"],
    source: `${AZURERM}/containerapps/container_app_resource.go (template changes create a revision)`,
  },
  azurerm_virtual_network: { paths: ["name", "location", "resource_group_name"], source: `${AZURERM}/network/virtual_network_resource.go` },
  azurerm_subnet: { paths: ["name", "resource_group_name", "virtual_network_name"], source: `${AZURERM}/network/subnet_resource.go` },
  azurerm_key_vault: { paths: ["name", "location", "resource_group_name"], source: `${AZURERM}/keyvault/key_vault_resource.go` },
  azurerm_key_vault_key: { paths: ["name", "key_vault_id", "key_type", "key_size", "curve"], source: `${AZURERM}/keyvault/key_vault_key_resource.go` },
  ...WORKSPACE_FORCE_NEW,
  ...PIPELINE_FORCE_NEW,
};

type Json = Record<string, unknown>;

/** The value at a dotted path; lists of blocks (or a single block object) are walked element-wise. */
function at(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => at(v, path));
  if (!value || typeof value !== "object") return null;
  return at((value as Json)[path[0]!], path.slice(1));
}

export interface JsonImpact {
  readonly address: string;
  readonly type: string;
  readonly action: "replace" | "delete";
  readonly replacePaths: readonly string[];
}

/**
 * The replacements and deletions an edit makes among the resources of FORCE_NEW, from two
 * synthesized cdk.tf.json documents: a resource gone is a delete, one whose ForceNew attribute
 * changed is a replace, with the paths that changed. The same shape as the AWS tier's plan.
 */
export function jsonImpact(before: Json, after: Json): JsonImpact[] {
  const out: JsonImpact[] = [];
  const b = (before.resource ?? {}) as Record<string, Record<string, Json>>;
  const a = (after.resource ?? {}) as Record<string, Record<string, Json>>;
  for (const [type, entry] of Object.entries(FORCE_NEW)) {
    for (const [name, old] of Object.entries(b[type] ?? {})) {
      const address = `${type}.${name}`;
      const next = a[type]?.[name];
      if (!next) {
        out.push({ address, type, action: "delete", replacePaths: [] });
        continue;
      }
      const changed = entry.paths.filter((p) => JSON.stringify(at(old, p.split("."))) !== JSON.stringify(at(next, p.split("."))));
      if (changed.length > 0) out.push({ address, type, action: "replace", replacePaths: changed });
    }
  }
  return out;
}
