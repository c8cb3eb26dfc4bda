/**
 * The Azure resolver: turns the cloud-neutral model into flat, already-resolved props for
 * `stacks/azure/`. Pure and deterministic (no cdktf import, no cloud call): every name, subnet,
 * image URL and tag is computed here, so the constructs only render.
 *
 * Derived names are API: changing one makes Terraform replace the resource (and for storage
 * accounts, registries and key vaults, lose data or collide with a soft-deleted name).
 *
 * One file per concern: network.ts, cluster.ts, serving.ts; the props in props.ts.
 */
import { MlplatError } from "../../util/errors.js";
import { isPrivateCidr, requireCidr } from "../../model/cidr.js";
import { NAME_RULES, deriveName, fitName, globalName } from "../../model/names.js";
import type { PlatformModel, SynthContext } from "../../model/platform.js";
import { resolveCluster } from "./cluster.js";
import { ACTION_GROUP_SHORT, AZ_NAME, ML_WORKSPACE_NAME, azureTags } from "./names.js";
import { resolveNetwork } from "./network.js";
import type { AzureModelsProps, AzurePlatformProps, AzureStorageProps } from "./props.js";
import { resolveServing } from "./serving.js";
import { resolvePipelines } from "./pipelines.js";
import { resolveTracking, resolveWorkspaces } from "./workspaces.js";
import { hcpBackendOf } from "../hcp-backend.js";

/**
 * Days a previous blob version is kept when its container has no `expireAfterDays`. Azure counts a
 * version's age from when it was written, not from when it was overwritten (the only age lifecycle
 * rules offer for versions), so this is longer than the 30 noncurrent days AWS and GCP use: an
 * overwrite still leaves a recovery window for data that was weeks old.
 */
export const NONCURRENT_VERSION_DAYS = 90;

