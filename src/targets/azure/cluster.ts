/** The AKS cluster and its node pools. */
import { formatIp, requireCidr } from "../../model/cidr.js";
import { NAME_RULES, deriveName, fitName, stableHash } from "../../model/names.js";
import type { NodePoolModel, PlatformModel, Taint } from "../../model/platform.js";
import { AKS_SPOT_LABEL, AKS_SPOT_TAINT, AZ_NAME } from "./names.js";
import { overlapping } from "./network.js";
import type { AzureClusterProps, AzureNetworkProps, AzureNodePoolProps } from "./props.js";

export function resolveCluster(model: PlatformModel, network: AzureNetworkProps): AzureClusterProps | undefined {
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
    commandInvoke: `az aks command invoke --resource-group ${model.azure!.resourceGroup} --name ${deriveName(model, "aks", AZ_NAME)} --subscription ${model.azure!.subscriptionId} --command`,
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
    ...(pool.zones ? { zones: pool.zones } : {}),
  };
}

function formatTaint(t: Taint): string {
  return `${t.key}=${t.value}:${t.effect}`;
}
