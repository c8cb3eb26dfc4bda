import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import type { PlatformModel } from "../../src/model/platform.js";
import { platformImageEndpoints } from "../../src/registry-images/image-ref.js";
import { resolveAzure } from "../../src/targets/azure/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { AZURE_RULES } from "./azure-rules.js";
import { caseLabel, firstDeploy, referenceCases, synthCtx } from "./cases.js";
import { runRules, type SynthJson } from "./rule.js";

/**
 * First-deploy tier, Azure: every reference blueprint × environment that resolves to Azure is
 * synthesized as the first `mlplat deploy` applies it (managed endpoints on a platform image are
 * deferred by deploy's image phase until the image is pushed) and run through the rules table; then each rule is shown to fire on the layout it
 * forbids (the v0.1 layout among them), so a rule that can never fail does not pass silently.
 */
const cases = referenceCases("azure");
const label = caseLabel;

function synth(model: PlatformModel): SynthJson {
  const stack = new AzurePlatformStack(Testing.app(), model.stackName, resolveAzure(model, synthCtx));
  return JSON.parse(Testing.synth(stack));
}

describe("azure first-deploy rules table", () => {
  it("has unique ids, the azure cloud and a documentation URL for every rule", () => {
    expect(new Set(AZURE_RULES.map((r) => r.id)).size).toBe(AZURE_RULES.length);
    for (const r of AZURE_RULES) {
      expect(r.cloud).toBe("azure");
      expect(r.source).toMatch(/^https:\/\/(learn\.microsoft\.com|registry\.terraform\.io)\//);
      expect(r.description.length).toBeGreaterThan(40);
    }
  });

  it("covers the Azure reference blueprints, including environments that switch to Azure", () => {
    const names = cases.map((c) => `${c.file}:${c.env ?? "default"}`);
    expect(names).toEqual(expect.arrayContaining(["azure-platform.yaml:default", "azure-aks-ml.yaml:default"]));
    // Multi-cloud blueprints carry an azure environment (batch-training, llm-serving, …).
    expect(cases.some((c) => !c.file.startsWith("azure-"))).toBe(true);
  });

  it.each(cases.map((c) => [label(c), c] as const))("%s passes every rule on its first deploy", (_label, c) => {
    const model = firstDeploy(c.model);
    expect(runRules(AZURE_RULES, synth(model), { blueprint: c.file, env: c.env, model })).toEqual([]);
  });

  it("without deploy's image phase, exactly the managed endpoints on a platform image would fail", () => {
    const found = cases.flatMap((c) => runRules(AZURE_RULES, synth(c.model), { blueprint: c.file, env: c.env, model: c.model }).map((v) => `${label(c)} ${v.split(":")[0]}`));
    const expected = cases.flatMap((c) =>
      platformImageEndpoints(c.model.endpoints)
        // Kubernetes endpoints' images are pulled by the cluster after the apply, not by Terraform.
        .filter((e) => e.runtime === "managed")
        .map(() => `${label(c)} azure-endpoint-image-not-from-same-apply-registry`),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(found.sort()).toEqual(expected.sort());
  });
});

describe("azure first-deploy rules fire on what Azure refuses", () => {
  const vault = (acls: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => ({
    name: "kv-ok-name",
    purge_protection_enabled: true,
    network_acls: acls,
    ...extra,
  });
  const run = (json: SynthJson) => runRules(AZURE_RULES, json, { blueprint: "x.yaml", model: cases[0].model });

  it("the v0.1 layout: data-plane keys and an ACR key behind a Deny firewall with empty ip_rules", () => {
    const v01: SynthJson = {
      resource: {
        azurerm_key_vault: { kms: vault({ default_action: "Deny", bypass: "AzureServices", ip_rules: [] }) },
        azurerm_key_vault_key: { "kms_registry-key": { name: "registry", key_vault_id: "${azurerm_key_vault.kms.id}" } },
        azurerm_container_registry: {
          registry: { name: "acrname01", encryption: [{ key_vault_key_id: "${azurerm_key_vault_key.kms_registry-key.versionless_id}", identity_client_id: "x" }] },
        },
      },
    };
    const found = run(v01);
    expect(found).toContain(
      "azure-runner-reaches-vault-data-plane: azurerm_key_vault_key.kms_registry-key is written through the data plane of azurerm_key_vault.kms (firewall Deny with no public ip_rules): the first apply and every refresh get 403",
    );
    expect(found).toContain(
      "azure-acr-cmk-reachable-at-creation: azurerm_container_registry.registry encrypts with a key in azurerm_key_vault.kms, whose firewall denies by default: registry creation fails",
    );
    // A public ip_rule is a declared path for the runner; a private one is not (and is refused).
    const withPublic = structuredClone(v01);
    withPublic.resource.azurerm_key_vault.kms.network_acls.ip_rules = ["203.0.113.0/24"];
    expect(run(withPublic).filter((l) => l.startsWith("azure-runner-reaches-vault-data-plane"))).toEqual([]);
    const withPrivate = structuredClone(v01);
    withPrivate.resource.azurerm_key_vault.kms.network_acls.ip_rules = ["10.99.0.0/16"];
    const priv = run(withPrivate);
    expect(priv.some((l) => l.startsWith("azure-runner-reaches-vault-data-plane"))).toBe(true);
    expect(priv).toContain("azure-key-vault-ip-rules-public: azurerm_key_vault.kms lists private range 10.99.0.0/16 in ip_rules");
  });

  it("data-plane storage containers behind a closed account, and versions kept forever", () => {
    const found = run({
      resource: {
        azurerm_storage_account: { st: { name: "stacct01", public_network_access_enabled: false, blob_properties: { versioning_enabled: true } } },
        azurerm_storage_container: { c: { name: "data", storage_account_name: "${azurerm_storage_account.st.name}" } },
      },
    });
    expect(found).toContain("azure-runner-reaches-storage-data-plane: azurerm_storage_container.c goes through the data plane of azurerm_storage_account.st, which the runner cannot reach");
  });

  it("a versioned account whose container has no version delete rule", () => {
    const found = run({
      resource: {
        azurerm_storage_account: { st: { name: "stacct01", blob_properties: { versioning_enabled: true } } },
        azurerm_storage_container: { c: { name: "data", storage_account_id: "${azurerm_storage_account.st.id}" } },
        azurerm_storage_management_policy: {
          p: { storage_account_id: "${azurerm_storage_account.st.id}", rule: [{ filters: { prefix_match: ["data/"] }, actions: { base_blob: { delete_after_days_since_modification_greater_than: 5 } } }] },
        },
      },
    });
    expect(found).toContain("azure-versioned-storage-expires-versions: azurerm_storage_container.c in versioned azurerm_storage_account.st has no rule deleting previous versions");
  });

  it("a private AKS cluster with authorized ranges and no fallback; an endpoint outside its zone; names too long; no purge protection", () => {
    const found = run({
      resource: {
        azurerm_kubernetes_cluster: { cluster: { name: "aks", private_cluster_enabled: true, api_server_access_profile: { authorized_ip_ranges: ["203.0.113.0/24"] } } },
        azurerm_private_dns_zone: { blob: { name: "privatelink.blob.core.windows.net" } },
        azurerm_private_endpoint: {
          kv: { private_service_connection: { subresource_names: ["vault"] }, private_dns_zone_group: { private_dns_zone_ids: ["${azurerm_private_dns_zone.blob.id}"] } },
        },
        azurerm_key_vault: { long: vault(undefined, { name: "a-key-vault-name-longer-than-24", purge_protection_enabled: false }) },
        azurerm_storage_account: { st: { name: "Has-Upper", customer_managed_key: { key_vault_key_id: "${azurerm_key_vault.long.vault_uri}keys/k" } } },
        azurerm_kubernetes_cluster_node_pool: { p: { name: "gputrainpool01" } },
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        "azure-private-aks-access-path: azurerm_kubernetes_cluster.cluster is private but sets authorized_ip_ranges",
        "azure-private-aks-access-path: azurerm_kubernetes_cluster.cluster is private without private_dns_zone_id",
        "azure-private-aks-access-path: azurerm_kubernetes_cluster.cluster is private and the stack has no kubectl_command_invoke output (the no-network path)",
        "azure-private-endpoint-dns-zone: azurerm_private_endpoint.kv (vault) is not registered in privatelink.vaultcore.azure.net",
        'azure-name-limits: azurerm_key_vault.long name "a-key-vault-name-longer-than-24" breaks the rule: 3-24 alphanumerics and hyphens, starting with a letter, no \'--\'',
        'azure-name-limits: azurerm_storage_account.st name "Has-Upper" breaks the rule: 3-24 lowercase letters and digits',
        'azure-name-limits: azurerm_kubernetes_cluster_node_pool.p name "gputrainpool01" breaks the rule: 1-12 lowercase alphanumerics starting with a letter (Linux pools)',
        "azure-cmk-vault-purge-protection: azurerm_storage_account.st uses a key in azurerm_key_vault.long without purge protection",
      ]),
    );
  });
});
