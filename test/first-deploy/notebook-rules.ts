import { loadCatalog } from "../../src/catalog/index.js";
import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules of the resources `spec.workspaces` and `spec.tracking` create on GCP and
 * Azure (issue 16), appended to GCP_RULES and AZURE_RULES. Each cites the page that states it.
 */
const deps = (r: Record<string, any>): string[] => r.depends_on ?? [];
const catalog = loadCatalog();

/** Workbench's accelerator enum → the catalog's accelerator name. */
const WORKBENCH_GPU: Readonly<Record<string, string>> = {
  NVIDIA_TESLA_T4: "T4",
  NVIDIA_TESLA_P4: "P4",
  NVIDIA_TESLA_P100: "P100",
  NVIDIA_TESLA_V100: "V100",
  NVIDIA_TESLA_A100: "A100-40GB",
  NVIDIA_A100_80GB: "A100-80GB",
  NVIDIA_L4: "L4",
};

const serviceOf = (json: SynthJson, api: string): string | undefined =>
  resourcesOf(json, "google_project_service").find(([, s]) => s.service === api)?.[0];

export const GCP_NOTEBOOK_RULES: readonly FirstDeployRule[] = [
  {
    id: "gcp-workbench-api-before-instance",
    cloud: "gcp",
    description: "A Vertex AI Workbench instance cannot be created until the Notebooks API is enabled on the project: each instance waits for its google_project_service.",
    source: "https://cloud.google.com/vertex-ai/docs/workbench/instances/create",
    check: (json) => {
      const service = serviceOf(json, "notebooks.googleapis.com");
      return resourcesOf(json, "google_workbench_instance").flatMap(([name, r]) => {
        if (!service) return [`google_workbench_instance.${name}: the stack does not enable notebooks.googleapis.com`];
        return deps(r).includes(`google_project_service.${service}`) ? [] : [`google_workbench_instance.${name} does not wait for google_project_service.${service}`];
      });
    },
  },
  {
    id: "gcp-workbench-cmek-grants-before-instance",
    cloud: "gcp",
    description:
      "A Workbench instance with CMEK disks fails to create unless the Compute Engine and Notebooks service agents can already use the key (cryptoKeyEncrypterDecrypter): it waits for both grants.",
    source: "https://cloud.google.com/vertex-ai/docs/workbench/instances/cmek",
    check: (json) =>
      resourcesOf(json, "google_workbench_instance").flatMap(([name, r]) => {
        const key = r.gce_setup?.boot_disk?.kms_key as string | undefined;
        if (!key) return [`google_workbench_instance.${name} has no CMEK boot disk`];
        const keyName = /google_kms_crypto_key\.([A-Za-z0-9_-]+)\./.exec(key)?.[1];
        const grants = resourcesOf(json, "google_kms_crypto_key_iam_member")
          .filter(([, g]) => String(g.crypto_key_id).includes(`google_kms_crypto_key.${keyName}.`))
          .filter(([, g]) => /@(compute-system|gcp-sa-notebooks)\.iam\.gserviceaccount\.com$/.test(String(g.member)));
        const agents = new Set(grants.map(([, g]) => /@([a-z-]+)\./.exec(String(g.member))![1]));
        const missing = ["compute-system", "gcp-sa-notebooks"].filter((a) => !agents.has(a));
        if (missing.length) return [`google_workbench_instance.${name}: no key grant to ${missing.join(", ")}`];
        return grants.flatMap(([g]) => (deps(r).includes(`google_kms_crypto_key_iam_member.${g}`) ? [] : [`google_workbench_instance.${name} does not wait for google_kms_crypto_key_iam_member.${g}`]));
      }),
  },
  {
    id: "gcp-workbench-gpu-zone",
    cloud: "gcp",
    description: "A Workbench instance with an accelerator can only be created in a zone that offers that GPU: its location is one of the catalog's zones for it.",
    source: "https://cloud.google.com/compute/docs/gpus/gpu-regions-zones",
    check: (json) =>
      resourcesOf(json, "google_workbench_instance").flatMap(([name, r]) => {
        const acc = r.gce_setup?.accelerator_configs?.[0];
        if (!acc) return [];
        const gpu = WORKBENCH_GPU[acc.type];
        const zone = String(r.location);
        const region = zone.replace(/-[a-z]$/, "");
        const avail = catalog.acceleratorZones("gcp", region, gpu ?? acc.type, r.gce_setup.machine_type);
        if (!avail.known) return [];
        return avail.zones.includes(zone) ? [] : [`google_workbench_instance.${name}: zone ${zone} does not offer ${gpu ?? acc.type} (${r.gce_setup.machine_type})`];
      }),
  },
  {
    id: "gcp-cloudsql-private-ip-after-psa",
    cloud: "gcp",
    description:
      "A Cloud SQL instance with a private IP on a VPC network fails to create until private services access exists on that network (an allocated range and the servicenetworking connection): it waits for the connection.",
    source: "https://cloud.google.com/sql/docs/postgres/configure-private-services-access",
    check: (json) => {
      const psa = resourcesOf(json, "google_service_networking_connection");
      return resourcesOf(json, "google_sql_database_instance").flatMap(([name, r]) => {
        const network = r.settings?.ip_configuration?.private_network;
        if (!network) return [];
        const conn = psa.find(([, c]) => c.network === network);
        if (!conn) return [`google_sql_database_instance.${name}: no private services access connection on ${network}`];
        return deps(r).includes(`google_service_networking_connection.${conn[0]}`) ? [] : [`google_sql_database_instance.${name} does not wait for google_service_networking_connection.${conn[0]}`];
      });
    },
  },
  {
    id: "gcp-cloudsql-cmek-agent",
    cloud: "gcp",
    description:
      "A CMEK Cloud SQL instance needs the Cloud SQL service agent, which exists only after it is created (gcloud beta services identity create --service=sqladmin.googleapis.com), to hold the key role before the instance is created.",
    source: "https://cloud.google.com/sql/docs/postgres/configure-cmek#service-account",
    check: (json) =>
      resourcesOf(json, "google_sql_database_instance").flatMap(([name, r]) => {
        if (!r.encryption_key_name) return [`google_sql_database_instance.${name} has no customer-managed key`];
        const grant = resourcesOf(json, "google_kms_crypto_key_iam_member").find(([, g]) => /@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/.test(String(g.member)));
        if (!grant) return [`google_sql_database_instance.${name}: no key grant to the Cloud SQL agent`];
        const out: string[] = [];
        if (!deps(r).includes(`google_kms_crypto_key_iam_member.${grant[0]}`)) out.push(`google_sql_database_instance.${name} does not wait for google_kms_crypto_key_iam_member.${grant[0]}`);
        if (!deps(grant[1]).some((d) => d.startsWith("google_project_service_identity.") && d.endsWith("_sqladmin"))) {
          out.push(`google_kms_crypto_key_iam_member.${grant[0]} grants the Cloud SQL agent before google_project_service_identity creates it`);
        }
        return out;
      }),
  },
  {
    id: "gcp-cloud-run-secret-access-before-revision",
    cloud: "gcp",
    description:
      "A Cloud Run revision that reads a Secret Manager secret fails to deploy unless its service account already has secretmanager.secretAccessor on the secret: the service waits for that grant.",
    source: "https://cloud.google.com/run/docs/configuring/services/secrets#access-secret",
    check: (json) => {
      const grants = resourcesOf(json, "google_secret_manager_secret_iam_member").filter(([, g]) => g.role === "roles/secretmanager.secretAccessor");
      return resourcesOf(json, "google_cloud_run_v2_service").flatMap(([name, s]) => {
        const refs = (s.template?.containers ?? []).flatMap((c: any) => (c.env ?? []).map((e: any) => e.value_source?.secret_key_ref?.secret).filter(Boolean)) as string[];
        return refs.flatMap((ref) => {
          const secret = /google_secret_manager_secret\.([A-Za-z0-9_-]+)\./.exec(ref)?.[1];
          const grant = grants.find(([, g]) => String(g.secret_id).includes(`google_secret_manager_secret.${secret}.`) && g.member === `\${google_service_account.${/google_service_account\.([A-Za-z0-9_-]+)\./.exec(s.template.service_account)?.[1]}.member}`);
          if (!grant) return [`google_cloud_run_v2_service.${name}: its service account has no secretAccessor on google_secret_manager_secret.${secret}`];
          return deps(s).includes(`google_secret_manager_secret_iam_member.${grant[0]}`) ? [] : [`google_cloud_run_v2_service.${name} does not wait for google_secret_manager_secret_iam_member.${grant[0]}`];
        });
      });
    },
  },
];

