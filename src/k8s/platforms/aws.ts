import type { ImageRef, PlatformModel } from "../../model/platform.js";
import type { AwsPlatformProps } from "../../targets/aws/index.js";
import { modelKey, type ManifestPlatform } from "./manifest-platform.js";
import { MlplatError } from "../../util/errors.js";

/**
 * EKS as the manifests see it, read from the props the AWS stack is built from: ECR image URLs,
 * no spot taint (EKS labels spot nodes but does not taint them), the NVIDIA device plugin to
 * install (the AL2023 NVIDIA AMI ships the driver and container toolkit, not the plugin), and
 * the cluster-autoscaler with the IRSA role `PlatformCluster` creates
 * (`cluster/cluster-autoscaler-role`, trusted for `kube-system:cluster-autoscaler`). Endpoints
 * that load a model get the IRSA role the stack creates for their service account
 * (`serving/<endpoint>`), through the `eks.amazonaws.com/role-arn` annotation.
 */
export function awsKubernetesPlatform(model: PlatformModel, props: AwsPlatformProps): ManifestPlatform {
  const cluster = props.cluster;
  if (!cluster) throw internal(`the AWS props of ${model.stackName} have no cluster`);
  const workloadRoles = new Map((props.kubernetesWorkloadRoles ?? []).map((r) => [r.name, r.roleArn]));
  return {
    clusterName: cluster.clusterName,
    imageUri(ref: ImageRef): string {
      if (ref.kind === "uri") return ref.uri;
      const url = props.registryUrls[ref.repository];
      if (!url) throw internal(`image repository ${ref.repository} is not in the AWS registry props`);
      return `${url}:${ref.tag}`;
    },
    spotTaints: [],
    spotLabels: { "eks.amazonaws.com/capacityType": "SPOT" },
    devicePlugin: true,
    clusterAutoscaler: {
      roleArn: `arn:${props.partition}:iam::${props.accountId}:role/${cluster.clusterAutoscalerRoleName}`,
      region: props.region,
      kubernetesVersion: cluster.version,
    },
    modelUri(m): string {
      const bucket = props.bucketNames[m.bucket];
      if (!bucket) throw internal(`model bucket ${m.bucket} is not in the AWS storage props`);
      return `s3://${bucket}/${modelKey(m.path)}`;
    },
    workloadIdentity(endpoint: string): Readonly<Record<string, string>> {
      const roleArn = workloadRoles.get(endpoint);
      return roleArn ? { "eks.amazonaws.com/role-arn": roleArn } : {};
    },
  };
}

function internal(message: string): MlplatError {
  return new MlplatError("MLP_K8S_INTERNAL", message, { exitCode: 70 });
}
