/**
 * The Azure resolver: turns the cloud-neutral model into flat, already-resolved props for
 * `stacks/azure/`. Pure and deterministic (no cdktf import, no cloud call): every name, subnet,
 * image URL and tag is computed here, so the constructs only render.
 *
 * Derived names are API: changing one makes Terraform replace the resource (and for storage
 * accounts, registries and key vaults, lose data or collide with a soft-deleted name).
 */
import { MlplatError } from "../util/errors.js";
import { formatIp, overlaps, requireCidr } from "../model/cidr.js";
import { NAME_RULES, deriveName, fitName, globalName, stableHash, type NameRules } from "../model/names.js";
import type { ImageRef, NodePoolModel, PlatformModel, SynthContext, Taint } from "../model/platform.js";
import type { CloudTarget, StackFactory } from "./target.js";

/** Rules for ordinary (not globally unique) Azure names. */
const AZ_NAME: NameRules = { maxLength: 63, separator: "-" };
/** Container Apps and their environments: 2-32 lowercase alphanumerics and hyphens. */
const CONTAINER_APP_NAME: NameRules = { maxLength: 32, minLength: 2, separator: "-" };
/** Azure ML workspaces: 3-33 characters. */
const ML_WORKSPACE_NAME: NameRules = { maxLength: 33, minLength: 3, separator: "-" };
/** Action group short names: at most 12 characters. */
const ACTION_GROUP_SHORT: NameRules = { maxLength: 12, separator: "-" };

/** The taint AKS puts on every Spot node; declared so plans do not drift. */
export const AKS_SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule";
/** The label AKS puts on every Spot node. */
export const AKS_SPOT_LABEL = { key: "kubernetes.azure.com/scalesetpriority", value: "spot" } as const;
/** Container Apps ingress port the serving images listen on. */
export const SERVING_PORT = 8080;

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
  /** Public CIDRs allowed through the vault firewall (Terraform creates keys through the data plane). */
  readonly adminCidrs: readonly string[];
  /** `prevent_destroy` on the vault and the storage key (any bucket protected). */
  readonly protect: boolean;
  readonly storageKeyName: string;
  readonly registryKeyName: string;
  /** Present when the blueprint has a cluster. */
  readonly clusterKeyName?: string;
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
}

export interface AzureClusterProps {
  readonly name: string;
  readonly dnsPrefix: string;
  readonly nodeResourceGroup: string;
  readonly identityName: string;
  readonly kubernetesVersion: string;
  readonly privateCluster: boolean;
  readonly adminCidrs: readonly string[];
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
  /**
   * What the blueprint asks that azurerm cannot enforce, one sentence each; rendered as the
   * `azure_limitations` output so `mlplat output` shows them next to the resources.
   */
  readonly limitations: readonly string[];
}

export const azureTarget: CloudTarget<AzurePlatformProps> = {
  cloud: "azure",
  resolve: resolveAzure,
  async loadStack(): Promise<StackFactory<AzurePlatformProps>> {
    return (await import("../../stacks/azure/index.js")).addAzurePlatformStack;
  },
};

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

  const storage: AzureStorageProps = {
    accountName: storageAccount,
    identityName: deriveName(model, "id-storage", AZ_NAME),
    versioning: model.buckets.some((b) => b.versioning),
    protect: anyProtected,
    softDeleteDays: 14,
    containers: model.buckets.map((b) => ({
      bucket: b.name,
      name: containerNames.get(b.name)!,
      protect: b.protect,
      coolAfterDays: b.tiering?.coolAfterDays,
      archiveAfterDays: b.tiering?.archiveAfterDays,
      expireAfterDays: b.expireAfterDays,
    })),
  };
  if (model.network.adminCidrs.length === 0) {
    limitations.push(
      "network.adminCidrs is empty: Terraform creates Key Vault keys through the vault's data plane, which then only the VNet can reach; deploy from inside the VNet or add the deploying machine's public CIDR.",
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

  const managed = model.endpoints.filter((e) => e.runtime === "managed");
  const serving = managed.length > 0 ? resolveServing(model, managed, loginServer, containerNames, limitations) : undefined;

  const tags = azureTags(model.labels);
  return {
    stackName: model.stackName,
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    location: model.region,
    resourceGroupName: azure.resourceGroup,
    tags,
    backend:
      model.state.backend === "azurerm" && !ctx.offline
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
      adminCidrs: model.network.adminCidrs,
      protect: anyProtected,
      storageKeyName: "storage",
      registryKeyName: "registry",
      clusterKeyName: model.cluster ? "cluster" : undefined,
    },
    storage,
    registry: {
      name: registryName,
      loginServer,
      identityName: deriveName(model, "id-registry", AZ_NAME),
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
    budget: model.budget
      ? {
          name: deriveName(model, "monthly", AZ_NAME),
          monthlyUsd: model.budget.monthlyUsd,
          alertAtPercent: model.budget.alertAtPercent,
          emails: model.budget.emails,
        }
      : undefined,
    limitations,
  };
}

/** Azure tag names may not contain `<>%&\?/`; names up to 512 characters, values up to 256. */
export function azureTags(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [k.replace(/[<>%&\\?/]/g, "-").slice(0, 512), v.slice(0, 256)]),
  );
}