export const AZURE_NOTEBOOK_RULES: readonly FirstDeployRule[] = [
  {
    id: "azure-compute-instance-managed-network",
    cloud: "azure",
    description:
      "In a workspace with a managed virtual network, compute resources can only be created inside the managed network: a compute instance with a subnet of another virtual network is refused.",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations",
    check: (json) => {
      const managed = new Set(
        resourcesOf(json, "azurerm_machine_learning_workspace")
          .filter(([, w]) => w.managed_network?.isolation_mode && w.managed_network.isolation_mode !== "Disabled")
          .map(([name]) => `\${azurerm_machine_learning_workspace.${name}.id}`),
      );
      return resourcesOf(json, "azurerm_machine_learning_compute_instance").flatMap(([name, c]) =>
        managed.has(c.machine_learning_workspace_id) && c.subnet_resource_id ? [`azurerm_machine_learning_compute_instance.${name} sets a subnet in a managed-network workspace`] : [],
      );
    },
  },
  {
    id: "azure-compute-instance-storage-outbound",
    cloud: "azure",
    description:
      "With outbound traffic limited to approved destinations, a compute instance reaches a storage account with public access off only through a private-endpoint outbound rule, approved when the workspace identity holds the Azure AI Enterprise Network Connection Approver role: the instances wait for the rule, the rule for the role.",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#private-endpoint-outbound-rules",
    check: (json) => {
      const rules = resourcesOf(json, "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint");
      const out: string[] = [];
      for (const [name, rule] of rules) {
        const approver = resourcesOf(json, "azurerm_role_assignment").find(
          ([, a]) => a.role_definition_name === "Azure AI Enterprise Network Connection Approver" && a.scope === rule.service_resource_id,
        );
        if (!approver) out.push(`azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint.${name}: no approver role on its target`);
        else if (!deps(rule).includes(`azurerm_role_assignment.${approver[0]}`)) out.push(`azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint.${name} does not wait for azurerm_role_assignment.${approver[0]}`);
      }
      for (const [name, c] of resourcesOf(json, "azurerm_machine_learning_compute_instance")) {
        const rule = rules.find(([, r]) => r.workspace_id === c.machine_learning_workspace_id);
        if (!rule) out.push(`azurerm_machine_learning_compute_instance.${name}: no outbound rule to the platform storage`);
        else if (!deps(c).includes(`azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint.${rule[0]}`)) out.push(`azurerm_machine_learning_compute_instance.${name} does not wait for its workspace's outbound rule`);
      }
      return out;
    },
  },
  {
    id: "azure-compute-instance-idle-shutdown-range",
    cloud: "azure",
    description: "updateIdleShutdownSetting takes an ISO 8601 duration from 15 minutes to 3 days and acts on an existing compute instance (the action refers to it).",
    source: "https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance#configure-idle-shutdown",
    check: (json) =>
      resourcesOf(json, "azapi_resource_action")
        .filter(([, a]) => a.action === "updateIdleShutdownSetting")
        .flatMap(([name, a]) => {
          const m = /^PT(\d+)M$/.exec(String(a.body?.idleTimeBeforeShutdown));
          const out: string[] = [];
          if (!m || Number(m[1]) < 15 || Number(m[1]) > 4320) out.push(`azapi_resource_action.${name}: idle time ${a.body?.idleTimeBeforeShutdown} is not PT15M..PT4320M`);
          if (!/^\$\{azurerm_machine_learning_compute_instance\.[A-Za-z0-9_-]+\.id\}$/.test(String(a.resource_id))) out.push(`azapi_resource_action.${name} does not act on a compute instance of the stack`);
          return out;
        }),
  },
];
