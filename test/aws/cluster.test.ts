import { describe, expect, it } from "vitest";
import { AutoscalingGroupTagA } from "@cdktf/provider-aws/lib/autoscaling-group-tag/index.js";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry/index.js";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association/index.js";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster/index.js";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group/index.js";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { IrsaRole } from "../../stacks/aws/irsa-role.js";
import { ManagedNodeGroup, type ManagedNodeGroupProps } from "../../stacks/aws/managed-node-group.js";
import { EKS_OIDC_ROOT_CA_THUMBPRINT, PlatformCluster, type PlatformClusterProps } from "../../stacks/aws/platform-cluster.js";
import { policyOf, synthConstruct } from "./synth.js";

const gpuPool: ManagedNodeGroupProps = {
  clusterName: "fraud-default",
  autoscalerClusterName: "fraud-default",
  nodeGroupName: "fraud-default-train",
  launchTemplateName: "fraud-default-train",
  nodeRoleArn: "arn:role",
  subnetIds: ["subnet-a", "subnet-b"],
  instanceType: "p4de.24xlarge",
  amiType: "AL2023_x86_64_NVIDIA",
  spot: true,
  minSize: 0,
  maxSize: 4,
  diskSizeGiB: 500,
  kmsKeyArn: "arn:key",
  labels: { workload: "training", "mlplat.io/pool": "train" },
  taints: [
    { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
    { key: "team", value: "risk", effect: "PreferNoSchedule" },
  ],
  gpuCount: 8,
  instanceTags: { owner: "risk-ml@example.com" },
};

describe("ManagedNodeGroup", () => {
  const t = synthConstruct((s) => void new ManagedNodeGroup(s, "train", gpuPool));

  it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume of the pool's size", () => {
    const lt = t.resource(LaunchTemplate.tfResourceType, "train_launch-template");
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
    expect(lt.block_device_mappings).toEqual([
      expect.objectContaining({
        device_name: "/dev/xvda",
        ebs: expect.objectContaining({ volume_size: 500, volume_type: "gp3", encrypted: "true", kms_key_id: "arn:key" }),
      }),
    ]);
    expect(lt.image_id).toBeUndefined();
    expect(lt.tag_specifications[0]).toMatchObject({ resource_type: "instance", tags: { owner: "risk-ml@example.com", Name: "fraud-default-train" } });
  });

  it("creates a SPOT NVIDIA node group that scales from zero with EKS taint effects", () => {
    const ng = t.resource(EksNodeGroup.tfResourceType, "train");
    expect(ng).toMatchObject({
      ami_type: "AL2023_x86_64_NVIDIA",
      capacity_type: "SPOT",
      instance_types: ["p4de.24xlarge"],
      scaling_config: { min_size: 0, max_size: 4, desired_size: 0 },
      labels: { workload: "training", "mlplat.io/pool": "train" },
      launch_template: { id: "${aws_launch_template.train_launch-template.id}" },
      // The name is set at creation only; an instance type, capacity or AMI change brings up a
      // new, differently named group before the old one drains (issue 14).
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size", "node_group_name"], create_before_destroy: true },
    });
    expect(ng.node_group_name).toMatch(/^fraud-default-train-[0-9a-f]{8}$/);
    expect(ng.taint).toEqual([
      { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
      { key: "team", value: "risk", effect: "PREFER_NO_SCHEDULE" },
    ]);
  });

  it("tags the node group's Auto Scaling group for the cluster-autoscaler's scale from zero", () => {
    const tags = Object.values(t.resources(AutoscalingGroupTagA.tfResourceType));
    const byKey = Object.fromEntries(tags.map((r) => [r.tag.key, r.tag.value]));
    expect(byKey).toMatchObject({
      "k8s.io/cluster-autoscaler/enabled": "true",
      "k8s.io/cluster-autoscaler/fraud-default": "owned",
      "k8s.io/cluster-autoscaler/node-template/label/workload": "training",
      "k8s.io/cluster-autoscaler/node-template/label/mlplat.io/pool": "train",
      "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "present:NoSchedule",
      "k8s.io/cluster-autoscaler/node-template/taint/team": "risk:PreferNoSchedule",
      "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu": "8",
      "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType": "SPOT",
    });
    for (const r of tags) {
      expect(r.autoscaling_group_name).toBe("${aws_eks_node_group.train.resources[0].autoscaling_groups[0].name}");
      expect(r.tag.propagate_at_launch).toBe(false);
    }
  });

  it("uses the standard AMI and ON_DEMAND for a CPU pool without GPU resources", () => {
    const c = synthConstruct(
      (s) => void new ManagedNodeGroup(s, "cpu", { ...gpuPool, amiType: "AL2023_x86_64_STANDARD", spot: false, gpuCount: undefined, taints: [], minSize: 1 }),
    );
    expect(c.resource(EksNodeGroup.tfResourceType, "cpu")).toMatchObject({ ami_type: "AL2023_x86_64_STANDARD", capacity_type: "ON_DEMAND" });
    const keys = Object.values(c.resources(AutoscalingGroupTagA.tfResourceType)).map((r) => r.tag.key);
    expect(keys.some((k) => k.includes("nvidia.com/gpu"))).toBe(false);
  });

  it("throws on a maximum of zero, which EKS rejects", () => {
    expect(() => synthConstruct((s) => void new ManagedNodeGroup(s, "x", { ...gpuPool, maxSize: 0 }))).toThrow(/max >= 1/);
  });
});

