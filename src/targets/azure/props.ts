/**
 * The props the Azure resolver hands to `stacks/azure/`: flat, already resolved, one interface per
 * construct. Pure types (no cdktf import).
 */
import type { HcpBackendProps } from "../../../stacks/common/hcp-backend.js";
import type { AzureWorkspacesProps } from "../../../stacks/azure/workspaces.js";
import type { AzurePipelinesProps } from "../../../stacks/azure/pipelines.js";
import type { AzureTrackingProps } from "./workspaces.js";
import type { ContainerAppRolloutProps } from "../../../stacks/azure/container-app-endpoint.js";
export interface AzureSubnet {
  /** Subnet name inside the VNet. */
  readonly name: string;
  readonly cidr: string;
}

export interface AzureNetworkProps {
  readonly vnetName: string;
  readonly addressSpace: string;
  /** AKS nodes (Azure CNI overlay: pods take addresses from `podCidr`, not from here). */
  readonly nodes: AzureSubnet;
  /** Private endpoints of the storage accounts, registry and ML workspace. */
  readonly endpoints: AzureSubnet;
  /** Container Apps environment infrastructure, delegated to Microsoft.App/environments. */
  readonly apps: AzureSubnet;
  /** AKS API server VNet integration, delegated to Microsoft.ContainerService/managedClusters. */
  readonly apiServer: AzureSubnet;
  readonly natGatewayName: string;
  readonly publicIpName: string;
  /** Private DNS zones for the private endpoints this platform creates. */
  readonly privateDnsZones: readonly string[];
}

export interface AzureKeyVaultProps {
  readonly name: string;
  /**
   * The public ranges of `network.adminCidrs`: the vault firewall's `ip_rules` (Key Vault IP rules
   * take public addresses only). Private ranges reach the vault through its private endpoint.
   */
  readonly ipRules: readonly string[];
  /** `prevent_destroy` on the vault and the storage key (any bucket protected). */
  readonly protect: boolean;
  readonly storageKeyName: string;
  readonly registryKeyName: string;
  /** Present when the blueprint has a cluster. */
  readonly clusterKeyName?: string;
  /**
   * The vault that holds the registry's key: ACR can only be created with a customer-managed key
   * through a user-assigned identity, and that identity cannot pass a vault firewall (see
   * stacks/azure/README.md "Registry key").
   */
  readonly registryVaultName: string;
}

export interface AzureContainerProps {
  /** Blueprint bucket name: the construct id. */
  readonly bucket: string;
  /** Blob container name (3-63 lowercase alphanumerics and hyphens). */
  readonly name: string;
  readonly protect: boolean;
  readonly coolAfterDays?: number;
  readonly archiveAfterDays?: number;
  readonly expireAfterDays?: number;
}

export interface AzureStorageProps {
  readonly accountName: string;
  readonly identityName: string;
  /** Blob versioning on the account (Azure versions per account, not per container). */
  readonly versioning: boolean;
  /** Any bucket protected: `prevent_destroy` on the account. */
  readonly protect: boolean;
  readonly containers: readonly AzureContainerProps[];
  /** Blob and container soft-delete retention. @default 14 */
  readonly softDeleteDays: number;
  /**
   * With versioning: previous versions are deleted this many days after they were created, for
   * containers without `expireAfterDays` (which their versions follow instead). @default 90
   */
  readonly noncurrentVersionDays: number;
}

export interface AzureModelsProps {
  readonly workspaceName: string;
  readonly keyVaultName: string;
  readonly storageAccountName: string;
  readonly applicationInsightsName: string;
  readonly protect: boolean;
}

export interface AzureRegistryProps {
  readonly name: string;
  readonly loginServer: string;
  readonly identityName: string;
  /**
   * Public `adminCidrs`: the registry firewall's IP rules (push and the image check from outside
   * Azure). Empty = public network access off, reached through the private endpoint only.
   */
  readonly ipRules: readonly string[];
  /** Days untagged manifests are kept. */
  readonly untaggedRetentionDays: number;
  /** Repository names (ACR creates repositories on push; listed for outputs and docs). */
  readonly repositories: readonly string[];
  readonly models?: AzureModelsProps;
}

