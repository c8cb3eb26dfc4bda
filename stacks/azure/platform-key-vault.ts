import { Construct } from "constructs";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { PrivateLink } from "./private-link.js";
import { VaultKey } from "./vault-key.js";

/**
 * The `kms` section on Azure: one Key Vault holding the customer-managed keys of the platform
 * (storage and the AKS KMS key for etcd secrets), plus a second vault for the registry's key
 * (`RegistryKeyVault`, see its file for why).
 *
 * Secure by default: RBAC authorization (no access policies), purge protection, 90-day soft
 * delete, and a firewall that denies by default. Through it come: the VNet's `nodes`/`apps`
 * subnets (service endpoints), the public ranges of `network.adminCidrs` (`ip_rules` take public
 * addresses only), trusted Azure services (AKS KMS in private mode), and a private endpoint in
 * the `endpoints` subnet with the `privatelink.vaultcore.azure.net` zone, which RFC 1918
 * `adminCidrs` reach over peering or VPN.
 *
 * Keys are created through the management plane (`VaultKey`), which the firewall does not
 * filter: the machine that deploys needs no path to the vault's data plane, on the first deploy
 * or on any later plan.
 *
 * Soft delete keeps a vault's name reserved for 90 days after a destroy, and purge protection
 * forbids purging it. The names are stable hashes, so a destroy-then-deploy would collide; the
 * stack's azurerm provider sets `recover_soft_deleted_key_vaults`, so the next deploy recovers the
 * vault (and its keys) instead (see stacks/azure/index.ts).
 *
 * Construct ids are API: `kms` (vault), `kms/<purpose>-key`, `kms/crypto-officer`, `kms/endpoint`.
 */
export interface PlatformKeyVaultProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly tenantId: string;
  /**
   * Object id of the identity running Terraform: Key Vault Crypto Officer, so the team can rotate
   * the AKS KMS key by hand (Terraform itself no longer needs data-plane access).
   */
  readonly deployerObjectId: string;
  /** Subnets allowed through the firewall (they need the Microsoft.KeyVault service endpoint). */
  readonly allowedSubnetIds: readonly string[];
  /** Public CIDRs allowed through the firewall (never RFC 1918: Key Vault rejects them). */
  readonly ipRules: readonly string[];
  /** `prevent_destroy` on the vault. */
  readonly protect: boolean;
  readonly storageKeyName: string;
  /**
   * The AKS KMS key.
   * @default - no cluster key
   */
  readonly clusterKeyName?: string;
  readonly endpointsSubnetId: string;
  /** The `privatelink.vaultcore.azure.net` zone. */
  readonly dnsZoneId: string;
  /** @default 90 */
  readonly softDeleteRetentionDays?: number;
}

export class PlatformKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly storageKey: VaultKey;
  readonly clusterKey?: VaultKey;

  constructor(scope: Construct, id: string, props: PlatformKeyVaultProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.vault = new KeyVault(this, "Resource", {
      ...common,
      name: props.name,
      tenantId: props.tenantId,
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays ?? 90,
      // Public network access stays on so `ip_rules` and the trusted-services bypass apply; the
      // default action is Deny.
      publicNetworkAccessEnabled: true,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [...props.ipRules],
        virtualNetworkSubnetIds: [...props.allowedSubnetIds],
      },
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });

    new RoleAssignment(this, "crypto-officer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Officer",
      principalId: props.deployerObjectId,
    });

    new PrivateLink(this, "endpoint", {
      ...common,
      name: `${props.name}-vault`,
      subnetId: props.endpointsSubnetId,
      targetResourceId: this.vault.id,
      subresource: "vault",
      privateDnsZoneIds: [props.dnsZoneId],
    });

    // HSM-backed, yearly-rotated key for data at rest (storage follows the versionless URI).
    this.storageKey = new VaultKey(this, "storage-key", {
      vault: this.vault,
      name: props.storageKeyName,
      keyType: "RSA-HSM",
      keySize: 3072,
      rotate: true,
      tags: props.tags,
      legacyAddress: "azurerm_key_vault_key.kms_storage-key",
    });
    if (props.clusterKeyName) {
      // The AKS KMS plugin documents plain RSA 2048 keys and pins a version: rotated by hand.
      this.clusterKey = new VaultKey(this, "cluster-key", {
        vault: this.vault,
        name: props.clusterKeyName,
        keyType: "RSA",
        keySize: 2048,
        rotate: false,
        tags: props.tags,
        legacyAddress: "azurerm_key_vault_key.kms_cluster-key",
      });
    }
  }
}
