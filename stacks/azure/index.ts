import { AzurermBackend, LocalBackend, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { hcpBackend } from "../common/hcp-backend.js";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider/index.js";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group/index.js";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js";
import { MlplatStack } from "../common/mlplat-stack.js";
import type { AzurePlatformProps } from "../../src/targets/azure/index.js";
import { AzapiProvider } from "./azapi-provider.js";
import { PlatformNetwork } from "./platform-network.js";
import { PlatformKeyVault } from "./platform-key-vault.js";
import { RegistryKeyVault } from "./registry-key-vault.js";
import { PlatformStorage } from "./platform-storage.js";
import { PlatformRegistry } from "./container-registry.js";
import { MlWorkspace } from "./ml-workspace.js";
import { AksCluster } from "./aks-cluster.js";
import { ContainerAppsServing } from "./container-apps-serving.js";
import { PlatformObservability } from "./platform-observability.js";
import { ResourceGroupBudget } from "./resource-group-budget.js";
import { AzureWorkspaces } from "./workspaces.js";
import { AzurePipelines } from "./pipelines.js";

/** Resource providers the platform's resources need, beyond azurerm's "core" set. */
export const RESOURCE_PROVIDERS = [
  "Microsoft.App",
  "Microsoft.AlertsManagement",
  "Microsoft.Consumption",
  "Microsoft.ContainerRegistry",
  "Microsoft.ContainerService",
  "Microsoft.Insights",
  "Microsoft.KeyVault",
  "Microsoft.MachineLearningServices",
  "Microsoft.OperationalInsights",
] as const;

/** Resource providers the launchers of `spec.pipelines` need besides RESOURCE_PROVIDERS. */
export const PIPELINE_RESOURCE_PROVIDERS = ["Microsoft.EventGrid", "Microsoft.Logic"] as const;

/**
 * The Azure platform stack: everything one blueprint asks for on Azure, in one resource group.
 *
 * Top-level construct ids are the blueprint sections (`network`, `kms`, `storage`, `registry`,
 * `cluster`, `serving`, `observability`, `budget`) plus `resource-group`; they become Terraform
 * addresses through MlplatStack and are API.
 *
 * Provider features, on purpose:
 *  - `key_vault.recover_soft_deleted_key_vaults` / `recover_soft_deleted_keys`: Key Vault names
 *    stay reserved for 90 days after a destroy (soft delete + purge protection, which also makes
 *    purging impossible), and mlplat's names are stable, so a destroy-then-deploy recovers the
 *    soft-deleted vault and its keys instead of failing on the name. `purge_soft_delete_on_destroy`
 *    and `purge_soft_deleted_keys_on_destroy` are false: a destroy never purges key material.
 *  - `resource_group.prevent_deletion_if_contains_resources`: the resource group is never
 *    deleted while it holds something Terraform does not manage (or a protected resource).
 *  - `storage.data_plane_available = false` and `storage_use_azuread`: the storage accounts have
 *    public network access and shared keys off, so the provider must manage them through ARM only.
 */
export class AzurePlatformStack extends MlplatStack {
  constructor(scope: Construct, id: string, props: AzurePlatformProps) {
    super(scope, id);

    new AzurermProvider(this, "azurerm", {
      subscriptionId: props.subscriptionId,
      tenantId: props.tenantId,
      storageUseAzuread: true,
      // "core" leaves out the services this platform uses; register exactly those.
      resourceProviderRegistrations: "core",
      // Pipelines started by events add Event Grid (storage events) and Logic Apps (their launchers).
      resourceProvidersToRegister: [...RESOURCE_PROVIDERS, ...(props.pipelines?.pipelines.some((p) => p.logicApp) ? PIPELINE_RESOURCE_PROVIDERS : [])],
      features: [
        {
          keyVault: [
            {
              recoverSoftDeletedKeyVaults: true,
              recoverSoftDeletedKeys: true,
              purgeSoftDeleteOnDestroy: false,
              purgeSoftDeletedKeysOnDestroy: false,
            },
          ],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          storage: [{ dataPlaneAvailable: false }],
        },
      ],
    });
    new AzapiProvider(this, "azapi", { subscriptionId: props.subscriptionId, tenantId: props.tenantId });

    if (props.backend.kind === "hcp") {
      hcpBackend(this, props.backend);
    } else if (props.backend.kind === "azurerm") {
      new AzurermBackend(this, {
        resourceGroupName: props.backend.resourceGroupName,
        storageAccountName: props.backend.storageAccountName,
        containerName: props.backend.containerName,
        key: props.backend.key,
        subscriptionId: props.backend.subscriptionId,
        useAzureadAuth: true,
      });
    } else {
      new LocalBackend(this, { path: props.backend.path });
    }

    // The deploying identity: tenant for the vaults and AKS, object id for the roles it needs.
    // A data source is fine on Azure: nothing is planned without credentials there.
    const deployer = new DataAzurermClientConfig(this, "deployer", {});
    const tenantId = props.tenantId ?? deployer.tenantId;
    const tags = props.tags;

    const rg = new ResourceGroup(this, "resource-group", { name: props.resourceGroupName, location: props.location, tags });
    const common = { resourceGroupName: rg.name, location: props.location, tags };

    const observability = new PlatformObservability(this, "observability", {
      ...common,
      workspaceName: props.observability.workspaceName,
      retentionDays: props.observability.retentionDays,
      actionGroupName: props.observability.actionGroupName,
      actionGroupShortName: props.observability.actionGroupShortName,
      emails: props.observability.emails,
    });

    const n = props.network;
    const network = new PlatformNetwork(this, "network", {
      ...common,
      vnetName: n.vnetName,
      addressSpace: n.addressSpace,
      nodesSubnetCidr: n.nodes.cidr,
      endpointsSubnetCidr: n.endpoints.cidr,
      appsSubnetCidr: n.apps.cidr,
      apiServerSubnetCidr: n.apiServer.cidr,
      natGatewayName: n.natGatewayName,
      publicIpName: n.publicIpName,
      privateDnsZones: n.privateDnsZones,
    });
    const allowedSubnetIds = [network.nodesSubnet.id, network.appsSubnet.id];

    const kv = props.keyVault;
    const kms = new PlatformKeyVault(this, "kms", {
      ...common,
      name: kv.name,
      tenantId,
      deployerObjectId: deployer.objectId,
      allowedSubnetIds,
      ipRules: kv.ipRules,
      protect: kv.protect,
      storageKeyName: kv.storageKeyName,
      clusterKeyName: kv.clusterKeyName,
      endpointsSubnetId: network.endpointsSubnet.id,
      dnsZoneId: network.dnsZoneId("privatelink.vaultcore.azure.net"),
    });
    const registryVault = new RegistryKeyVault(kms, "registry-vault", {
      ...common,
      name: kv.registryVaultName,
      tenantId,
      keyName: kv.registryKeyName,
      protect: kv.protect,
    });

    const s = props.storage;
    const storage = new PlatformStorage(this, "storage", {
      ...common,
      accountName: s.accountName,
      identityName: s.identityName,
      keyVersionlessId: kms.storageKey.versionlessUri,
      keyResourceId: kms.storageKey.resourceId,
      keyDependency: kms.storageKey.action,
      containers: s.containers.map((c) => ({
        bucket: c.bucket,
        name: c.name,
        protect: c.protect,
        coolAfterDays: c.coolAfterDays,
        archiveAfterDays: c.archiveAfterDays,
        expireAfterDays: c.expireAfterDays,
      })),
      versioning: s.versioning,
      protect: s.protect,
      softDeleteDays: s.softDeleteDays,
      noncurrentVersionDays: s.noncurrentVersionDays,
      endpointsSubnetId: network.endpointsSubnet.id,
      blobDnsZoneId: network.dnsZoneId("privatelink.blob.core.windows.net"),
    });

    const r = props.registry;
    const registry = new PlatformRegistry(this, "registry", {
      ...common,
      name: r.name,
      identityName: r.identityName,
      ipRules: r.ipRules,
      keyVersionlessId: registryVault.key.versionlessUri,
      keyResourceId: registryVault.key.resourceId,
      keyDependency: registryVault.key.action,
      untaggedRetentionDays: r.untaggedRetentionDays,
      endpointsSubnetId: network.endpointsSubnet.id,
      dnsZoneId: network.dnsZoneId("privatelink.azurecr.io"),
    });
    let mlWorkspace: MlWorkspace | undefined;
    if (r.models) {
      mlWorkspace = new MlWorkspace(registry, "models", {
        ...common,
        workspaceName: r.models.workspaceName,
        keyVaultName: r.models.keyVaultName,
        storageAccountName: r.models.storageAccountName,
        applicationInsightsName: r.models.applicationInsightsName,
        tenantId,
        logAnalyticsWorkspaceId: observability.workspace.id,
        containerRegistryId: registry.registry.id,
        storageKeyVersionlessId: kms.storageKey.versionlessUri,
        storageKeyIdentityId: storage.identity.id,
        storageKeyAccess: storage.keyAccess,
        adminCidrs: kv.ipRules,
        allowedSubnetIds,
        protect: r.models.protect,
        endpointsSubnetId: network.endpointsSubnet.id,
        blobDnsZoneId: network.dnsZoneId("privatelink.blob.core.windows.net"),
        fileDnsZoneId: network.dnsZoneId("privatelink.file.core.windows.net"),
        apiDnsZoneId: network.dnsZoneId("privatelink.api.azureml.ms"),
        notebooksDnsZoneId: network.dnsZoneId("privatelink.notebooks.azure.net"),
      });
    }

    let workspaces: AzureWorkspaces | undefined;
    if (props.workspaces) {
      if (!mlWorkspace) throw new Error("workspaces: the resolver must set registry.models (the Azure ML workspace)");
      workspaces = new AzureWorkspaces(this, "workspaces", {
        ...common,
        ...props.workspaces,
        tenantId,
        workspaceId: mlWorkspace.workspace.id,
        workspacePrincipalId: mlWorkspace.workspace.identity.principalId,
        storageAccountId: storage.account.id,
        containerNames: Object.fromEntries(s.containers.map((ct) => [ct.bucket, ct.name])),
      });
    }

    let cluster: AksCluster | undefined;
    const c = props.cluster;
    if (c) {
      if (!kms.clusterKey) throw new Error("cluster: the key vault has no cluster key; the resolver must set keyVault.clusterKeyName");
      cluster = new AksCluster(this, "cluster", {
        ...common,
        name: c.name,
        dnsPrefix: c.dnsPrefix,
        nodeResourceGroup: c.nodeResourceGroup,
        identityName: c.identityName,
        kubernetesVersion: c.kubernetesVersion,
        tenantId,
        privateCluster: c.privateCluster,
        adminCidrs: c.adminCidrs,
        adminGroupObjectIds: c.adminGroupObjectIds,
        deployerObjectId: deployer.objectId,
        systemPool: c.systemPool,
        nodePools: c.nodePools.map((p) => ({
          pool: p.pool,
          name: p.name,
          vmSize: p.vmSize,
          gpu: p.gpu,
          spot: p.spot,
          min: p.min,
          max: p.max,
          osDiskSizeGiB: p.osDiskSizeGiB,
          labels: p.labels,
          taints: p.taints,
          zones: p.zones,
        })),
        vnetId: network.vnet.id,
        nodesSubnetId: network.nodesSubnet.id,
        apiServerSubnetId: network.apiServerSubnet.id,
        networkDependencies: network.natAssociations,
        podCidr: c.podCidr,
        serviceCidr: c.serviceCidr,
        dnsServiceIp: c.dnsServiceIp,
        kmsKeyId: kms.clusterKey.versionedUri,
        kmsKeyResourceId: kms.clusterKey.resourceId,
        kmsKeyDependency: kms.clusterKey.action,
        keyVaultId: kms.vault.id,
        logAnalyticsWorkspaceId: observability.workspace.id,
        registryId: registry.registry.id,
      });
    }

    let serving: ContainerAppsServing | undefined;
    const sv = props.serving;
    if (sv) {
      serving = new ContainerAppsServing(this, "serving", {
        ...common,
        resourceGroupId: rg.id,
        environmentName: sv.environmentName,
        identityName: sv.identityName,
        workloadProfiles: sv.workloadProfiles,
        appsSubnetId: network.appsSubnet.id,
        vnetId: network.vnet.id,
        registryId: registry.registry.id,
        registryLoginServer: registry.registry.loginServer,
        storageAccountId: storage.account.id,
        storageBlobEndpoint: storage.account.primaryBlobEndpoint,
        endpoints: sv.endpoints.map((e) => ({
          endpoint: e.endpoint,
          name: e.name,
          workloadProfileName: e.workloadProfileName,
          image: e.image,
          fromRegistry: e.fromRegistry,
          cpu: e.cpu,
          memoryGiB: e.memoryGiB,
          minReplicas: e.minReplicas,
          maxReplicas: e.maxReplicas,
          targetConcurrency: e.targetConcurrency,
          model: e.model,
          rollout: e.rollout,
        })),
      });
    }

    let pipelines: AzurePipelines | undefined;
    if (props.pipelines) {
      if (!mlWorkspace) throw new Error("pipelines: the resolver must set registry.models (the Azure ML workspace)");
      pipelines = new AzurePipelines(this, "pipelines", {
        ...common,
        ...props.pipelines,
        workspaceId: mlWorkspace.workspace.id,
        storageAccountId: storage.account.id,
      });
    }

    observability.monitor({
      storageAccountId: storage.account.id,
      keyVaultId: kms.vault.id,
      registryKeyVaultId: registryVault.vault.id,
      registryId: registry.registry.id,
      clusterId: cluster?.cluster.id,
      containerAppsEnvironmentId: serving?.environment.id,
      endpoints: sv?.endpoints.map((e) => ({
        endpoint: e.endpoint,
        appId: serving!.apps.get(e.endpoint)!.app.id,
        latencyP99Ms: e.latencyP99Ms,
        errorRatePercent: e.errorRatePercent,
        extraActionGroupIds: pipelines?.alarmActionGroups[e.endpoint],
      })),
    });

    if (props.budget) {
      new ResourceGroupBudget(this, "budget", {
        resourceGroupId: rg.id,
        name: props.budget.name,
        monthlyUsd: props.budget.monthlyUsd,
        alertAtPercent: props.budget.alertAtPercent,
        emails: props.budget.emails,
      });
    }

    // Outputs (snake_case; `mlplat output` reads them).
    new TerraformOutput(this, "resource_group", { value: rg.name });
    new TerraformOutput(this, "region", { value: props.location });
    new TerraformOutput(this, "storage_account", { value: storage.account.name });
    new TerraformOutput(this, "bucket_names", {
      value: Object.fromEntries(s.containers.map((ct) => [ct.bucket, ct.name])),
      description: "Blueprint bucket name → blob container in the storage account",
    });
    new TerraformOutput(this, "registry_url", { value: registry.registry.loginServer });
    // Same shape as the other clouds: blueprint repository → image URL prefix (ACR creates
    // repositories on push).
    new TerraformOutput(this, "registry_urls", {
      value: Object.fromEntries(r.repositories.map((repo) => [repo, `${r.loginServer}/${repo}`])),
      description: "Blueprint image repository → image URL prefix in the platform registry",
    });
    if (cluster) {
      new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
      new TerraformOutput(this, "kubeconfig_command", {
        value: `az aks get-credentials --resource-group ${props.resourceGroupName} --name ${c!.name} --subscription ${props.subscriptionId}`,
      });
      // No network path needed: the command runs in a pod AKS starts inside the cluster
      // (https://learn.microsoft.com/azure/aks/access-private-cluster).
      new TerraformOutput(this, "kubectl_command_invoke", {
        value: `${c!.commandInvoke} "kubectl get nodes"`,
        description: "Runs kubectl inside the private cluster through the AKS API (replace the quoted command)",
      });
    }
    if (serving) {
      new TerraformOutput(this, "endpoint_urls", {
        value: Object.fromEntries([...serving.apps].map(([name, app]) => [name, app.url])),
        description: "Managed endpoints, reachable from the VNet only",
      });
    }
    if (workspaces) {
      new TerraformOutput(this, "notebook_names", {
        value: Object.fromEntries([...workspaces.notebooks].map(([user, nb]) => [user, nb.instance.name])),
        description:
          "workspace user → their compute instance in the Azure ML workspace (open it in Azure ML studio, Compute > Compute instances, from a network that reaches the workspace's private endpoint)",
      });
    }
    if (props.tracking) {
      new TerraformOutput(this, "tracking_uri", {
        value: props.tracking.trackingUri,
        description:
          "MLflow tracking URI of the Azure ML workspace: pip install azureml-mlflow, sign in with az login (Entra ID; the identity needs AzureML Data Scientist on the workspace, which workspace users get), then mlflow.set_tracking_uri(<this>)",
      });
    }
    new TerraformOutput(this, "azure_limitations", {
      value: [...props.limitations],
      description: "What the blueprint asks that azurerm cannot enforce, and what mlplat does instead",
    });
  }
}

/** StackFactory for `azureTarget.loadStack()`. */
export function addAzurePlatformStack(scope: Construct, id: string, props: AzurePlatformProps): void {
  new AzurePlatformStack(scope, id, props);
}
