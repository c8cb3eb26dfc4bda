import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { resolveAzure } from "../../src/targets/azure/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";

/**
 * Upgrade tier, Azure, v0.1 → this version, same blueprint. test/azure/v01/ holds the two Azure
 * reference blueprints and their goldens exactly as v0.1 shipped them (commit 7395136). Each
 * blueprint is synthesized with today's code and compared resource by resource with what v0.1
 * wrote: every v0.1 resource must still be there under the same address, or be forgotten by a
 * `removed { destroy = false }` block; and a surviving resource may differ only in attributes
 * that azurerm updates in place (or that `ignore_changes` covers). Anything else would plan a
 * destroy or a replacement of a deployed platform.
 */
const DIR = join(import.meta.dirname, "v01");
const CASES = [
  { blueprint: "azure-platform.yaml", golden: "fraud-default.cdk.tf.json" },
  { blueprint: "azure-aks-ml.yaml", golden: "vision-default.cdk.tf.json" },
] as const;

/**
 * Attributes this version changes on purpose, per type, that azurerm 4.55 updates in place
 * (Key Vault network_acls, the storage management policy's rules, the registry's network
 * settings) or that the resource ignores (`lifecycle.ignore_changes`). Meta-arguments
 * (`depends_on`, `lifecycle`, `//`) never force a replacement and are not compared.
 */
const IN_PLACE: Readonly<Record<string, readonly string[]>> = {
  azurerm_key_vault: ["network_acls"],
  azurerm_storage_management_policy: ["rule"],
  azurerm_container_registry: ["encryption", "network_rule_set", "public_network_access_enabled", "export_policy_enabled"],
  azurerm_kubernetes_cluster: ["key_management_service"],
};

/**
 * Resources whose change is a replacement of something holding no data, listed so the test says
 * exactly which: the registry identity's grant moves to the key in the registry vault (v0.1's
 * registry could not be created against the firewalled vault, so nothing used that grant).
 */
const REPLACED_WITHOUT_DATA = new Set(["azurerm_role_assignment.registry_key-access"]);

/** v0.1 expressions and their equivalents today (same value at plan time, no diff). */
function normalize(text: string): string {
  return text
    .replace(/\$\{azurerm_key_vault_key\.kms_(\w+)-key\.resource_versionless_id\}/g, "${azurerm_key_vault.kms.id}/keys/$1")
    .replace(/\$\{azurerm_key_vault_key\.kms_(\w+)-key\.versionless_id\}/g, "${azurerm_key_vault.kms.vault_uri}keys/$1");
}

const META = new Set(["depends_on", "lifecycle", "//"]);

describe.each(CASES)("v0.1 $blueprint planned with this version", ({ blueprint, golden }) => {
  const v01 = JSON.parse(normalize(readFileSync(join(DIR, golden), "utf8")));
  const model = loadBlueprintOrThrow(join(DIR, blueprint)).model;
  const now = JSON.parse(Testing.synth(new AzurePlatformStack(Testing.app(), model.stackName, resolveAzure(model, { offline: true, localStatePath: "x" }))));
  const forgotten = new Set((now.removed ?? []).map((r: { from: string }) => r.from));

  it("keeps every v0.1 resource under its address, or forgets it without destroying it", () => {
    const gone: string[] = [];
    for (const [type, byName] of Object.entries(v01.resource as Record<string, Record<string, unknown>>)) {
      for (const name of Object.keys(byName)) {
        const address = `${type}.${name}`;
        if (!now.resource[type]?.[name] && !forgotten.has(address)) gone.push(address);
      }
    }
    expect(gone).toEqual([]);
    expect([...forgotten].sort()).toEqual(Object.keys(v01.resource.azurerm_key_vault_key).map((k) => `azurerm_key_vault_key.${k}`).sort());
  });

  it("changes surviving resources only in attributes updated in place or ignored", () => {
    const changed: string[] = [];
    for (const [type, byName] of Object.entries(v01.resource as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [name, before] of Object.entries(byName)) {
        const after = now.resource[type]?.[name];
        if (!after || REPLACED_WITHOUT_DATA.has(`${type}.${name}`)) continue;
        for (const attr of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (META.has(attr) || IN_PLACE[type]?.includes(attr)) continue;
          if (JSON.stringify(before[attr]) !== JSON.stringify(after[attr])) changed.push(`${type}.${name}.${attr}`);
        }
      }
    }
    expect(changed).toEqual([]);
  });

  it("covers the attributes v0.1 platforms depend on with ignore_changes", () => {
    expect(now.resource.azurerm_container_registry.registry.lifecycle.ignore_changes).toContain("encryption");
    if (now.resource.azurerm_kubernetes_cluster) {
      expect(now.resource.azurerm_kubernetes_cluster.cluster.lifecycle.ignore_changes).toContain("key_management_service[0].key_vault_key_id");
    }
  });

  it("replaces only the registry identity's key grant, which held no data", () => {
    const before = v01.resource.azurerm_role_assignment["registry_key-access"];
    const after = now.resource.azurerm_role_assignment["registry_key-access"];
    expect(before.scope).toBe("${azurerm_key_vault.kms.id}/keys/registry");
    expect(after.scope).toBe("${azurerm_key_vault.kms_registry-vault.id}/keys/registry");
  });
});
