import type { Cloud } from "./platform.js";

/**
 * How mlplat (kubectl, run by `mlplat deploy`) reaches a platform's Kubernetes API, per the
 * spec's "Access path" paragraph (v1.1):
 * - public endpoint (`privateCluster: false`): from `adminCidrs`, which the rules require;
 * - aws, private: the EKS private endpoint, with 443 from `adminCidrs` on the cluster security
 *   group (a VPN, peering, Direct Connect or a runner inside the VPC supplies the route);
 * - gcp, private: the GKE DNS-based control-plane endpoint (IAM-authorized), with or without
 *   `adminCidrs`;
 * - azure, private: the AKS private endpoint from `adminCidrs` (peering/VPN), or
 *   `az aks command invoke` by hand.
 * With aws or azure, a private cluster and no `adminCidrs`, nothing mlplat runs can reach the API.
 *
 * Pure: reads only these fields, so it takes the model (`PlatformModel`) or anything shaped
 * like it. The validate rule (MLP_NO_CLUSTER_ACCESS_PATH) warns on `reachable: false`; deploy
 * refuses before any apply unless `--skip-kubernetes`.
 */
export interface AccessPathInput {
  readonly cloud: Cloud;
  readonly cluster?: unknown;
  readonly network: { readonly privateCluster: boolean; readonly adminCidrs: readonly string[] };
}

export interface ClusterAccessPath {
  readonly reachable: boolean;
  /** Short description of the path, for messages and the deploy log. */
  readonly via: string;
  /** Why there is no path (only when `reachable` is false). */
  readonly reason?: string;
}

export function clusterAccessPath(model: AccessPathInput): ClusterAccessPath {
  if (!model.cluster) return { reachable: true, via: "no cluster: nothing to reach" };
  const { privateCluster, adminCidrs } = model.network;
  const from = adminCidrs.join(", ");
  if (!privateCluster) return { reachable: adminCidrs.length > 0, via: `the public API endpoint, from ${from || "no range"}`, ...(adminCidrs.length === 0 ? { reason: "privateCluster: false with no adminCidrs opens the public endpoint to nobody." } : {}) };
  switch (model.cloud) {
    case "gcp":
      return { reachable: true, via: "the GKE DNS-based control-plane endpoint (IAM-authorized)" };
    case "aws":
      if (adminCidrs.length > 0) return { reachable: true, via: `the EKS private endpoint, 443 open to ${from} on the cluster security group (VPN, peering or a runner in the VPC)` };
      return { reachable: false, via: "none", reason: "the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from." };
    case "azure":
      if (adminCidrs.length > 0) return { reachable: true, via: `the AKS private endpoint, from ${from} (VPN or peering)` };
      return { reachable: false, via: "none", reason: "the AKS API endpoint is private and network.adminCidrs is empty, so no network mlplat can run from reaches it (az aks command invoke is the manual fallback)." };
  }
}
