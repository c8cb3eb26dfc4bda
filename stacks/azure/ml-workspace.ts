import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { MachineLearningWorkspace } from "@cdktf/provider-azurerm/lib/machine-learning-workspace/index.js";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account/index.js";
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights/index.js";
import { PrivateLink } from "./private-link.js";

/**
 * `registry.models: true` on Azure: an Azure ML workspace, the cloud's model registry, with the
 * resources a workspace requires: its own Key Vault, Application Insights on the platform's Log
 * Analytics workspace, and its own storage account. It is linked to the platform's registry,
 * has a system-assigned identity, public network access off (private endpoint) and a managed
 * network that allows only approved outbound traffic.
 *
 * The workspace storage account keeps shared keys on because Azure ML's default datastores
 * authenticate with them; everything else matches the platform account (customer-managed key,
 * TLS 1.2, no public access, private endpoints) and it is protected like the platform's.
 *
 * Azure ML managed online endpoints have no azurerm resource; managed serving uses Container
 * Apps instead (`azure_limitations` output).
 *
 * Construct ids are API: `registry/models` (workspace), `registry/models/key-vault`,
 * `registry/models/storage`, `registry/models/insights`, `registry/models/endpoint`,
 * `registry/models/storage-blob-endpoint`, `registry/models/storage-file-endpoint`.
 */
export interface MlWorkspaceProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly workspaceName: string;
  readonly keyVaultName: string;
  readonly storageAccountName: string;
  readonly applicationInsightsName: string;
  readonly tenantId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly containerRegistryId: string;
  /** The platform storage key (versionless) and the identity allowed to unwrap it. */
  readonly storageKeyVersionlessId: string;
  readonly storageKeyIdentityId: string;
  /** Role assignment that lets the identity use the key: the account waits for it. */
  readonly storageKeyAccess: ITerraformDependable;
  /** Public CIDRs allowed through the workspace key vault's firewall. */
  readonly adminCidrs: readonly string[];
  readonly allowedSubnetIds: readonly string[];
  /** `prevent_destroy` on the workspace's storage account and key vault. */
  readonly protect: boolean;
  readonly endpointsSubnetId: string;
  readonly blobDnsZoneId: string;
  readonly fileDnsZoneId: string;
  readonly apiDnsZoneId: string;
  readonly notebooksDnsZoneId: string;
}

export class MlWorkspace extends Construct {
  readonly workspace: MachineLearningWorkspace;
  readonly storage: StorageAccount;
  readonly keyVault: KeyVault;

  constructor(scope: Construct, id: string, props: MlWorkspaceProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const protect = props.protect ? { preventDestroy: true } : undefined;

    this.keyVault = new KeyVault(this, "key-vault", {
      ...common,
      name: props.keyVaultName,
      tenantId: props.tenantId,
      skuName: "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        ipRules: [...props.adminCidrs],
        virtualNetworkSubnetIds: [...props.allowedSubnetIds],
      },
      lifecycle: protect,
    });

    this.storage = new StorageAccount(this, "storage", {
      ...common,
      name: props.storageAccountName,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: "GRS",
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      // Azure ML's default datastores authenticate with the account key.
      sharedAccessKeyEnabled: true,
      publicNetworkAccessEnabled: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      identity: { type: "UserAssigned", identityIds: [props.storageKeyIdentityId] },
      customerManagedKey: { keyVaultKeyId: props.storageKeyVersionlessId, userAssignedIdentityId: props.storageKeyIdentityId },
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: 14 },
        containerDeleteRetentionPolicy: { days: 14 },
      },
      dependsOn: [props.storageKeyAccess],
      lifecycle: protect,
    });

    const insights = new ApplicationInsights(this, "insights", {
      ...common,
      name: props.applicationInsightsName,
      applicationType: "other",
      workspaceId: props.logAnalyticsWorkspaceId,
      localAuthenticationDisabled: true,
    });

    this.workspace = new MachineLearningWorkspace(this, "Resource", {
      ...common,
      name: props.workspaceName,
      skuName: "Basic",
      applicationInsightsId: insights.id,
      keyVaultId: this.keyVault.id,
      storageAccountId: this.storage.id,
      containerRegistryId: props.containerRegistryId,
      identity: { type: "SystemAssigned" },
      publicNetworkAccessEnabled: false,
      managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" },
    });

    const link = (lid: string, name: string, target: string, subresource: string, zones: string[]) =>
      new PrivateLink(this, lid, {
        ...common,
        name,
        subnetId: props.endpointsSubnetId,
        targetResourceId: target,
        subresource,
        privateDnsZoneIds: zones,
      });
    link("endpoint", `${props.workspaceName}-ws`, this.workspace.id, "amlworkspace", [props.apiDnsZoneId, props.notebooksDnsZoneId]);
    link("storage-blob-endpoint", `${props.storageAccountName}-blob`, this.storage.id, "blob", [props.blobDnsZoneId]);
    link("storage-file-endpoint", `${props.storageAccountName}-file`, this.storage.id, "file", [props.fileDnsZoneId]);
  }
}