export interface AzureNodePoolProps {
  /** Blueprint pool name: the construct id. */
  readonly pool: string;
  /** AKS pool name: 1-12 lowercase alphanumerics, unique within the cluster. */
  readonly name: string;
  readonly vmSize: string;
  readonly gpu: boolean;
  readonly spot: boolean;
  readonly min: number;
  readonly max: number;
  readonly osDiskSizeGiB: number;
  /** Kubernetes labels including the AKS spot label for spot pools. */
  readonly labels: Readonly<Record<string, string>>;
  /** `key=value:Effect`, including the AKS spot taint for spot pools. */
  readonly taints: readonly string[];
  /**
   * Availability zones (`"1"`, `"2"`, `"3"`) from the blueprint's `nodePools[].zones`; undefined =
   * AKS's default placement. The catalog has no Azure zone data (zone support of a VM size is
   * per subscription), so there is no default.
   */
  readonly zones?: readonly string[];
}

export interface AzureClusterProps {
  readonly name: string;
  readonly dnsPrefix: string;
  readonly nodeResourceGroup: string;
  readonly identityName: string;
  readonly kubernetesVersion: string;
  readonly privateCluster: boolean;
  readonly adminCidrs: readonly string[];
  /** `az aks command invoke` prefix: the no-network way to run kubectl against a private cluster. */
  readonly commandInvoke: string;
  /** Entra group object ids given cluster-admin; empty = the deploying identity. */
  readonly adminGroupObjectIds: readonly string[];
  readonly systemPool: { readonly name: string; readonly vmSize: string; readonly min: number; readonly max: number };
  readonly nodePools: readonly AzureNodePoolProps[];
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
}

export interface AzureWorkloadProfile {
  readonly name: string;
  readonly type: string;
}

export interface AzureEndpointProps {
  /** Blueprint endpoint name: the construct id. */
  readonly endpoint: string;
  readonly name: string;
  /** v1.1 stepped rollout: Multiple revision mode, pinned suffix, traffic variable (src/targets/azure/rollout.ts); absent = single revision mode. */
  readonly rollout?: ContainerAppRolloutProps;
  readonly image: string;
  /** Whether the image lives in the platform's ACR (pulled with the serving identity). */
  readonly fromRegistry: boolean;
  readonly workloadProfileName: string;
  readonly gpu: boolean;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetConcurrency?: number;
  /** The model artifact's container and path, read with the serving identity. */
  readonly model?: { readonly container: string; readonly path: string };
  readonly latencyP99Ms?: number;
  readonly errorRatePercent?: number;
}

export interface AzureServingProps {
  readonly environmentName: string;
  readonly identityName: string;
  readonly workloadProfiles: readonly AzureWorkloadProfile[];
  readonly endpoints: readonly AzureEndpointProps[];
}

export interface AzureObservabilityProps {
  readonly workspaceName: string;
  readonly retentionDays: number;
  readonly actionGroupName: string;
  readonly actionGroupShortName: string;
  readonly emails: readonly string[];
}

export interface AzureBudgetProps {
  readonly name: string;
  readonly monthlyUsd: number;
  readonly alertAtPercent: readonly number[];
  readonly emails: readonly string[];
}

export type AzureBackendProps =
  | { readonly kind: "local"; readonly path: string }
  | HcpBackendProps
  | {
      readonly kind: "azurerm";
      readonly resourceGroupName: string;
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly key: string;
      readonly subscriptionId: string;
    };

export interface AzurePlatformProps {
  readonly stackName: string;
  readonly subscriptionId: string;
  readonly tenantId?: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: AzureBackendProps;
  readonly network: AzureNetworkProps;
  readonly keyVault: AzureKeyVaultProps;
  readonly storage: AzureStorageProps;
  readonly registry: AzureRegistryProps;
  readonly cluster?: AzureClusterProps;
  readonly serving?: AzureServingProps;
  readonly observability: AzureObservabilityProps;
  readonly budget?: AzureBudgetProps;
  /** v1.1 `spec.pipelines`: Azure ML schedules and launcher Logic Apps (src/targets/azure/pipelines.ts). */
  readonly pipelines?: AzurePipelinesProps;
  /** v1.1 `spec.workspaces`: a compute instance per user in the ML workspace (src/targets/azure/workspaces.ts). */
  readonly workspaces?: AzureWorkspacesProps;
  /** v1.1 `spec.tracking`: the ML workspace's MLflow endpoint. */
  readonly tracking?: AzureTrackingProps;
  /**
   * What the blueprint asks that azurerm cannot enforce, one sentence each; rendered as the
   * `azure_limitations` output so `mlplat output` shows them next to the resources.
   */
  readonly limitations: readonly string[];
}
