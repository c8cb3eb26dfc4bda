import type { PlatformModel } from "../model/platform.js";
import type { KubernetesPlatform } from "../targets/target.js";
import { MANAGED_BY, POOL_LABEL } from "./conventions.js";
import type { ManifestDoc } from "./render.js";
import { CRITICAL_ADDONS_TOLERATION, GPU_TOLERATION, tolerate, uniqueTolerations } from "./tolerations.js";
import { NVIDIA_DEVICE_PLUGIN_IMAGE } from "./versions.js";

/**
 * `k8s/platform/nvidia-device-plugin.yaml`: NVIDIA's static DaemonSet (deployments/static in
 * NVIDIA/k8s-device-plugin) for clouds whose GPU nodes come with the driver but without the
 * plugin (EKS, AKS). Without it no node advertises `nvidia.com/gpu` and GPU pods stay Pending.
 * It runs only on GPU pools (node affinity on their pool labels) and tolerates everything those
 * pools are tainted with: the GPU taint, the pools' own taints, the cloud's spot taints.
 * Undefined when the cloud manages the plugin or the cluster has no GPU pool.
 */
export function devicePluginManifest(model: PlatformModel, platform: KubernetesPlatform): ManifestDoc[] | undefined {
  const gpuPools = (model.cluster?.nodePools ?? []).filter((p) => p.gpu);
  if (!platform.devicePlugin || gpuPools.length === 0) return undefined;
  const selector = { "app.kubernetes.io/name": "nvidia-device-plugin" };
  const labels = { ...selector, "app.kubernetes.io/part-of": model.stackName, "app.kubernetes.io/managed-by": MANAGED_BY };
  const tolerations = uniqueTolerations([
    GPU_TOLERATION,
    CRITICAL_ADDONS_TOLERATION,
    ...platform.spotTaints.map(tolerate),
    ...gpuPools.flatMap((p) => p.taints.map(tolerate)),
  ]);
  return [
    {
      comment: [`NVIDIA device plugin for the GPU pools ${gpuPools.map((p) => p.name).join(", ")} of ${platform.clusterName}.`],
      object: {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "nvidia-device-plugin-daemonset", namespace: "kube-system", labels },
        spec: {
          selector: { matchLabels: selector },
          updateStrategy: { type: "RollingUpdate" },
          template: {
            metadata: { labels },
            spec: {
              // Critical add-on: kept and rescheduled before workloads when a node runs short.
              priorityClassName: "system-node-critical",
              tolerations,
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: "In", values: gpuPools.map((p) => p.name).sort() }] }],
                  },
                },
              },
              containers: [
                {
                  name: "nvidia-device-plugin-ctr",
                  image: NVIDIA_DEVICE_PLUGIN_IMAGE,
                  env: [{ name: "FAIL_ON_INIT_ERROR", value: "false" }],
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                  volumeMounts: [{ name: "kubelet-device-plugins-dir", mountPath: "/var/lib/kubelet/device-plugins" }],
                },
              ],
              volumes: [{ name: "kubelet-device-plugins-dir", hostPath: { path: "/var/lib/kubelet/device-plugins", type: "Directory" } }],
            },
          },
        },
      },
    },
  ];
}
