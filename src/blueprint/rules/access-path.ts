import { diag, type Diagnostic } from "../diagnostics.js";
import { clusterAccessPath } from "../../model/access-path.js";
import { isPrivateCidr, parseCidr } from "../../model/cidr.js";
import type { Rule } from "./rule.js";

/**
 * A private cluster mlplat cannot reach (aws or azure, empty adminCidrs): a warning here, a
 * refusal at deploy (before any apply) unless --skip-kubernetes. Public clusters without
 * adminCidrs are already an error (MLP_PUBLIC_CLUSTER_NEEDS_ADMIN_CIDRS).
 */
export const clusterAccess: Rule = ({ bp }) => {
  const s = bp.spec;
  if (!s.network.privateCluster) return privateRangesOnPublicEndpoint(s.network.adminCidrs);
  const path = clusterAccessPath({ cloud: s.cloud, cluster: s.cluster, network: s.network });
  if (path.reachable) return [];
  return [
    diag({
      severity: "warning",
      code: "MLP_NO_CLUSTER_ACCESS_PATH",
      message: `no access path to the private cluster API: ${path.reason} mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).`,
      path: ["spec", "network", "adminCidrs"],
      found: "adminCidrs: []",
      hint: `list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/${s.cloud}/README.md.`,
    }),
  ];
};

/**
 * A public API endpoint (privateCluster: false) is reached from public source addresses only:
 * an RFC 1918 range there admits nobody (spec v1.1: "public ranges only, as in v1").
 */
function privateRangesOnPublicEndpoint(adminCidrs: readonly string[]): Diagnostic[] {
  return adminCidrs.flatMap((raw, i) => {
    const c = parseCidr(raw);
    if (!c || c.prefix === 0 || !isPrivateCidr(c)) return [];
    return [
      diag({
        code: "MLP_PUBLIC_CLUSTER_PRIVATE_CIDR",
        message: `${raw} is a private (RFC 1918) range; with privateCluster: false the API endpoint is public and sees only public source addresses, so this range admits nobody.`,
        path: ["spec", "network", "adminCidrs", i],
        found: raw,
        hint: "list the public egress range of your office or VPN, or keep privateCluster: true, where private ranges reach the private endpoint.",
      }),
    ];
  });
}
