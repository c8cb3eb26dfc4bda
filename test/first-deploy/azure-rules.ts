import { isPrivateCidr, parseCidr } from "../../src/model/cidr.js";
import { AZURE_PIPELINE_RULES } from "./pipeline-rules.js";
import { AZURE_NOTEBOOK_RULES } from "./notebook-rules.js";
import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";
import { AZURE_TRAFFIC_RULES } from "./traffic-rollout-rules.js";

/**
 * Azure's first-deploy rules: what ARM and the services enforce when resources are created on a
 * fresh subscription, checked on the synthesized JSON. Each rule cites the page that states it.
 */

/** `${azurerm_key_vault.kms.vault_uri}keys/x` → `kms` for type `azurerm_key_vault`. */
function refName(value: unknown, type: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.`).exec(value);
  return m?.[1];
}

const one = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);

/** Whether a vault's firewall lets a machine outside Azure reach its data plane. */
function vaultOpen(vault: Record<string, any>): { open: boolean; why: string } {
  const acls = one(vault.network_acls);
  if (vault.public_network_access_enabled === false) return { open: false, why: "public network access off" };
  if (!acls || acls.default_action === "Allow") return { open: true, why: "no IP firewall" };
  const publicRules = ((acls.ip_rules ?? []) as string[]).filter((c) => {
    const p = parseCidr(c.includes("/") ? c : `${c}/32`);
    return p !== undefined && !isPrivateCidr(p);
  });
  return publicRules.length > 0 ? { open: true, why: `ip_rules ${publicRules.join(", ")}` } : { open: false, why: "firewall Deny with no public ip_rules" };
}

/** The vault behind a `key_vault_key_id`-like value, through a key resource or a vault URI. */
function vaultOfKeyRef(json: SynthJson, value: unknown): string | undefined {
  const direct = refName(value, "azurerm_key_vault");
  if (direct) return direct;
  const key = refName(value, "azurerm_key_vault_key");
  if (key) return refName(json.resource?.azurerm_key_vault_key?.[key]?.key_vault_id, "azurerm_key_vault");
  return undefined;
}

/** Resource types whose create/read go through a Key Vault's data plane, keyed to the vault. */
const VAULT_DATA_PLANE = ["azurerm_key_vault_key", "azurerm_key_vault_secret", "azurerm_key_vault_certificate"];
/** Storage resources that go through the account's data plane when named by account name. */
const STORAGE_DATA_PLANE = ["azurerm_storage_container", "azurerm_storage_queue", "azurerm_storage_table", "azurerm_storage_share", "azurerm_storage_blob"];

/** Azure name rules (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). */
const NAME_RULES: ReadonlyArray<{ type: string; re: RegExp; rule: string }> = [
  { type: "azurerm_key_vault", re: /^(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, rule: "3-24 alphanumerics and hyphens, starting with a letter, no '--'" },
  { type: "azurerm_storage_account", re: /^[a-z0-9]{3,24}$/, rule: "3-24 lowercase letters and digits" },
  { type: "azurerm_container_registry", re: /^[A-Za-z0-9]{5,50}$/, rule: "5-50 alphanumerics" },
  { type: "azurerm_kubernetes_cluster_node_pool", re: /^[a-z][a-z0-9]{0,11}$/, rule: "1-12 lowercase alphanumerics starting with a letter (Linux pools)" },
  { type: "azurerm_kubernetes_cluster", re: /^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]$/, rule: "1-63 alphanumerics, underscores and hyphens" },
  { type: "azurerm_container_app", re: /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, rule: "2-32 lowercase alphanumerics and hyphens" },
  { type: "azurerm_resource_group", re: /^[-\w.()]{1,89}[-\w()]$/, rule: "1-90 characters, not ending in '.'" },
  { type: "azurerm_machine_learning_workspace", re: /^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/, rule: "3-33 alphanumerics, underscores and hyphens" },
];

/** Private endpoint sub-resource → the privatelink zone(s) its DNS must use. */
const ENDPOINT_ZONES: Readonly<Record<string, readonly string[]>> = {
  vault: ["privatelink.vaultcore.azure.net"],
  blob: ["privatelink.blob.core.windows.net"],
  file: ["privatelink.file.core.windows.net"],
  registry: ["privatelink.azurecr.io"],
  amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
};

export const AZURE_RULES: readonly FirstDeployRule[] = [
  // spec.pipelines (issue 17)
  ...AZURE_PIPELINE_RULES,
  {
    id: "azure-runner-reaches-vault-data-plane",
    cloud: "azure",
    description:
      "Key Vault firewall rules filter the data plane only: a key, secret or certificate that Terraform creates and refreshes through the data plane needs a vault the deploying machine can reach (no Deny without a public ip_rule); management-plane creation is not filtered.",
    source: "https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints",
    check(json) {
      const out: string[] = [];
      for (const type of VAULT_DATA_PLANE) {
        for (const [name, body] of resourcesOf(json, type)) {
          const vault = refName(body.key_vault_id, "azurerm_key_vault");
          const v = vault ? json.resource?.azurerm_key_vault?.[vault] : undefined;
          if (!v) continue;
          const { open, why } = vaultOpen(v);
          if (!open) out.push(`${type}.${name} is written through the data plane of azurerm_key_vault.${vault} (${why}): the first apply and every refresh get 403`);
        }
      }
      return out;
    },
  },
  {
    id: "azure-runner-reaches-storage-data-plane",
    cloud: "azure",
    description:
      "Storage containers, queues, tables, shares and blobs named by account name are managed through the account's data plane; with public network access off the runner cannot reach it, so they must be created through ARM (storage_account_id).",
    source: "https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/storage_container",
    check(json) {
      const out: string[] = [];
      for (const type of STORAGE_DATA_PLANE) {
        for (const [name, body] of resourcesOf(json, type)) {
          if (body.storage_account_id !== undefined && type !== "azurerm_storage_blob") continue;
          const account = refName(body.storage_account_name, "azurerm_storage_account") ?? refName(body.storage_account_id, "azurerm_storage_account");
          const a = account ? json.resource?.azurerm_storage_account?.[account] : undefined;
          const closed = a && (a.public_network_access_enabled === false || (one(a.network_rules)?.default_action === "Deny" && !(one(a.network_rules)?.ip_rules ?? []).length));
          if (closed) out.push(`${type}.${name} goes through the data plane of azurerm_storage_account.${account}, which the runner cannot reach`);
        }
      }
      return out;
    },
  },
  {
    id: "azure-key-vault-ip-rules-public",
    cloud: "azure",
    description: "Key Vault IP network rules accept public addresses only; RFC 1918 ranges are rejected (they reach the vault through a private endpoint instead).",
    source: "https://learn.microsoft.com/azure/key-vault/general/network-security",
    check(json) {
      return resourcesOf(json, "azurerm_key_vault").flatMap(([name, v]) =>
        ((one(v.network_acls)?.ip_rules ?? []) as string[])
          .filter((c) => {
            const p = parseCidr(c.includes("/") ? c : `${c}/32`);
            return p !== undefined && isPrivateCidr(p);
          })
          .map((c) => `azurerm_key_vault.${name} lists private range ${c} in ip_rules`),
      );
    },
  },
  {
    id: "azure-acr-cmk-reachable-at-creation",
    cloud: "azure",
    description:
      "ACR takes a customer-managed key only at creation, through a user-assigned identity; that identity cannot pass a Key Vault firewall (only trusted services' system identities bypass it), so the key's vault must not deny by default.",
    source: "https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys",
    check(json) {
      const out: string[] = [];
      for (const [name, acr] of resourcesOf(json, "azurerm_container_registry")) {
        const enc = one(acr.encryption);
        if (!enc?.key_vault_key_id) continue;
        const vault = vaultOfKeyRef(json, enc.key_vault_key_id);
        const v = vault ? json.resource?.azurerm_key_vault?.[vault] : undefined;
        if (!v) {
          out.push(`azurerm_container_registry.${name}: cannot tell which vault holds its key (${enc.key_vault_key_id})`);
          continue;
        }
        const acls = one(v.network_acls);
        if (acls && acls.default_action !== "Allow") {
          out.push(`azurerm_container_registry.${name} encrypts with a key in azurerm_key_vault.${vault}, whose firewall denies by default: registry creation fails`);
        }
      }
      return out;
    },
  },
  {
    id: "azure-cmk-vault-purge-protection",
    cloud: "azure",
    description: "A vault holding a customer-managed key for Storage, ACR or AKS KMS must have soft delete and purge protection enabled.",
    source: "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview#key-vault-requirements",
    check(json) {
      const uses: Array<[string, unknown]> = [
        ...resourcesOf(json, "azurerm_storage_account").map(([n, a]): [string, unknown] => [`azurerm_storage_account.${n}`, one(a.customer_managed_key)?.key_vault_key_id]),
        ...resourcesOf(json, "azurerm_container_registry").map(([n, a]): [string, unknown] => [`azurerm_container_registry.${n}`, one(a.encryption)?.key_vault_key_id]),
      ];
      return uses.flatMap(([addr, keyRef]) => {
        if (keyRef === undefined) return [];
        const vault = vaultOfKeyRef(json, keyRef);
        const v = vault ? json.resource?.azurerm_key_vault?.[vault] : undefined;
        return v && v.purge_protection_enabled !== true ? [`${addr} uses a key in azurerm_key_vault.${vault} without purge protection`] : [];
      });
    },
  },
  {
    id: "azure-private-aks-access-path",
    cloud: "azure",
    description:
      "AKS does not allow authorized IP ranges on a private cluster; its API is reached over the cluster's private DNS zone (private_dns_zone_id System) from the VNet or a peered/VPN network, or with `az aks command invoke` without any network path.",
    source: "https://learn.microsoft.com/azure/aks/private-clusters",
    check(json) {
      const out: string[] = [];
      for (const [name, aks] of resourcesOf(json, "azurerm_kubernetes_cluster")) {
        if (aks.private_cluster_enabled !== true) continue;
        if ((one(aks.api_server_access_profile)?.authorized_ip_ranges ?? []).length > 0) out.push(`azurerm_kubernetes_cluster.${name} is private but sets authorized_ip_ranges`);
        if (!aks.private_dns_zone_id) out.push(`azurerm_kubernetes_cluster.${name} is private without private_dns_zone_id`);
        if (!json.output?.kubectl_command_invoke) out.push(`azurerm_kubernetes_cluster.${name} is private and the stack has no kubectl_command_invoke output (the no-network path)`);
      }
      return out;
    },
  },
  {
    id: "azure-private-endpoint-dns-zone",
    cloud: "azure",
    description: "A private endpoint resolves only when registered in the privatelink zone of its sub-resource (vault, blob, registry, …) linked to the VNet.",
    source: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns",
    check(json) {
      const zoneNames = Object.fromEntries(resourcesOf(json, "azurerm_private_dns_zone").map(([n, z]) => [n, z.name as string]));
      const out: string[] = [];
      for (const [name, pe] of resourcesOf(json, "azurerm_private_endpoint")) {
        const sub = (one(pe.private_service_connection)?.subresource_names ?? [])[0] as string | undefined;
        const want = sub ? ENDPOINT_ZONES[sub] : undefined;
        if (!want) continue;
        const have = ((one(pe.private_dns_zone_group)?.private_dns_zone_ids ?? []) as string[]).map((id) => zoneNames[refName(id, "azurerm_private_dns_zone") ?? ""]);
        for (const z of want) if (!have.includes(z)) out.push(`azurerm_private_endpoint.${name} (${sub}) is not registered in ${z}`);
      }
      return out;
    },
  },
  {
    id: "azure-name-limits",
    cloud: "azure",
    description: "Resource names fit Azure's per-type rules (Key Vault 3-24, storage account 3-24 lowercase alphanumerics, ACR 5-50, AKS Linux pools 1-12, Container Apps 2-32, …).",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules",
    check(json) {
      return NAME_RULES.flatMap(({ type, re, rule }) =>
        resourcesOf(json, type)
          .filter(([, body]) => typeof body.name === "string" && !body.name.includes("${") && !re.test(body.name))
          .map(([name, body]) => `${type}.${name} name "${body.name}" breaks the rule: ${rule}`),
      );
    },
  },
  {
    id: "azure-endpoint-image-not-from-same-apply-registry",
    cloud: "azure",
    description:
      "A Container App revision pulls its image when it is created; an image in an ACR that the same apply creates cannot have been pushed yet, so the revision never becomes ready and the apply fails (deploy defers such endpoints until the image is pushed).",
    source: "https://learn.microsoft.com/azure/container-apps/containers",
    check(json) {
      const registries = resourcesOf(json, "azurerm_container_registry").map(([name, r]) => [name, `${String(r.name).toLowerCase()}.azurecr.io/`] as const);
      return resourcesOf(json, "azurerm_container_app").flatMap(([name, app]) =>
        [one(app.template)?.container ?? []].flat().flatMap((c: { image?: string }) => {
          const image = String(c.image ?? "");
          const hit = registries.find(([, prefix]) => image.toLowerCase().startsWith(prefix));
          return hit ? [`azurerm_container_app.${name} runs ${image} from azurerm_container_registry.${hit[0]}, which this apply creates: the image cannot have been pushed yet`] : [];
        }),
      );
    },
  },
  {
    id: "azure-versioned-storage-expires-versions",
    cloud: "azure",
    description: "With blob versioning on, every overwrite keeps a previous version until a lifecycle rule deletes it: each container needs a version delete action.",
    source: "https://learn.microsoft.com/azure/storage/blobs/versioning-overview#pricing-and-billing",
    check(json) {
      const out: string[] = [];
      const policies = resourcesOf(json, "azurerm_storage_management_policy");
      for (const [account, a] of resourcesOf(json, "azurerm_storage_account")) {
        if (one(a.blob_properties)?.versioning_enabled !== true) continue;
        const rules = policies.filter(([, p]) => refName(p.storage_account_id, "azurerm_storage_account") === account).flatMap(([, p]) => p.rule ?? []);
        const covered = new Set(
          rules.filter((r: any) => one(one(r.actions)?.version)?.delete_after_days_since_creation !== undefined).flatMap((r: any) => one(r.filters)?.prefix_match ?? []),
        );
        for (const [cname, c] of resourcesOf(json, "azurerm_storage_container")) {
          if (refName(c.storage_account_id, "azurerm_storage_account") !== account) continue;
          if (!covered.has(`${c.name}/`)) out.push(`azurerm_storage_container.${cname} in versioned azurerm_storage_account.${account} has no rule deleting previous versions`);
        }
      }
      return out;
    },
  },
  ...AZURE_TRAFFIC_RULES,
  ...AZURE_NOTEBOOK_RULES,
];
