import type { ForceNewEntry } from "./force-new.js";

/**
 * ForceNew attributes of the notebook and tracking resources of spec.workspaces and spec.tracking
 * on GCP and Azure (issue 16),
 * merged into FORCE_NEW (force-new.ts). Sources: the providers' schemas at the pinned versions
 * (google 6.50, azurerm 4.55).
 */
const GOOGLE = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/services";
const AZURERM = "https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services";

export const WORKSPACE_FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
  google_workbench_instance: {
    paths: [
      "location",
      "name",
      "project",
      "instance_id",
      "instance_owners",
      "disable_proxy_access",
      "gce_setup.boot_disk",
      "gce_setup.data_disks",
      "gce_setup.disable_public_ip",
      "gce_setup.enable_ip_forwarding",
      "gce_setup.network_interfaces",
      "gce_setup.service_accounts",
      "gce_setup.tags",
      "gce_setup.vm_image",
      "gce_setup.container_image",
    ],
    source: `${GOOGLE}/workbench/resource_workbench_instance.go (schema: ForceNew on these; machine_type, accelerator_configs and metadata update in place, the provider stopping and starting the instance for the first two)`,
  },
  google_sql_database_instance: {
    paths: ["name", "region", "project", "encryption_key_name", "master_instance_name", "replica_configuration", "settings.disk_type", "settings.collation"],
    source: `${GOOGLE}/sql/resource_sql_database_instance.go (ForceNew on these; settings.tier, availability_type, backups and ip_configuration update in place, database_version upgrades in place)`,
  },
  azurerm_machine_learning_compute_instance: {
    paths: [
      "name",
      "machine_learning_workspace_id",
      "virtual_machine_size",
      "authorization_type",
      "assign_to_user",
      "description",
      "identity",
      "local_auth_enabled",
      "ssh",
      "subnet_resource_id",
      "node_public_ip_enabled",
      "tags",
    ],
    source: `${AZURERM}/machinelearning/machine_learning_compute_instance_resource.go (every argument ForceNew, tags included: commonschema.TagsForceNew; the resource has no Update)`,
  },
};