describe("IrsaRole", () => {
  it("trusts only the service account through the cluster's OIDC provider", () => {
    const t = synthConstruct(
      (s) =>
        void new IrsaRole(s, "role", {
          roleName: "r",
          oidcProviderArn: "arn:oidc",
          issuerHost: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
          namespace: "kube-system",
          serviceAccount: "aws-node",
          managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
        }),
    );
    const trust = policyOf(t.resource(IamRole.tfResourceType, "role"), "assume_role_policy").Statement[0];
    expect(trust).toEqual({
      Effect: "Allow",
      Principal: { Federated: "arn:oidc" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:aws-node",
          "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
        },
      },
    });
    t.hasResourceWithProperties(IamRolePolicyAttachment.tfResourceType, { policy_arn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" });
  });
});

const clusterProps: PlatformClusterProps = {
  clusterName: "fraud-default",
  version: "1.33",
  subnetIds: ["subnet-a", "subnet-b"],
  kmsKeyArn: "arn:key",
  partition: "aws",
  clusterRoleName: "fraud-default-eks-cluster",
  nodeRoleName: "fraud-default-eks-node",
  awsNodeRoleName: "fraud-default-aws-node",
  clusterAutoscalerRoleName: "fraud-default-cluster-autoscaler",
  addonVersions: { "vpc-cni": "v1", "kube-proxy": "v2", "eks-pod-identity-agent": "v3", coredns: "v4" },
  systemPool: { name: "system", nodeGroupName: "fraud-default-system", launchTemplateName: "fraud-default-system", instanceType: "m6i.large", amiType: "AL2023_x86_64_STANDARD", minSize: 1, maxSize: 3 },
  nodePools: [{ ...gpuPool, name: "train" }],
};

describe("PlatformCluster", () => {
  const t = synthConstruct((s) => void new PlatformCluster(s, "cluster", clusterProps));

  it("creates a private cluster with KMS secrets encryption, all control-plane logs and API access entries", () => {
    expect(t.resource(EksCluster.tfResourceType, "cluster")).toMatchObject({
      name: "fraud-default",
      version: "1.33",
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false, subnet_ids: ["subnet-a", "subnet-b"] },
      encryption_config: { resources: ["secrets"], provider: { key_arn: "arn:key" } },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: true },
      bootstrap_self_managed_addons: false,
    });
    t.resourceCountIs(EksAccessEntry.tfResourceType, 0);
  });

  it("registers the OIDC provider with the derived root CA thumbprint and no tls data source", () => {
    t.hasResourceWithProperties(IamOpenidConnectProvider.tfResourceType, {
      url: "${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}",
      client_id_list: ["sts.amazonaws.com"],
      thumbprint_list: [EKS_OIDC_ROOT_CA_THUMBPRINT],
    });
    expect(t.json.data).toBeUndefined();
  });

  it("pins the four core add-ons, the CNI with its IRSA role, before the node groups; CoreDNS after the system nodes", () => {
    const addons = t.resources(EksAddon.tfResourceType);
    expect(Object.fromEntries(Object.values(addons).map((a) => [a.addon_name, a.addon_version]))).toEqual({
      "vpc-cni": "v1",
      "kube-proxy": "v2",
      "eks-pod-identity-agent": "v3",
      coredns: "v4",
    });
    expect(addons["cluster_vpc-cni"]!.service_account_role_arn).toBe("${aws_iam_role.cluster_aws-node-role.arn}");
    expect(t.resource(EksNodeGroup.tfResourceType, "cluster_train").depends_on).toEqual(
      expect.arrayContaining(["aws_eks_addon.cluster_vpc-cni", "aws_eks_addon.cluster_kube-proxy"]),
    );
    expect(addons["cluster_coredns"]!.depends_on).toEqual(["aws_eks_node_group.cluster_system"]);
  });

  it("adds the metrics-server community add-on on the system nodes, for the endpoints' HorizontalPodAutoscalers", () => {
    const ms = t.resource(EksAddon.tfResourceType, "cluster_metrics-server");
    expect(ms).toMatchObject({ addon_name: "metrics-server", depends_on: ["aws_eks_node_group.cluster_system"] });
    expect(ms.addon_version).toBeUndefined();
  });

  it("gives nodes only the worker and ECR pull-only policies (the CNI policy goes to aws-node)", () => {
    const attached = Object.values(t.resources(IamRolePolicyAttachment.tfResourceType)).map((a) => `${a.role}|${a.policy_arn}`);
    expect(attached.filter((a) => a.startsWith("${aws_iam_role.cluster_node-role.name}")).sort()).toEqual([
      "${aws_iam_role.cluster_node-role.name}|arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "${aws_iam_role.cluster_node-role.name}|arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
    expect(attached).toContain("${aws_iam_role.cluster_aws-node-role.name}|arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
  });

  it("lets the cluster-autoscaler resize only groups tagged as owned by this cluster", () => {
    const policy = policyOf(t.resource(IamRolePolicy.tfResourceType, "cluster_cluster-autoscaler-role_policy")).Statement;
    const scale = policy.find((s) => s.Sid === "ScaleOwnGroups");
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/fraud-default": "owned" } });
    const trust = t.resource(IamRole.tfResourceType, "cluster_cluster-autoscaler-role").assume_role_policy;
    expect(trust).toContain("system:serviceaccount:kube-system:cluster-autoscaler");
  });

  it("creates a system node group and one group per pool", () => {
    expect(Object.keys(t.resources(EksNodeGroup.tfResourceType)).sort()).toEqual(["cluster_system", "cluster_train"]);
  });

  it("gives listed admins access entries with the cluster-admin policy instead of the creator", () => {
    const a = synthConstruct(
      (s) => void new PlatformCluster(s, "cluster", { ...clusterProps, admins: ["arn:aws:iam::123456789012:role/platform-admins"] }),
    );
    expect(a.resource(EksCluster.tfResourceType, "cluster").access_config.bootstrap_cluster_creator_admin_permissions).toBe(false);
    // Decided at creation only: adding or removing admins later must not replace the cluster (issue 14).
    expect(a.resource(EksCluster.tfResourceType, "cluster").lifecycle).toEqual({ ignore_changes: ["access_config[0].bootstrap_cluster_creator_admin_permissions"] });
    a.hasResourceWithProperties(EksAccessEntry.tfResourceType, { principal_arn: "arn:aws:iam::123456789012:role/platform-admins", type: "STANDARD" });
    a.hasResourceWithProperties(EksAccessPolicyAssociation.tfResourceType, {
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
    expect(Object.keys(a.resources(EksAccessEntry.tfResourceType))).toEqual(["cluster_admin-platform-admins"]);
  });

  it("opens a public endpoint only to the admin CIDRs", () => {
    const p = synthConstruct((s) => void new PlatformCluster(s, "cluster", { ...clusterProps, privateEndpoint: false, publicAccessCidrs: ["203.0.113.0/24"] }));
    expect(p.resource(EksCluster.tfResourceType, "cluster").vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
    expect(() => synthConstruct((s) => void new PlatformCluster(s, "cluster", { ...clusterProps, privateEndpoint: false }))).toThrow(/publicAccessCidrs/);
  });

  it("throws when a pool is named like one of the cluster's own resources", () => {
    expect(() => synthConstruct((s) => void new PlatformCluster(s, "cluster", { ...clusterProps, nodePools: [{ ...gpuPool, name: "node-role" }] }))).toThrow(
      /reserved/,
    );
  });
});

describe("node group names for create-before-destroy (issue 14)", () => {
  it("changes the name exactly when an attribute forcing a new group changes, within EKS's 63 characters", async () => {
    const { replacementName } = await import("../../stacks/aws/managed-node-group.js");
    const a = replacementName("fraud-default-train", ["p4de.24xlarge", "SPOT", "AL2023_x86_64_NVIDIA"]);
    expect(replacementName("fraud-default-train", ["p4de.24xlarge", "SPOT", "AL2023_x86_64_NVIDIA"])).toBe(a);
    expect(replacementName("fraud-default-train", ["p5.48xlarge", "SPOT", "AL2023_x86_64_NVIDIA"])).not.toBe(a);
    expect(replacementName("fraud-default-train", ["p4de.24xlarge", "ON_DEMAND", "AL2023_x86_64_NVIDIA"])).not.toBe(a);
    const long = replacementName("x".repeat(63), ["m6i.large", "ON_DEMAND", "AL2023_x86_64_STANDARD"]);
    expect(long.length).toBe(63);
    expect(long).toMatch(/^x{54}-[0-9a-f]{8}$/);
  });
});

describe("a node group's name follows what forces a new group", () => {
  const nameWith = (props: Partial<ManagedNodeGroupProps>) =>
    synthConstruct((s) => void new ManagedNodeGroup(s, "train", { ...gpuPool, ...props })).resource(EksNodeGroup.tfResourceType, "train").node_group_name;

  it("changes with the zones (subnet_ids is ForceNew), the instance type and spot, and with nothing else", () => {
    const base = nameWith({});
    expect(nameWith({ subnetIds: ["subnet-a"] })).not.toBe(base);
    expect(nameWith({ instanceType: "p5.48xlarge" })).not.toBe(base);
    expect(nameWith({ spot: false })).not.toBe(base);
    expect(nameWith({ maxSize: 8, diskSizeGiB: 900, labels: { workload: "x" } })).toBe(base);
  });
});
