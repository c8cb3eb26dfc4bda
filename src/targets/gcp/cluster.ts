import type { NodePoolModel, PlatformModel, TaintEffect } from "../../model/platform.js";
import { deriveName } from "../../model/names.js";
import { isPrivateCidr, parseCidr } from "../../model/cidr.js";
import { MlplatError } from "../../util/errors.js";
import { checkAcceleratorPairing } from "./accelerators.js";
import { GCP_NAME_RULES, iamMember } from "./names.js";
import type { GcpAcceleratorProps, GcpClusterProps, GcpNodePoolProps, GcpTaintEffect } from "./props.js";

/** The GKE cluster and its node pools. */

const TAINT_EFFECTS: Readonly<Record<TaintEffect, GcpTaintEffect>> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

export function resolveCluster(model: PlatformModel, project: string): GcpClusterProps {
  const c = model.cluster!;
  const clusterName = deriveName(model, undefined, GCP_NAME_RULES.gkeCluster);
  const systemPool: GcpNodePoolProps = {
    id: "system",
    name: deriveName(model, "system", GCP_NAME_RULES.gkeNodePool),
    machineType: c.systemPool.instanceType,
    spot: false,
    minNodes: c.systemPool.min,
    maxNodes: c.systemPool.max,
    diskSizeGiB: 100,
    diskType: diskTypeFor(c.systemPool.instanceType),
    kubernetesLabels: { "mlplat.io/pool": "system" },
    taints: [],
    nodeLocationsDefaulted: false,
    initialNodeCount: initialNodeCount(c.systemPool.min, undefined),
  };
  const nodePools = c.nodePools.map((p) => resolvePool(model, p));
  const names = new Set<string>();
  for (const p of [systemPool, ...nodePools]) {
    if (names.has(p.name)) {
      throw new MlplatError("MLP_GCP_POOL_NAME", `two GKE node pools would both be named ${p.name}`, {
        hint: "rename one of spec.cluster.nodePools (`system` is taken by the system pool)",
      });
    }
    names.add(p.name);
  }
  const privateEndpoint = model.network.privateCluster;
  return {
    name: clusterName,
    minMasterVersion: c.version,
    releaseChannel: "REGULAR",
    privateEndpoint,
    // GKE rejects public CIDRs in authorized networks while the endpoint is private ("not a
    // reserved network, which is required for private endpoints"): on a private cluster only the
    // RFC 1918 adminCidrs (VPN, peered, on-premises ranges) are authorized; everyone else uses the
    // DNS-based endpoint, authorized by IAM.
    masterAuthorizedNetworks: [
      { cidr: model.network.cidr, displayName: "vpc" },
      ...model.network.adminCidrs
        .map((cidr, i) => ({ cidr, displayName: `admin-${i + 1}` }))
        .filter((n) => !privateEndpoint || isPrivateCidr(parseCidr(n.cidr)!)),
    ],
    nodeServiceAccountId: deriveName(model, "gke-nodes", GCP_NAME_RULES.serviceAccount),
    admins: c.admins.map(iamMember),
    systemPool,
    nodePools,
    // The DNS-based endpoint works from anywhere with IAM rights, private cluster or not.
    kubeconfigCommand: `gcloud container clusters get-credentials ${clusterName} --region ${model.region} --project ${project} --dns-endpoint`,
    dnsEndpoint: true,
  };
}

function resolvePool(model: PlatformModel, p: NodePoolModel): GcpNodePoolProps {
  let accelerator: GcpAcceleratorProps | undefined;
  if (p.gpu) {
    const type = p.gpu.acceleratorId;
    if (!type) {
      throw new MlplatError("MLP_GCP_GPU_ID", `node pool ${p.name}: the catalog gave no GCP accelerator id for ${p.gpu.type}`, {
        hint: "this is a catalog gap: report it, or use an instanceType the catalog knows",
      });
    }
    const pairing = checkAcceleratorPairing(p.instanceType, type, p.gpu.count);
    if (!pairing.ok) {
      throw new MlplatError(pairing.code, `spec.cluster.nodePools[${p.name}]: ${pairing.message}`, { hint: pairing.hint });
    }
    accelerator = { type, count: p.gpu.count };
  }
  return {
    id: p.name,
    name: deriveName(model, p.name, GCP_NAME_RULES.gkeNodePool),
    machineType: p.instanceType,
    accelerator,
    spot: p.spot,
    minNodes: p.min,
    maxNodes: p.max,
    diskSizeGiB: p.diskGiB,
    diskType: diskTypeFor(p.instanceType),
    kubernetesLabels: p.labels,
    taints: p.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
    nodeLocations: p.zones,
    nodeLocationsDefaulted: p.zones !== undefined && !p.zonesExplicit,
    initialNodeCount: initialNodeCount(p.min, p.zones),
  };
}

/** GKE spreads a regional pool without `node_locations` over three zones of the region. */
export const GKE_DEFAULT_ZONE_COUNT = 3;

/**
 * `initial_node_count` is per zone: ceil(min / zones) reaches `min` at creation with the fewest
 * nodes (and quota) per zone; 0 for a pool that scales from zero. The total at creation is
 * ceil(min / zones) × zones, at most zones − 1 above `min`, until the autoscaler scales down.
 */
export function initialNodeCount(min: number, zones: readonly string[] | undefined): number {
  if (min <= 0) return 0;
  return Math.ceil(min / (zones?.length ?? GKE_DEFAULT_ZONE_COUNT));
}

/**
 * Boot disk type: `pd-balanced`, except on families that only take Hyperdisk (N4, C4, A4, the
 * A3 Ultra and X4 machines), where Persistent Disk is refused at node creation.
 */
export function diskTypeFor(machineType: string): string {
  if (/^(n4|c4|c4a|c4d|a4|a4x|x4|m4)-/.test(machineType) || machineType.startsWith("a3-ultragpu-")) {
    return "hyperdisk-balanced";
  }
  return "pd-balanced";
}
