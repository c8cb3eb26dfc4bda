/**
 * The `cluster` section: an EKS cluster with a private API endpoint (public only when the
 * blueprint opens it, and then only to `adminCidrs`), KMS envelope encryption of secrets, all
 * five control-plane log types, access entries (authentication mode API: no aws-auth ConfigMap),
 * an IAM OIDC provider for IRSA, the core add-ons pinned to versions the resolver chose, a system
 * node group, one managed node group per blueprint pool, and the IRSA roles of aws-node (the VPC
 * CNI policy is kept off the node role) and of the cluster-autoscaler.
 *
 * Construct ids are API: the cluster is `Resource` (`aws_eks_cluster.cluster`); node groups are
 * named after their pool (`cluster/train`), the system group is `system`; the fixed ids below are
 * reserved pool names on AWS (the resolver rejects them).
 */
import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry/index.js";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association/index.js";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster/index.js";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { ClusterApiAccess } from "./cluster-api-access.js";
import { IrsaRole } from "./irsa-role.js";
import { ManagedNodeGroup, type ManagedNodeGroupProps } from "./managed-node-group.js";
import { policyDocument, serviceTrustPolicy } from "./policies.js";

/**
 * SHA-1 thumbprint of the root CA of the EKS OIDC issuers (Starfield/Amazon root), the value AWS
 * documents. IAM no longer checks it for EKS issuers, but the API wants one; deriving it with
 * the tls provider would need network access at plan time.
 */
export const EKS_OIDC_ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/** Construct ids used by this construct; no node pool may be named like one. */
export const CLUSTER_RESERVED_IDS = [
  "system",
  "cluster-role",
  "node-role",
  "oidc-provider",
  "aws-node-role",
  "cluster-autoscaler-role",
  "api-access",
] as const;

export const CORE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"] as const;
export type CoreAddon = (typeof CORE_ADDONS)[number];

/** A node group as resolved: everything but the references this construct provides. */
export type NodeGroupSpec = Omit<
  ManagedNodeGroupProps,
  "clusterName" | "autoscalerClusterName" | "nodeRoleArn" | "subnetIds" | "kmsKeyArn" | "dependsOn"
> & {
  readonly name: string;
  /**
   * Indexes into `subnetIds` (the platform's zones, in order) of the zones the group's nodes go
   * in: `nodePools[].zones`. Changing them replaces the group (subnet_ids is ForceNew).
   * @default every private subnet
   */
  readonly zoneIndexes?: readonly number[];
};

export interface PlatformClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly version: string;
  /** Private API endpoint only. @default true */
  readonly privateEndpoint?: boolean;
  /** CIDRs allowed to reach a public endpoint (ignored when private). @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Private endpoint: ranges (VPN, peering, on-premises; RFC 1918 allowed) given 443 on the
   * cluster security group, the access path to the API (ignored when public). @default []
   */
  readonly apiAccessCidrs?: readonly string[];
  /** Private subnets for the control-plane ENIs and the nodes. */
  readonly subnetIds: string[];
  readonly kmsKeyArn: string;
  readonly partition: string;
  readonly clusterRoleName: string;
  readonly nodeRoleName: string;
  readonly awsNodeRoleName: string;
  readonly clusterAutoscalerRoleName: string;
  /** IAM principal ARNs given cluster-admin; empty = the deploying identity (bootstrap admin). @default [] */
  readonly admins?: readonly string[];
  /** Pinned add-on versions. */
  readonly addonVersions: Readonly<Record<CoreAddon, string>>;
  readonly systemPool: NodeGroupSpec;
  readonly nodePools: readonly NodeGroupSpec[];
  /** The control-plane log group, created before the cluster so retention and KMS apply. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** What nodes need before they boot (the private subnets' egress: NAT routes, endpoints). @default [] */
  readonly nodesDependOn?: ITerraformDependable[];
}

export class PlatformCluster extends Construct {
  readonly cluster: EksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly clusterAutoscalerRole: IrsaRole;
  /** The OIDC issuer without `https://`, the prefix of IRSA trust conditions. */
  readonly issuerHost: string;
  readonly nodeGroups: Record<string, ManagedNodeGroup> = {};

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    const privateEndpoint = props.privateEndpoint ?? true;
    const admins = props.admins ?? [];
    const p = props.partition;
    const managed = (name: string) => `arn:${p}:iam::aws:policy/${name}`;
    if (!privateEndpoint && (props.publicAccessCidrs ?? []).length === 0) {
      throw new Error(`cluster ${props.clusterName}: a public endpoint needs publicAccessCidrs (never 0.0.0.0/0)`);
    }
    for (const pool of props.nodePools) {
      if ((CLUSTER_RESERVED_IDS as readonly string[]).includes(pool.name) || (CORE_ADDONS as readonly string[]).includes(pool.name)) {
        throw new Error(`cluster: node pool name '${pool.name}' is reserved on AWS`);
      }
    }

    const clusterRole = new IamRole(this, "cluster-role", {
      name: props.clusterRoleName,
      assumeRolePolicy: policyDocument([
        { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-role-policy", {
      role: clusterRole.name,
      policyArn: managed("AmazonEKSClusterPolicy"),
    });
    const clusterKms = new IamRolePolicy(this, "cluster-role-kms", {
      role: clusterRole.id,
      name: "secrets-encryption",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"],
          Resource: props.kmsKeyArn,
        },
      ]),
    });

