import { Construct } from "constructs";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { VaultKey } from "./vault-key.js";

/**
 * The vault that holds the registry's customer-managed key, apart from the platform vault.
 *
 * Why a second vault: ACR takes a customer-managed key only when the registry is created, and at
 * creation it reaches the key with a *user-assigned* identity (its system identity does not exist
 * yet). The Key Vault firewall lets trusted Azure services through only with their
 * system-assigned identity, so a registry created against a firewalled vault fails; Microsoft's
 * documented path for a firewalled vault is to switch the registry to its system identity with
 * the trusted-services bypass and rotate the key *after* creation, which one Terraform apply
 * cannot do
 * (https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys,
 * https://learn.microsoft.com/azure/container-registry/tutorial-troubleshoot-customer-managed-keys,
 * https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints#trusted-services).
 *
 * So this vault has no IP firewall (default action Allow): it holds only the registry key, uses
 * RBAC only (the registry identity gets "Key Vault Crypto Service Encryption User" on that one
 * key; nobody has data-plane roles on the vault), purge protection and 90-day soft delete, and
 * the key is created through the management plane like the others. Every request still needs an
 * Entra token with a role on the key; what is given up is the network filter on this one key.
 *
 * Construct ids are API: `kms/registry-vault` (vault), `kms/registry-vault/key`.
 */
export interface RegistryKeyVaultProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly tenantId: string;
  readonly keyName: string;
  /** `prevent_destroy` on the vault. */
  readonly protect: boolean;
}

export class RegistryKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly key: VaultKey;

  constructor(scope: Construct, id: string, props: RegistryKeyVaultProps) {
    super(scope, id);
    this.vault = new KeyVault(this, "Resource", {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      name: props.name,
      tenantId: props.tenantId,
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: true,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: { defaultAction: "Allow", bypass: "AzureServices" },
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
    this.key = new VaultKey(this, "key", {
      vault: this.vault,
      name: props.keyName,
      keyType: "RSA-HSM",
      keySize: 3072,
      rotate: true,
      tags: props.tags,
      // v0.1 kept this key in the platform vault; forget it there (no v0.1 registry could be
      // created with it, see above), it stays unused in that vault.
      legacyAddress: "azurerm_key_vault_key.kms_registry-key",
    });
  }
}
