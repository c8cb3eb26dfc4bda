import { Construct } from "constructs";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";

/**
 * The `kms` section on Azure: one Key Vault holding the customer-managed keys of the platform
 * (storage, registry, and the AKS KMS key for etcd secrets).
 *
 * Secure by default: RBAC authorization (no access policies), purge protection, 90-day soft
 * delete, and a firewall that denies by default and allows only the VNet subnets and
 * `network.adminCidrs` (Terraform creates keys through the vault's data plane, so the machine
 * that deploys must be inside one of them) plus trusted Azure services (AKS KMS in private mode).
 *
 * Soft delete keeps a vault's name reserved for 90 days after a destroy, and purge protection
 * forbids purging it. The names are stable hashes, so a destroy-then-deploy would collide; the
 * stack's azurerm provider sets `recover_soft_deleted_key_vaults` and `recover_soft_deleted_keys`,
 * so the next deploy recovers the vault and its keys instead (see stacks/azure/index.ts).
 *
 * Construct ids are API: `kms` (vault), `kms/<purpose>-key`, `kms/crypto-officer`.
 */
export interface PlatformKeyVaultProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly tenantId: string;
  /** Object id of the identity running Terraform: it gets Key Vault Crypto Officer to create keys. */
  readonly deployerObjectId: string;
  /** Subnets allowed through the firewall (they need the Microsoft.KeyVault service endpoint). */
  readonly allowedSubnetIds: readonly string[];
  /** Public CIDRs allowed through the firewall. */
  readonly adminCidrs: readonly string[];
  /** `prevent_destroy` on the vault and the storage key. */
  readonly protect: boolean;
  readonly storageKeyName: string;
  readonly registryKeyName: string;
  /**
   * The AKS KMS key.
   * @default - no cluster key
   */
  readonly clusterKeyName?: string;
  /** @default 90 */
  readonly softDeleteRetentionDays?: number;
}

export class PlatformKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly storageKey: KeyVaultKey;
  readonly registryKey: KeyVaultKey;
  readonly clusterKey?: KeyVaultKey;

  constructor(scope: Construct, id: string, props: PlatformKeyVaultProps) {
    super(scope, id);
    const softDeleteRetentionDays = props.softDeleteRetentionDays ?? 90;

    this.vault = new KeyVault(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays,
      publicNetworkAccessEnabled: true,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [...props.adminCidrs],
        virtualNetworkSubnetIds: [...props.allowedSubnetIds],
      },
      tags: props.tags,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });

    const officer = new RoleAssignment(this, "crypto-officer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Officer",
      principalId: props.deployerObjectId,
    });

    const key = (kid: string, name: string, protect: boolean, rotate: boolean) =>
      new KeyVaultKey(this, kid, {
        name,
        keyVaultId: this.vault.id,
        // HSM-backed keys for data at rest; the AKS KMS plugin documents plain RSA 2048 keys.
        keyType: rotate ? "RSA-HSM" : "RSA",
        keySize: rotate ? 3072 : 2048,
        keyOpts: ["decrypt", "encrypt", "unwrapKey", "wrapKey"],
        // Storage and ACR follow the versionless key id, so they pick up rotated versions on
        // their own; the AKS KMS plugin pins a version, so its key is rotated by hand.
        rotationPolicy: rotate
          ? { automatic: { timeBeforeExpiry: "P30D" }, expireAfter: "P1Y", notifyBeforeExpiry: "P29D" }
          : undefined,
        tags: props.tags,
        dependsOn: [officer],
        lifecycle: protect ? { preventDestroy: true } : undefined,
      });

    this.storageKey = key("storage-key", props.storageKeyName, props.protect, true);
    this.registryKey = key("registry-key", props.registryKeyName, false, true);
    if (props.clusterKeyName) this.clusterKey = key("cluster-key", props.clusterKeyName, false, false);
  }
}
