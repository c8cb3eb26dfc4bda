import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account/index.js";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container/index.js";
import { StorageManagementPolicy, type StorageManagementPolicyRule } from "@cdktf/provider-azurerm/lib/storage-management-policy/index.js";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { PrivateLink } from "./private-link.js";
import { assertNoReservedIds } from "./reserved-ids.js";

/**
 * The `storage` section on Azure: one storage account for the platform with one blob container
 * per bucket (Azure's equivalent of a bucket is a container; accounts are few and globally named).
 *
 * Secure by default: customer-managed key from the platform vault through a user-assigned
 * identity (also for queues and tables), infrastructure (double) encryption, TLS 1.2, HTTPS only,
 * no public blob access, no shared keys (Entra ID only), public network access off (reached
 * through a private endpoint), no cross-tenant replication, blob versioning and soft delete.
 * Containers are created through ARM (`storage_account_id`), so Terraform needs no data-plane
 * access to the account.
 *
 * Construct ids are API: `storage` (account), `storage/<bucket>` (container), `storage/identity`,
 * `storage/key-access`, `storage/lifecycle`, `storage/blob-endpoint`.
 */
export interface StorageBucketProps {
  /** Blueprint bucket name: the container's construct id. */
  readonly bucket: string;
  /** Container name. */
  readonly name: string;
  /** `prevent_destroy` on the container. */
  readonly protect: boolean;
  /** @default - no move to the cool tier */
  readonly coolAfterDays?: number;
  /** @default - no move to the archive tier */
  readonly archiveAfterDays?: number;
  /** @default - blobs never expire */
  readonly expireAfterDays?: number;
}

export interface PlatformStorageProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly accountName: string;
  readonly identityName: string;
  /** Versionless id of the encryption key (the account follows key rotation). */
  readonly keyVersionlessId: string;
  /** ARM id of the key, the scope of the identity's crypto role. */
  readonly keyResourceId: string;
  /** What creates the key: the role assignment on it waits for it. */
  readonly keyDependency: ITerraformDependable;
  readonly containers: readonly StorageBucketProps[];
  /** Blob versioning on the account. */
  readonly versioning: boolean;
  /** `prevent_destroy` on the account. */
  readonly protect: boolean;
  /** @default 14 */
  readonly softDeleteDays?: number;
  /**
   * With versioning, previous versions of a container without `expireAfterDays` are deleted this
   * many days after they were created (the only age Azure lifecycle rules offer for versions).
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /** @default "GRS" */
  readonly replication?: string;
  readonly endpointsSubnetId: string;
  readonly blobDnsZoneId: string;
}

export class PlatformStorage extends Construct {
  readonly account: StorageAccount;
  /** The identity that unwraps the storage key (reused by the ML workspace's storage account). */
  readonly identity: UserAssignedIdentity;
  readonly keyAccess: RoleAssignment;
  readonly containers: ReadonlyMap<string, StorageContainer>;

  constructor(scope: Construct, id: string, props: PlatformStorageProps) {
    super(scope, id);
    const softDeleteDays = props.softDeleteDays ?? 14;
    assertNoReservedIds("storage.buckets", props.containers.map((c) => c.bucket), ["Resource", "identity", "key-access", "lifecycle", "blob-endpoint"]);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

    this.identity = new UserAssignedIdentity(this, "identity", { ...common, name: props.identityName });
    this.keyAccess = new RoleAssignment(this, "key-access", {
      scope: props.keyResourceId,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
      dependsOn: [props.keyDependency],
    });

    this.account = new StorageAccount(this, "Resource", {
      ...common,
      name: props.accountName,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: props.replication ?? "GRS",
      accessTier: "Hot",
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      publicNetworkAccessEnabled: false,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      sftpEnabled: false,
      infrastructureEncryptionEnabled: true,
      queueEncryptionKeyType: "Account",
      tableEncryptionKeyType: "Account",
      allowedCopyScope: "AAD",
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      customerManagedKey: { keyVaultKeyId: props.keyVersionlessId, userAssignedIdentityId: this.identity.id },
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      blobProperties: {
        versioningEnabled: props.versioning,
        changeFeedEnabled: props.versioning,
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      // The key must be readable by the identity before the account is encrypted with it.
      dependsOn: [this.keyAccess],
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });

    const containers = new Map<string, StorageContainer>();
    for (const c of props.containers) {
      containers.set(
        c.bucket,
        new StorageContainer(this, c.bucket, {
          name: c.name,
          storageAccountId: this.account.id,
          containerAccessType: "private",
          lifecycle: c.protect ? { preventDestroy: true } : undefined,
        }),
      );
    }
    this.containers = containers;

    const rules = props.containers.map((c) => lifecycleRule(c, props.versioning, props.noncurrentVersionDays ?? 90)).filter((r): r is StorageManagementPolicyRule => !!r);
    if (rules.length > 0) {
      new StorageManagementPolicy(this, "lifecycle", { storageAccountId: this.account.id, rule: rules });
    }

    new PrivateLink(this, "blob-endpoint", {
      ...common,
      name: `${props.accountName}-blob`,
      subnetId: props.endpointsSubnetId,
      targetResourceId: this.account.id,
      subresource: "blob",
      privateDnsZoneIds: [props.blobDnsZoneId],
    });
  }
}

/**
 * One management-policy rule per bucket with tiering or expiry, and with versioning one per
 * bucket, scoped to its container. Previous versions follow the bucket's schedule; without
 * `expireAfterDays` they are deleted `noncurrentDays` after creation, so a versioned account does
 * not keep every overwritten blob forever
 * (https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview#rule-actions).
 */
function lifecycleRule(c: StorageBucketProps, versioning: boolean, noncurrentDays: number): StorageManagementPolicyRule | undefined {
  const tiered = c.coolAfterDays !== undefined || c.archiveAfterDays !== undefined || c.expireAfterDays !== undefined;
  if (!tiered && !versioning) return undefined;
  return {
    // Rule names are alphanumeric.
    name: c.bucket.replace(/[^A-Za-z0-9]/g, ""),
    enabled: true,
    filters: { blobTypes: ["blockBlob"], prefixMatch: [`${c.name}/`] },
    actions: {
      baseBlob: tiered
        ? {
            tierToCoolAfterDaysSinceModificationGreaterThan: c.coolAfterDays,
            tierToArchiveAfterDaysSinceModificationGreaterThan: c.archiveAfterDays,
            deleteAfterDaysSinceModificationGreaterThan: c.expireAfterDays,
          }
        : undefined,
      version: versioning
        ? {
            changeTierToCoolAfterDaysSinceCreation: c.coolAfterDays,
            changeTierToArchiveAfterDaysSinceCreation: c.archiveAfterDays,
            deleteAfterDaysSinceCreation: c.expireAfterDays ?? noncurrentDays,
          }
        : undefined,
    },
  };
}
