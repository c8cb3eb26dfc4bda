import type { PlatformModel } from "../../model/platform.js";
import { deriveName } from "../../model/names.js";
import { formatCidr, requireCidr } from "../../model/cidr.js";
import { GCP_NAME_RULES } from "./names.js";
import type { GcpNetworkProps } from "./props.js";


/**
 * The node subnet and the GKE secondary ranges.
 *
 * A /16 (or larger) `network.cidr` is carved: nodes get the first /18, services the /20 after
 * it, pods the upper /17 (32768 addresses: 128 nodes at GKE's 110 pods per node, which needs a
 * /24 each). A smaller `network.cidr` (/17 to /24) is all nodes, and pods (/16) and services
 * (/20) come from another RFC 1918 block, chosen deterministically so it can't overlap the
 * node range: 172.16.0.0/16 + 172.17.0.0/20 when the nodes are in 10/8 or 192.168/16,
 * 10.248.0.0/16 + 10.249.0.0/20 when they are in 172.16/12. Secondary ranges are local to the
 * platform's own VPC; they only matter if that VPC is later peered.
 */
export function resolveNetwork(model: PlatformModel): GcpNetworkProps {
  const { base, prefix } = requireCidr(model.network.cidr, "MLP_GCP_CIDR");
  let nodeCidr: string;
  let podsCidr: string;
  let servicesCidr: string;
  let outside = false;
  if (prefix <= 16) {
    nodeCidr = formatCidr({ base, prefix: 18 });
    servicesCidr = formatCidr({ base: base + (1 << 14), prefix: 20 });
    podsCidr = formatCidr({ base: base + (1 << 15), prefix: 17 });
  } else {
    outside = true;
    nodeCidr = formatCidr({ base, prefix });
    const inClassB = (base >>> 20) === (172 << 4) + 1; // 172.16.0.0/12
    if (inClassB) {
      podsCidr = "10.248.0.0/16";
      servicesCidr = "10.249.0.0/20";
    } else {
      podsCidr = "172.16.0.0/16";
      servicesCidr = "172.17.0.0/20";
    }
  }
  return {
    networkName: deriveName(model, undefined, GCP_NAME_RULES.compute),
    subnetName: deriveName(model, "nodes", GCP_NAME_RULES.compute),
    routerName: deriveName(model, "router", GCP_NAME_RULES.compute),
    natName: deriveName(model, "nat", GCP_NAME_RULES.compute),
    nodeCidr,
    podsRangeName: "pods",
    podsCidr,
    servicesRangeName: "services",
    servicesCidr,
    secondaryRangesOutsideCidr: outside,
  };
}
