/**
 * One EKS managed node group with its launch template: IMDSv2 required with a hop limit of 1
 * (pods cannot reach the node's credentials; they use IRSA), an encrypted gp3 root volume, the
 * EKS-optimized AL2023 image (the NVIDIA variant for GPU pools), SPOT or ON_DEMAND capacity,
 * labels and taints, and the cluster-autoscaler tags on the node group's Auto Scaling group that
 * scale-from-zero needs (the autoscaler cannot see labels or taints of a group without nodes).
 *
 * Managed node group `tags` do not propagate to the Auto Scaling group, so the autoscaler tags
 * are `aws_autoscaling_group_tag` resources on the ASG the node group reports.
 *
 * Construct ids are API: the node group is `Resource`, the launch template `launch-template`,
 * the ASG tags `asg-tag-<tag key, hyphenated>`.
 *
 * A change of instance type, capacity type (spot), AMI type or subnets (zones) forces a new node
 * group (the provider marks `instance_types`, `capacity_type`, `ami_type` and `subnet_ids` ForceNew). The group is
 * create_before_destroy, so the new one is up before EKS drains the old one, and its name
 * carries a hash of exactly those attributes (`<name>-<8 hex>`), so the two never collide. The
 * name is ignored after creation: a group deployed under another name (v0.1 used the plain
 * pool name) keeps it, and only a replacement takes the new one.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization, type ITerraformDependable } from "cdktf";
import { AutoscalingGroupTagA } from "@cdktf/provider-aws/lib/autoscaling-group-tag/index.js";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";

export type KubernetesTaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: KubernetesTaintEffect;
}

export interface ManagedNodeGroupProps {
  /** Cluster name (a reference to the cluster, so the group waits for it). */
  readonly clusterName: string;
  /** Literal cluster name for the `k8s.io/cluster-autoscaler/<cluster>` tag key. */
  readonly autoscalerClusterName: string;
  readonly nodeGroupName: string;
  readonly launchTemplateName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  readonly instanceType: string;
  /** `AL2023_x86_64_NVIDIA` for GPU pools, `AL2023_x86_64_STANDARD` otherwise. */
  readonly amiType: string;
  /** @default false */
  readonly spot?: boolean;
  /** May be 0. */
  readonly minSize: number;
  /** At least 1 (EKS rejects a maximum of 0). */
  readonly maxSize: number;
  /** Root volume size. @default 100 */
  readonly diskSizeGiB?: number;
  /** Encrypts the root volume. */
  readonly kmsKeyArn: string;
  /** Kubernetes labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Kubernetes taints (Kubernetes effect spelling). @default [] */
  readonly taints?: readonly NodeTaint[];
  /** GPUs per node, advertised to the autoscaler for scale from zero. @default 0 */
  readonly gpuCount?: number;
  /** Tags of the instances and volumes (provider default_tags do not reach them). @default {} */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /** What must exist before nodes join (the CNI add-on). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

const EKS_TAINT_EFFECT: Record<KubernetesTaintEffect, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;
  /** Tag key → value put on the node group's Auto Scaling group. */
  readonly autoscalerTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    if (!Number.isInteger(props.minSize) || props.minSize < 0 || props.maxSize < 1 || props.minSize > props.maxSize) {
      throw new Error(
        `node group ${props.nodeGroupName}: need 0 <= min <= max and max >= 1, got min ${props.minSize}, max ${props.maxSize}`,
      );
    }
    const diskSizeGiB = props.diskSizeGiB ?? 100;
    const labels = props.labels ?? {};
    const taints = props.taints ?? [];
    const instanceTags = { ...(props.instanceTags ?? {}), Name: props.nodeGroupName };

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: props.launchTemplateName,
      description: `mlplat node group ${props.nodeGroupName}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: diskSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: props.kmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
        { resourceType: "network-interface", tags: instanceTags },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, "Resource", {
      clusterName: props.clusterName,
      nodeGroupName: replacementName(props.nodeGroupName, [
        props.instanceType,
        props.spot ? "SPOT" : "ON_DEMAND",
        props.amiType,
        // The subnets as references (`${aws_subnet.network_private-a.id}`): nodePools[].zones.
        JSON.stringify(Tokenization.resolve(props.subnetIds, { scope: this, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })),
      ]),
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: props.amiType,
      capacityType: props.spot ? "SPOT" : "ON_DEMAND",
      instanceTypes: [props.instanceType],
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.minSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      labels: { ...labels },
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] })),
      // The cluster-autoscaler owns the desired size once the group exists. The name is set at
      // creation only (see the top of this file); a replacement comes up before the old group drains.
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size", "node_group_name"], createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });

    const tags: Record<string, string> = {
      "k8s.io/cluster-autoscaler/enabled": "true",
      [`k8s.io/cluster-autoscaler/${props.autoscalerClusterName}`]: "owned",
      "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType": props.spot ? "SPOT" : "ON_DEMAND",
      "k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage": `${diskSizeGiB}Gi`,
    };
    for (const [k, v] of Object.entries(labels)) tags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    for (const t of taints) tags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value}:${t.effect}`;
    if (props.gpuCount) tags["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"] = String(props.gpuCount);
    this.autoscalerTags = tags;

    const asgName = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    const used = new Set<string>();
    for (const [key, value] of Object.entries(tags)) {
      let tagId = `asg-tag-${key.replace(/^k8s\.io\/cluster-autoscaler\//, "").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase()}`;
      while (used.has(tagId)) tagId += "-x";
      used.add(tagId);
      new AutoscalingGroupTagA(this, tagId, {
        autoscalingGroupName: asgName,
        tag: { key, value, propagateAtLaunch: false },
      });
    }
  }
}

/** EKS node group names: at most 63 characters. */
const NODE_GROUP_NAME_MAX = 63;

/**
 * `<base>-<first 8 hex of sha256(attributes)>`, the base shortened to fit 63 characters: a name
 * that changes exactly when an attribute forcing a new node group changes.
 */
export function replacementName(base: string, forcing: readonly string[]): string {
  const hash = createHash("sha256").update(forcing.join("\n")).digest("hex").slice(0, 8);
  return `${base.slice(0, NODE_GROUP_NAME_MAX - 9).replace(/-+$/, "")}-${hash}`;
}
