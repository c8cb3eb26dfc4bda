import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster/index.js";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { AksNodePool, type AksNodePoolProps } from "./aks-node-pool.js";
import { assertNoReservedIds } from "./reserved-ids.js";

/**
 * The `cluster` section on Azure: an AKS cluster, private by default, with:
 *  - local accounts off and Entra ID with Azure RBAC: `admins` (Entra group object ids) become
 *    cluster admins; without them the identity that deploys gets "Azure Kubernetes Service RBAC
 *    Cluster Admin" on the cluster;
 *  - KMS etcd encryption with the platform's key in private mode (AKS reaches the vault over its
 *    own private endpoint), which needs API server VNet integration, hence the delegated subnet;
 *  - OIDC issuer and workload identity; Azure CNI overlay with Cilium network policy; egress
 *    through the platform NAT gateway; Container Insights into the platform's Log Analytics;
 *  - a system pool restricted to critical add-ons (`only_critical_addons_enabled`), and one
 *    `AksNodePool` per blueprint pool.
 *
 * The control plane uses a user-assigned identity (KMS does not work with a system-assigned one)
 * granted the key, the vault (private KMS creates a private endpoint) and the VNet. The kubelet
 * identity AKS creates gets AcrPull on the platform registry.
 *
 * Construct ids are API: `cluster` (cluster), `cluster/<pool>`, `cluster/identity`,
 * `cluster/<role>-access`, `cluster/admin`.
 */
export interface AksClusterProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly dnsPrefix: string;
  readonly nodeResourceGroup: string;
  readonly identityName: string;
  readonly kubernetesVersion: string;
  readonly tenantId: string;
  /** Private API server (the default); when false the API is public, limited to `adminCidrs`. */
  readonly privateCluster: boolean;
  readonly adminCidrs: readonly string[];
  /** Entra group object ids that get cluster-admin; empty = the deploying identity. */
  readonly adminGroupObjectIds: readonly string[];
  readonly deployerObjectId: string;
  readonly systemPool: { readonly name: string; readonly vmSize: string; readonly min: number; readonly max: number };
  readonly nodePools: readonly (Omit<AksNodePoolProps, "clusterId" | "kubernetesVersion" | "subnetId" | "tags"> & { readonly pool: string })[];
  readonly vnetId: string;
  readonly nodesSubnetId: string;
  readonly apiServerSubnetId: string;
  /** Things the cluster must wait for (the NAT association of its subnet). */
  readonly networkDependencies: readonly ITerraformDependable[];
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
  /** Versioned id of the KMS key (the KMS plugin pins a version). */
  readonly kmsKeyId: string;
  readonly kmsKeyResourceId: string;
  /** What creates the KMS key: the role assignment on it waits for it. */
  readonly kmsKeyDependency: ITerraformDependable;
  readonly keyVaultId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly registryId: string;
  /** @default "Standard" (financially backed API server SLA) */
  readonly skuTier?: string;
}

