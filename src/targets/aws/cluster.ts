import type { NodePoolModel, PlatformModel } from "../../model/platform.js";
import { deriveName } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import type { AwsPlatformProps } from "../../../stacks/aws/platform-stack.js";
import type { NodeGroupSpec } from "../../../stacks/aws/platform-cluster.js";
import { EKS_ADDON_VERSIONS } from "./addons.js";
import { awsTags } from "./account.js";
import { IAM_ROLE, NODE_GROUP } from "./names.js";
import { zoneSubnets } from "./network.js";

/** EKS managed node group AMI types: the NVIDIA variant (driver and container toolkit) for GPU pools. */
export const GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA";
export const CPU_AMI_TYPE = "AL2023_x86_64_STANDARD";

/**
 * `nodePools[].zones` as indexes into the platform's zones (the private subnets, in order). The
 * zones are AZ names derived from the region (src/targets/aws/network.ts); a zone the VPC has no
 * subnet in is an error at the zone.
 */
function zoneIndexes(model: PlatformModel, p: NodePoolModel): number[] {
  const platformZones = zoneSubnets(model.region, model.network.cidr).map((z) => z.zone);
  const poolIndex = model.cluster!.nodePools.indexOf(p);
  return p.zones!.map((zone, j) => {
    const i = platformZones.indexOf(zone);
    if (i < 0) {
      throw new MlplatError("MLP_AWS_POOL_ZONE", `node pool ${p.name}: the platform's VPC has no subnet in ${zone}; its zones are ${platformZones.join(", ")}.`, {
        path: ["spec", "cluster", "nodePools", poolIndex, "zones", j],
        hint: `use zones among ${platformZones.join(", ")}.`,
      });
    }
    return i;
  });
}

export function resolveCluster(model: PlatformModel, clusterName: string): NonNullable<AwsPlatformProps["cluster"]> {
  const c = model.cluster!;
  const addonVersions = EKS_ADDON_VERSIONS[c.version];
  if (!addonVersions) {
    throw new MlplatError("MLP_AWS_EKS_VERSION", `mlplat has no pinned EKS add-on versions for Kubernetes ${c.version}.`, {
      path: ["spec", "cluster", "version"],
      hint: `use one of ${Object.keys(EKS_ADDON_VERSIONS).join(", ")}, or update EKS_ADDON_VERSIONS in src/targets/aws/addons.ts.`,
    });
  }
  const reserved = ["system", "cluster-role", "cluster-role-policy", "cluster-role-kms", "node-role", "oidc-provider", "aws-node-role", "cluster-autoscaler-role", "api-access", "vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"];
  const instanceTags = awsTags({ ...model.labels, "mlplat-stack": model.stackName });
  const pool = (p: NodePoolModel): NodeGroupSpec => {
    if (reserved.includes(p.name) || p.name.startsWith("admin-") || p.name.startsWith("node-role-policy")) {
      throw new MlplatError("MLP_AWS_RESERVED_NAME", `the node pool name \`${p.name}\` is reserved on AWS (an id of the cluster's own resources).`, {
        path: ["spec", "cluster", "nodePools", c.nodePools.indexOf(p), "name"],
        hint: `rename the pool (for example \`${p.name}-pool\`).`,
      });
    }
    if (p.max < 1) {
      throw new MlplatError("MLP_AWS_POOL_MAX", `node pool ${p.name}: EKS managed node groups need max >= 1, got ${p.max}.`, {
        hint: "set max to 1 or more; min: 0 keeps the pool empty until work arrives.",
      });
    }
    return {
      name: p.name,
      ...(p.zones ? { zoneIndexes: zoneIndexes(model, p) } : {}),
      nodeGroupName: deriveName(model, p.name, NODE_GROUP),
      launchTemplateName: deriveName(model, p.name, { maxLength: 128, separator: "-" }),
      instanceType: p.instanceType,
      amiType: p.gpu ? GPU_AMI_TYPE : CPU_AMI_TYPE,
      spot: p.spot,
      minSize: p.min,
      maxSize: p.max,
      diskSizeGiB: p.diskGiB,
      labels: p.labels,
      taints: p.taints,
      gpuCount: p.gpu?.count,
      instanceTags,
    };
  };
  return {
    clusterName,
    version: c.version,
    privateEndpoint: model.network.privateCluster,
    publicAccessCidrs: model.network.privateCluster ? [] : model.network.adminCidrs,
    // The private endpoint's access path: 443 from these ranges on the cluster security group.
    apiAccessCidrs: model.network.privateCluster ? model.network.adminCidrs : [],
    clusterRoleName: deriveName(model, "eks-cluster", IAM_ROLE),
    nodeRoleName: deriveName(model, "eks-node", IAM_ROLE),
    awsNodeRoleName: deriveName(model, "aws-node", IAM_ROLE),
    clusterAutoscalerRoleName: deriveName(model, "cluster-autoscaler", IAM_ROLE),
    admins: c.admins,
    addonVersions,
    systemPool: {
      name: "system",
      nodeGroupName: deriveName(model, "system", NODE_GROUP),
      launchTemplateName: deriveName(model, "system", { maxLength: 128, separator: "-" }),
      instanceType: c.systemPool.instanceType,
      amiType: CPU_AMI_TYPE,
      minSize: c.systemPool.min,
      maxSize: Math.max(c.systemPool.max, 1),
      diskSizeGiB: 50,
      labels: { "mlplat.io/pool": "system" },
      instanceTags,
    },
    nodePools: c.nodePools.map(pool),
  };
}
