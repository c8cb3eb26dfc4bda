import { MlplatError } from "../util/errors.js";

/**
 * Add-on images, pinned so a synth today and a synth next month write the same manifests.
 * Update deliberately, from the projects' release pages, and review the diff like code.
 */

/**
 * NVIDIA k8s-device-plugin (https://github.com/NVIDIA/k8s-device-plugin/releases). v0.17 is
 * the line the static DaemonSet manifest of the project documents for driver-installed nodes
 * (EKS AL2023 NVIDIA AMI, AKS `gpu_driver = "Install"`).
 */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = "nvcr.io/nvidia/k8s-device-plugin:v0.17.4";

/**
 * Argo Rollouts (https://github.com/argoproj/argo-rollouts/releases), the controller behind
 * `rollout` on `runtime: kubernetes` endpoints. v1.9.1 is the release that fixed the
 * vulnerabilities reported against v1.9.0 (argoproj/argo-rollouts#4667). The controller and
 * CRD manifest mlplat writes for it is src/k8s/argo-rollouts.ts.
 */
export const ARGO_ROLLOUTS_VERSION = "v1.9.1";
export const ARGO_ROLLOUTS_IMAGE = `quay.io/argoproj/argo-rollouts:${ARGO_ROLLOUTS_VERSION}`;

/**
 * cluster-autoscaler releases per Kubernetes minor version: the autoscaler's minor must match
 * the cluster's (it compiles in that minor's scheduler). Latest patch of each line from
 * https://github.com/kubernetes/autoscaler/releases. Covers every minor the AWS target pins EKS
 * add-ons for (a test keeps the two tables in step).
 */
export const CLUSTER_AUTOSCALER_VERSIONS: Readonly<Record<string, string>> = {
  "1.32": "v1.32.7",
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
};

export function clusterAutoscalerImage(kubernetesVersion: string): string {
  const tag = CLUSTER_AUTOSCALER_VERSIONS[kubernetesVersion];
  if (!tag) {
    throw new MlplatError(
      "MLP_K8S_AUTOSCALER_VERSION",
      `mlplat has no pinned cluster-autoscaler release for Kubernetes ${kubernetesVersion} (it has ${Object.keys(CLUSTER_AUTOSCALER_VERSIONS).join(", ")}).`,
      { hint: "use one of those cluster versions, or add the matching release to CLUSTER_AUTOSCALER_VERSIONS in src/k8s/versions.ts." },
    );
  }
  return `registry.k8s.io/autoscaling/cluster-autoscaler:${tag}`;
}