// ---------------------------------------------------------------------------------------------
// network

function resolveNetwork(model: PlatformModel): AzureNetworkProps {
  const { base, prefix } = requireCidr(model.network.cidr, "MLP_AZURE_CIDR");
  // Sizes relative to the VNet, so a /16 and a /24 both fit. Container Apps workload-profile
  // environments need at least a /27; they get a /23 when the VNet has room (the size
  // Microsoft's examples use; the subnet can't be resized once the environment exists).
  const wanted = [
    { key: "nodes", prefix: prefix + 1 },
    { key: "apps", prefix: Math.max(prefix + 2, 23) },
    { key: "endpoints", prefix: Math.max(prefix + 3, 24) },
    { key: "apiServer", prefix: 28 },
  ] as const;
  const carved = carve(base, prefix, wanted.map((w) => w.prefix));
  const cidrOf = (key: (typeof wanted)[number]["key"]) => carved[wanted.findIndex((w) => w.key === key)];
  const zones = ["privatelink.blob.core.windows.net", "privatelink.azurecr.io"];
  if (model.registry.models) zones.push("privatelink.file.core.windows.net", "privatelink.api.azureml.ms", "privatelink.notebooks.azure.net");
  return {
    vnetName: deriveName(model, "vnet", AZ_NAME),
    addressSpace: model.network.cidr,
    nodes: { name: "nodes", cidr: cidrOf("nodes") },
    apps: { name: "apps", cidr: cidrOf("apps") },
    endpoints: { name: "endpoints", cidr: cidrOf("endpoints") },
    apiServer: { name: "apiserver", cidr: cidrOf("apiServer") },
    natGatewayName: deriveName(model, "nat", AZ_NAME),
    publicIpName: deriveName(model, "nat-ip", AZ_NAME),
    privateDnsZones: zones,
  };
}

/** Places subnets of the given prefixes inside the block, largest first, each aligned to its size. */
export function carve(base: number, prefix: number, prefixes: readonly number[]): string[] {
  const order = prefixes.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out: string[] = new Array(prefixes.length);
  let next = base;
  const end = base + 2 ** (32 - prefix);
  for (const { p, i } of order) {
    const size = 2 ** (32 - p);
    next = Math.ceil((next - base) / size) * size + base;
    if (p < prefix || next + size > end) {
      throw new MlplatError("MLP_AZURE_CIDR_TOO_SMALL", `network.cidr /${prefix} has no room for the platform's subnets`, {
        hint: "use a /16 to /24 network",
      });
    }
    out[i] = `${formatIp(next)}/${p}`;
    next += size;
  }
  return out;
}

function overlapping(a: string, b: string): boolean {
  return overlaps(requireCidr(a, "MLP_AZURE_CIDR"), requireCidr(b, "MLP_AZURE_CIDR"));
}

// ---------------------------------------------------------------------------------------------
// cluster

function resolveCluster(model: PlatformModel, network: AzureNetworkProps): AzureClusterProps | undefined {
  const cluster = model.cluster;
  if (!cluster) return undefined;
  // Azure CNI overlay: pods and services use ranges outside the VNet; pick the first free ones.
  const podCidr = ["10.244.0.0/16", "172.28.0.0/14", "192.168.0.0/16"].find((c) => !overlapping(c, network.addressSpace))!;
  const serviceCidr = ["172.20.0.0/16", "10.250.0.0/16", "192.168.240.0/20"].find(
    (c) => !overlapping(c, network.addressSpace) && !overlapping(c, podCidr),
  )!;
  const { base: svcBase } = requireCidr(serviceCidr, "MLP_AZURE_CIDR");
  return {
    name: deriveName(model, "aks", AZ_NAME),
    dnsPrefix: deriveName(model, undefined, { maxLength: 54, separator: "-" }),
    nodeResourceGroup: fitName(`${model.azure!.resourceGroup}-aks-nodes`, { maxLength: 80, separator: "-" }),
    identityName: deriveName(model, "id-aks", AZ_NAME),
    kubernetesVersion: cluster.version,
    privateCluster: model.network.privateCluster,
    adminCidrs: model.network.adminCidrs,
    adminGroupObjectIds: cluster.admins,
    systemPool: { name: "system", vmSize: cluster.systemPool.instanceType, min: cluster.systemPool.min, max: cluster.systemPool.max },
    nodePools: aksPoolNames(cluster.nodePools).map(([pool, name]) => resolvePool(pool, name)),
    podCidr,
    serviceCidr,
    dnsServiceIp: formatIp(svcBase + 10),
  };
}