export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly identity: UserAssignedIdentity;
  readonly nodePools: ReadonlyMap<string, AksNodePool>;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    assertNoReservedIds("cluster.nodePools", props.nodePools.map((p) => p.pool), ["Resource", "identity", "key-access", "vault-access", "network-access", "kubelet-acr-pull", "admin"]);
    if (!props.privateCluster && props.adminCidrs.length === 0) {
      throw new Error("cluster: a public API server needs network.adminCidrs; set adminCidrs or privateCluster: true");
    }

    this.identity = new UserAssignedIdentity(this, "identity", { ...common, name: props.identityName });
    const grant = (gid: string, scope: string, role: string, dependsOn?: ITerraformDependable[]) =>
      new RoleAssignment(this, gid, {
        scope,
        roleDefinitionName: role,
        principalId: this.identity.principalId,
        principalType: "ServicePrincipal",
        dependsOn,
      });
    const grants = [
      grant("key-access", props.kmsKeyResourceId, "Key Vault Crypto User", [props.kmsKeyDependency]),
      // Private KMS: AKS creates a private endpoint to the vault.
      grant("vault-access", props.keyVaultId, "Key Vault Contributor"),
      // Custom VNet: join the node and API server subnets, use the NAT gateway.
      grant("network-access", props.vnetId, "Network Contributor"),
    ];

    this.cluster = new KubernetesCluster(this, "Resource", {
      ...common,
      name: props.name,
      dnsPrefix: props.dnsPrefix,
      nodeResourceGroup: props.nodeResourceGroup,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? "Standard",
      automaticUpgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      privateClusterEnabled: props.privateCluster,
      privateClusterPublicFqdnEnabled: false,
      // "System": AKS creates the private DNS zone (privatelink.<region>.azmk8s.io) in the node
      // resource group and links it to the cluster's VNet; peered VNets or on-premises DNS need a
      // link or a forwarder to it (stacks/azure/README.md "First deploy").
      // https://learn.microsoft.com/azure/aks/private-clusters#configure-a-private-dns-zone
      privateDnsZoneId: props.privateCluster ? "System" : undefined,
      apiServerAccessProfile: {
        virtualNetworkIntegrationEnabled: true,
        subnetId: props.apiServerSubnetId,
        // Authorized IP ranges apply to the public API server only; AKS rejects them on private
        // clusters (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges).
        authorizedIpRanges: props.privateCluster ? undefined : [...props.adminCidrs],
      },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: props.adminGroupObjectIds.length > 0 ? [...props.adminGroupObjectIds] : undefined,
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      keyManagementService: { keyVaultKeyId: props.kmsKeyId, keyVaultNetworkAccess: "Private" },
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: "cilium",
        networkPolicy: "cilium",
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: props.dnsServiceIp,
        loadBalancerSku: "standard",
        outboundType: "userAssignedNATGateway",
      },
      defaultNodePool: {
        name: props.systemPool.name,
        vmSize: props.systemPool.vmSize,
        orchestratorVersion: props.kubernetesVersion,
        vnetSubnetId: props.nodesSubnetId,
        onlyCriticalAddonsEnabled: true,
        autoScalingEnabled: true,
        minCount: props.systemPool.min,
        maxCount: props.systemPool.max,
        nodeCount: props.systemPool.min,
        nodePublicIpEnabled: false,
        osSku: "Ubuntu",
        temporaryNameForRotation: "systemtmp",
        upgradeSettings: { maxSurge: "10%" },
        nodeLabels: { "mlplat.io/pool": "system" },
        tags: props.tags,
      },
      dependsOn: [...grants, ...props.networkDependencies],
      // The autoscaler owns the system pool's node count. The KMS key version is set at creation
      // and rotated by hand (`az aks update --azure-keyvault-kms-key-id`), so Terraform does not
      // fight a rotation, and a v0.1 cluster keeps its key while the key moves to the management
      // plane (its versioned URI is only known after that apply).
      lifecycle: { ignoreChanges: ["default_node_pool[0].node_count", "key_management_service[0].key_vault_key_id"] },
    });

    new RoleAssignment(this, "kubelet-acr-pull", {
      scope: props.registryId,
      roleDefinitionName: "AcrPull",
      principalId: this.cluster.kubeletIdentity.objectId,
      principalType: "ServicePrincipal",
    });

    if (props.adminGroupObjectIds.length === 0) {
      new RoleAssignment(this, "admin", {
        scope: this.cluster.id,
        roleDefinitionName: "Azure Kubernetes Service RBAC Cluster Admin",
        principalId: props.deployerObjectId,
      });
    }

    const pools = new Map<string, AksNodePool>();
    for (const p of props.nodePools) {
      const { pool, ...rest } = p;
      pools.set(
        pool,
        new AksNodePool(this, pool, {
          ...rest,
          clusterId: this.cluster.id,
          kubernetesVersion: props.kubernetesVersion,
          subnetId: props.nodesSubnetId,
          tags: props.tags,
        }),
      );
    }
    this.nodePools = pools;
  }
}
