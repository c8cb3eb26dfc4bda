import type { PlatformModel } from "../model/platform.js";
import { MANAGED_BY, SERVING_NAMESPACE } from "./conventions.js";
import type { ManifestDoc } from "./render.js";

/**
 * `k8s/namespace.yaml`: the serving namespace, with the `restricted` Pod Security Standard
 * enforced (the serving pods are written to meet it), pinned to the cluster's minor version so
 * a cluster upgrade does not change what is admitted.
 */
export function servingNamespace(model: PlatformModel): ManifestDoc {
  const version = model.cluster ? `v${model.cluster.version}` : "latest";
  return {
    object: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: SERVING_NAMESPACE,
        labels: {
          "app.kubernetes.io/part-of": model.stackName,
          "app.kubernetes.io/managed-by": MANAGED_BY,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": version,
        },
      },
    },
  };
}