/** AKS pool names: fitted, unique within the cluster and never the system pool's name. */
export function aksPoolNames(pools: readonly NodePoolModel[]): [NodePoolModel, string][] {
  const used = new Set(["system"]);
  return pools.map((pool) => {
    let name = fitName(pool.name, NAME_RULES.aksNodePool);
    if (used.has(name)) {
      const stem = name.slice(0, NAME_RULES.aksNodePool.maxLength - 4);
      name = stem + stableHash(["aks-pool", pool.name], 4);
    }
    used.add(name);
    return [pool, name];
  });
}

function resolvePool(pool: NodePoolModel, name: string): AzureNodePoolProps {
  const taints = pool.taints.map(formatTaint);
  const labels: Record<string, string> = { ...pool.labels };
  if (pool.spot) {
    taints.push(AKS_SPOT_TAINT);
    labels[AKS_SPOT_LABEL.key] = AKS_SPOT_LABEL.value;
  }
  return {
    pool: pool.name,
    name,
    vmSize: pool.instanceType,
    gpu: pool.gpu !== undefined,
    spot: pool.spot,
    min: pool.min,
    max: pool.max,
    osDiskSizeGiB: pool.diskGiB,
    labels,
    taints: [...new Set(taints)],
  };
}

function formatTaint(t: Taint): string {
  return `${t.key}=${t.value}:${t.effect}`;
}

// ---------------------------------------------------------------------------------------------
// serving

function resolveServing(
  model: PlatformModel,
  endpoints: PlatformModel["endpoints"],
  loginServer: string,
  containerNames: ReadonlyMap<string, string>,
  limitations: string[],
): AzureServingProps {
  const profiles: AzureWorkloadProfile[] = [{ name: "Consumption", type: "Consumption" }];
  const resolved = endpoints.map((e): AzureEndpointProps => {
    let profileName = "Consumption";
    if (e.gpu) {
      const type = e.instanceType;
      if (!type || !/^Consumption-GPU-/.test(type)) {
        throw new MlplatError(
          "MLP_AZURE_GPU_PROFILE",
          `serving.endpoints[${e.name}]: ${e.gpu.type} has no Container Apps serverless GPU workload profile (got ${type ?? "none"})`,
          { hint: "use gpu T4 or A100, or `runtime: kubernetes` to serve on an AKS GPU pool" },
        );
      }
      profileName = workloadProfileName(type);
      if (!profiles.some((p) => p.type === type)) profiles.push({ name: profileName, type });
    }
    if (e.alarms.errorRatePercent !== undefined) {
      limitations.push(
        `serving.endpoints[${e.name}].alarms.errorRatePercent: Azure metric alerts cannot divide two metrics, so the alert fires on any 5xx response in a 5-minute window rather than at ${e.alarms.errorRatePercent}%.`,
      );
    }
    if (e.alarms.latencyP99Ms !== undefined) {
      limitations.push(
        `serving.endpoints[${e.name}].alarms.latencyP99Ms: Container Apps publishes no latency percentiles; the alert uses the maximum of ResponseTime, which fires no later than a p99 alert would.`,
      );
    }
    return {
      endpoint: e.name,
      name: fitName(`${model.stackName}-${e.name}`, CONTAINER_APP_NAME),
      image: imageUrl(e.image, loginServer),
      fromRegistry: e.image.kind === "repository",
      workloadProfileName: profileName,
      gpu: e.gpu !== undefined,
      cpu: e.cpu,
      memoryGiB: e.memoryGiB,
      minReplicas: e.autoscaling.min,
      maxReplicas: e.autoscaling.max,
      targetConcurrency: e.autoscaling.targetConcurrency,
      model: e.model ? { container: containerNames.get(e.model.bucket) ?? e.model.bucket, path: e.model.path } : undefined,
      latencyP99Ms: e.alarms.latencyP99Ms,
      errorRatePercent: e.alarms.errorRatePercent,
    };
  });
  return {
    environmentName: deriveName(model, "apps", CONTAINER_APP_NAME),
    identityName: deriveName(model, "id-serving", AZ_NAME),
    workloadProfiles: profiles,
    endpoints: resolved,
  };
}

/** `Consumption-GPU-NC8as-T4` → `gpu-nc8as-t4`. */
export function workloadProfileName(type: string): string {
  return fitName(`gpu-${type.replace(/^Consumption-GPU-/, "")}`, { maxLength: 30, separator: "-" });
}

/** `<acr>.azurecr.io/<repo>:<tag>`, or the full URI as given. */
export function imageUrl(ref: ImageRef, loginServer: string): string {
  return ref.kind === "repository" ? `${loginServer}/${ref.repository}:${ref.tag}` : ref.uri;
}
