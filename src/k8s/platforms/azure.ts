import type { ImageRef, PlatformModel, Taint, TaintEffect } from "../../model/platform.js";
import { AKS_SPOT_LABEL, AKS_SPOT_TAINT, imageUrl, type AzurePlatformProps } from "../../targets/azure/index.js";
import { modelKey, type ManifestPlatform } from "./manifest-platform.js";
import { MlplatError } from "../../util/errors.js";

/**
 * AKS as the manifests see it: ACR image URLs (the Azure target's own `imageUrl`), the taint AKS
 * puts on every Spot node, and the NVIDIA device plugin to install: the GPU pools set
 * `gpu_driver = "Install"` (stacks/azure/aks-node-pool.ts), which installs the driver only.
 * No autoscaler: AKS runs the cluster autoscaler itself for pools with autoscaling on.
 */
export function azureKubernetesPlatform(model: PlatformModel, props: AzurePlatformProps): ManifestPlatform {
  const cluster = props.cluster;
  if (!cluster) throw new MlplatError("MLP_K8S_INTERNAL", `the Azure props of ${model.stackName} have no cluster`, { exitCode: 70 });
  return {
    clusterName: cluster.name,
    imageUri: (ref: ImageRef) => imageUrl(ref, props.registry.loginServer),
    // The blob URL the Container Apps runtime passes as MODEL_URI (public Azure cloud endpoint).
    modelUri(m): string {
      const container = props.storage.containers.find((c) => c.bucket === m.bucket);
      if (!container) throw new MlplatError("MLP_K8S_INTERNAL", `model bucket ${m.bucket} is not in the Azure storage props`, { exitCode: 70 });
      return `https://${props.storage.accountName}.blob.core.windows.net/${container.name}/${modelKey(m.path)}`;
    },
    spotTaints: [parseTaint(AKS_SPOT_TAINT)],
    spotLabels: { [AKS_SPOT_LABEL.key]: AKS_SPOT_LABEL.value },
    devicePlugin: true,
  };
}

/** `key=value:Effect` → a taint. */
export function parseTaint(s: string): Taint {
  const m = /^([^=:]+)=([^:]*):(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
  if (!m) throw new MlplatError("MLP_K8S_INTERNAL", `not a taint: ${s}`, { exitCode: 70 });
  return { key: m[1]!, value: m[2]!, effect: m[3] as TaintEffect };
}