export function resolveAzure(model: PlatformModel, ctx: SynthContext): AzurePlatformProps {
  const azure = model.azure;
  if (model.cloud !== "azure" || !azure) {
    throw new MlplatError("MLP_AZURE_ACCOUNT_MISSING", `the azure target needs spec.azure.subscriptionId (cloud is ${model.cloud})`, {
      hint: "add `azure: { subscriptionId: <uuid> }` under spec",
    });
  }
  const anyProtected = model.buckets.some((b) => b.protect);
  const storageAccount = globalName(model, "st", NAME_RULES.azureStorageAccount);
  const registryName = globalName(model, "acr", NAME_RULES.azureContainerRegistry);
  const loginServer = `${registryName}.azurecr.io`;
  const containerNames = new Map(model.buckets.map((b) => [b.name, fitName(b.name, { maxLength: 63, minLength: 3, separator: "-" })]));

  const network = resolveNetwork(model);
  const limitations: string[] = [];
  // Key Vault and ACR IP rules take public ranges only; RFC 1918 ranges come in over the private
  // endpoints (https://learn.microsoft.com/azure/key-vault/general/network-security).
  const publicAdminCidrs = model.network.adminCidrs.filter((c) => !isPrivateCidr(requireCidr(c, "MLP_AZURE_CIDR")));
  if (publicAdminCidrs.length > 0) {
    limitations.push(
      `network.adminCidrs ${publicAdminCidrs.join(", ")}: the registry's public endpoint is open to these ranges, and ACR can disable exports (acr import/transfer out) only with public network access off, so the export policy stays enabled.`,
    );
  }

  const storage: AzureStorageProps = {
    accountName: storageAccount,
    identityName: deriveName(model, "id-storage", AZ_NAME),
    versioning: model.buckets.some((b) => b.versioning),
    protect: anyProtected,
    softDeleteDays: 14,
    noncurrentVersionDays: NONCURRENT_VERSION_DAYS,
    containers: model.buckets.map((b) => ({
      bucket: b.name,
      name: containerNames.get(b.name)!,
      protect: b.protect,
      coolAfterDays: b.tiering?.coolAfterDays,
      archiveAfterDays: b.tiering?.archiveAfterDays,
      expireAfterDays: b.expireAfterDays,
    })),
  };
  if (model.cluster && model.network.privateCluster && model.network.adminCidrs.length === 0) {
    limitations.push(
      "network.adminCidrs is empty: nothing outside the VNet reaches the private AKS API, Key Vault or registry; kubectl works only through `az aks command invoke` (output `kubectl_command_invoke`) until a peered network or VPN is listed in adminCidrs.",
    );
  }
  const unversioned = model.buckets.filter((b) => !b.versioning).map((b) => b.name);
  if (storage.versioning && unversioned.length > 0) {
    limitations.push(
      `storage.buckets[${unversioned.join(", ")}].versioning: false: Azure versions blobs per storage account, and another bucket asks for versioning, so these containers are versioned too.`,
    );
  }

  for (const repo of model.registry.images) {
    if (repo.immutableTags) {
      limitations.push(
        `registry.images[${repo.name}].immutableTags: ACR has no repository setting for immutable tags in azurerm; lock pushed tags with \`az acr repository update --write-enabled false\`.`,
      );
    }
    if (repo.scanOnPush) {
      limitations.push(
        `registry.images[${repo.name}].scanOnPush: ACR scanning is Microsoft Defender for Containers, a subscription-level plan that azurerm does not enable per registry.`,
      );
    }
    if (repo.keepLast !== undefined) {
      limitations.push(
        `registry.images[${repo.name}].keepLast: ACR retention only expires untagged manifests; keeping the last ${repo.keepLast} tags needs an \`acr purge\` task, which mlplat does not create.`,
      );
    }
  }

  const models: AzureModelsProps | undefined = model.registry.models
    ? {
        workspaceName: deriveName(model, "mlw", ML_WORKSPACE_NAME),
        keyVaultName: globalName(model, "mlkv", NAME_RULES.azureKeyVault),
        storageAccountName: globalName(model, "mlst", NAME_RULES.azureStorageAccount),
        applicationInsightsName: deriveName(model, "appi", AZ_NAME),
        protect: anyProtected,
      }
    : undefined;
  if (models) {
    limitations.push(
      "registry.models: the Azure ML workspace is the model registry; Azure ML managed online endpoints do not exist in azurerm, so managed serving uses Container Apps.",
    );
  }

  // The azure-ml-workspace rule refuses workspaces and tracking without registry.models at validate.
  if ((model.workspaces || model.tracking) && !models) throw new Error("azure: workspaces and tracking need registry.models (the Azure ML workspace)");
  const workspaces = model.workspaces ? resolveWorkspaces(model, model.workspaces) : undefined;
  const tracking = model.tracking && models ? resolveTracking(model, model.tracking, models.workspaceName) : undefined;
  if (workspaces) {
    limitations.push(
      "workspaces: compute instances run in the Azure ML workspace's managed network (no public IP, no subnet of the platform VNet: Azure ML places computes of a managed-network workspace there); users open them in Azure ML studio through the workspace's private endpoint, from the VNet or a network peered with it; a new size replaces the user's instance (their files stay on the workspace file share); azurerm has no disk-encryption setting for compute instances, and Azure ML encrypts their OS disks with Microsoft-managed keys unless the workspace itself has a customer-managed key (https://learn.microsoft.com/azure/machine-learning/concept-customer-managed-keys), which the platform's workspace does not set.",
    );
    if (!workspaces.idleTimeBeforeShutdown) {
      limitations.push("workspaces.idleShutdownMinutes: 0 leaves idle shutdown as it is on each instance: the azapi action that set it does not undo it; change it in Azure ML studio.");
    }
  }
  if (tracking) {
    limitations.push(
      `tracking.mlflow: the tracking server is the Azure ML workspace's MLflow endpoint; Azure ML stores run artifacts in the workspace's default datastore (its own storage account), not under mlflow/ in the ${tracking.bucket} bucket, and does not let MLflow choose another artifact location.`,
    );
  }

  const managed = model.endpoints.filter((e) => e.runtime === "managed");
  const serving = managed.length > 0 ? resolveServing(model, managed, loginServer, containerNames, limitations) : undefined;
  const pipelines = resolvePipelines(model, containerNames, serving?.endpoints.map((e) => e.endpoint) ?? []);
  if (pipelines?.pipelines.some((p) => p.logicApp)) {
    limitations.push(
      "pipelines: the launcher Logic App (Consumption) is called through its SAS-signed trigger URL (Event Grid and action groups call from Azure addresses that cannot be listed in its allowed caller ranges), so the URL is a secret kept in the Terraform state; jobs are submitted through the ARM jobs API with the Logic App's managed identity.",
    );
  }

  const tags = azureTags(model.labels);
  return {
    stackName: model.stackName,
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    location: model.region,
    resourceGroupName: azure.resourceGroup,
    tags,
    backend:
      model.state.backend === "hcp" && !ctx.offline
        ? hcpBackendOf(model.state)
        : model.state.backend === "azurerm" && !ctx.offline
        ? {
            kind: "azurerm",
            resourceGroupName: model.state.resourceGroup,
            storageAccountName: model.state.storageAccount,
            containerName: model.state.container,
            key: model.state.key,
            subscriptionId: azure.subscriptionId,
          }
        : { kind: "local", path: ctx.localStatePath },
    network,
    keyVault: {
      name: globalName(model, "kv", NAME_RULES.azureKeyVault),
      ipRules: publicAdminCidrs,
      protect: anyProtected,
      storageKeyName: "storage",
      registryKeyName: "registry",
      clusterKeyName: model.cluster ? "cluster" : undefined,
      registryVaultName: globalName(model, "acr-kv", NAME_RULES.azureKeyVault),
    },
    storage,
    registry: {
      name: registryName,
      loginServer,
      identityName: deriveName(model, "id-registry", AZ_NAME),
      ipRules: publicAdminCidrs,
      untaggedRetentionDays: 7,
      repositories: model.registry.images.map((i) => i.name),
      models,
    },
    cluster: resolveCluster(model, network),
    serving,
    observability: {
      workspaceName: deriveName(model, "log", AZ_NAME),
      retentionDays: model.observability.logRetentionDays,
      actionGroupName: deriveName(model, "alerts", AZ_NAME),
      actionGroupShortName: fitName(model.name, ACTION_GROUP_SHORT),
      emails: model.observability.alertEmails,
    },
    workspaces,
    tracking,
    budget: model.budget
      ? {
          name: deriveName(model, "monthly", AZ_NAME),
          monthlyUsd: model.budget.monthlyUsd,
          alertAtPercent: model.budget.alertAtPercent,
          emails: model.budget.emails,
        }
      : undefined,
    pipelines,
    limitations,
  };
}