    this.cluster = new EksCluster(this, "Resource", {
      name: props.clusterName,
      version: props.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: !privateEndpoint,
        publicAccessCidrs: privateEndpoint ? undefined : [...(props.publicAccessCidrs ?? [])],
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.kmsKeyArn } },
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: admins.length === 0,
      },
      // The core add-ons are managed below, pinned; EKS must not install unmanaged copies.
      bootstrapSelfManagedAddons: false,
      // The bootstrap admin is decided once, at creation (ForceNew in the provider:
      // hashicorp/terraform-provider-aws#35824). Without this, adding the first admin (or
      // removing the last) would replace the cluster, its OIDC provider and every workload.
      // Admins added or removed later are access entries only; see stacks/aws/README.md.
      lifecycle: { ignoreChanges: ["access_config[0].bootstrap_cluster_creator_admin_permissions"] },
      dependsOn: [clusterPolicy, clusterKms, ...(props.dependsOn ?? [])],
    });
    const clusterName = this.cluster.name;
    if (privateEndpoint && (props.apiAccessCidrs ?? []).length > 0) {
      new ClusterApiAccess(this, "api-access", { securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId, cidrs: props.apiAccessCidrs ?? [] });
    }

    // Cluster admins by access entry (authentication mode API).
    const usedIds = new Set<string>();
    for (const principalArn of admins) {
      const base = `admin-${(principalArn.split("/").pop() ?? "principal").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
      let entryId = base;
      for (let n = 2; usedIds.has(entryId); n++) entryId = `${base}-${n}`;
      usedIds.add(entryId);
      const entry = new EksAccessEntry(this, entryId, { clusterName, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `${entryId}-policy`, {
        clusterName,
        principalArn,
        policyArn: `arn:${p}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    }

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
      thumbprintList: [EKS_OIDC_ROOT_CA_THUMBPRINT],
    });
    const issuerHost = Fn.replace(issuer, "https://", "");
    this.issuerHost = issuerHost;

    const awsNodeRole = new IrsaRole(this, "aws-node-role", {
      roleName: props.awsNodeRoleName,
      oidcProviderArn: this.oidcProvider.arn,
      issuerHost,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicyArns: [managed("AmazonEKS_CNI_Policy")],
    });
    this.clusterAutoscalerRole = new IrsaRole(this, "cluster-autoscaler-role", {
      roleName: props.clusterAutoscalerRoleName,
      oidcProviderArn: this.oidcProvider.arn,
      issuerHost,
      namespace: "kube-system",
      serviceAccount: "cluster-autoscaler",
      statements: [
        {
          Sid: "Discover",
          Effect: "Allow",
          Action: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup",
          ],
          Resource: "*",
        },
        {
          // Only groups tagged as owned by this cluster can be resized.
          Sid: "ScaleOwnGroups",
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: "*",
          Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: "owned" } },
        },
      ],
    });

    const addon = (name: CoreAddon, extra: { serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[] } = {}) =>
      new EksAddon(this, name, {
        clusterName,
        addonName: name,
        addonVersion: props.addonVersions[name],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });
    // Nodes need the CNI (and kube-proxy) before they can become Ready: these go before compute.
    const beforeCompute = [
      addon("vpc-cni", { serviceAccountRoleArn: awsNodeRole.arn }),
      addon("kube-proxy"),
      addon("eks-pod-identity-agent"),
    ];

    const nodeRole = new IamRole(this, "node-role", { name: props.nodeRoleName, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") });
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
      (policy, i) => new IamRolePolicyAttachment(this, `node-role-policy-${i}`, { role: nodeRole.name, policyArn: managed(policy) }),
    );

    const group = (spec: NodeGroupSpec) => {
      const { name, zoneIndexes, ...rest } = spec;
      this.nodeGroups[name] = new ManagedNodeGroup(this, name, {
        ...rest,
        clusterName,
        autoscalerClusterName: props.clusterName,
        nodeRoleArn: nodeRole.arn,
        subnetIds: zoneIndexes ? zoneIndexes.map((i) => props.subnetIds[i]!) : props.subnetIds,
        kmsKeyArn: props.kmsKeyArn,
        dependsOn: [...beforeCompute, ...nodePolicies, ...(props.nodesDependOn ?? [])],
      });
      return this.nodeGroups[name];
    };
    const system = group({ ...props.systemPool, name: "system" });
    // CoreDNS is a Deployment: its add-on only becomes ACTIVE once nodes can run it.
    addon("coredns", { dependsOn: [system.nodeGroup] });
    // The HorizontalPodAutoscalers mlplat writes for `runtime: kubernetes` endpoints read pod
    // metrics; EKS ships no metrics-server. The EKS community add-on provides it. Its version is
    // left to EKS's default for the cluster version (not in EKS_ADDON_VERSIONS: community add-on
    // versions are not published per Kubernetes minor the way core add-ons are).
    new EksAddon(this, "metrics-server", {
      clusterName,
      addonName: "metrics-server",
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: [system.nodeGroup],
    });
    for (const pool of props.nodePools) group(pool);
  }
}
