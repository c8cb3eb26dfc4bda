import { fitName } from "../model/names.js";
/**
 * Names and labels the manifests under `<stack>/k8s/` share with the stacks. The pool label is
 * what every cloud's node pools carry (`mlplat.io/pool=<name>`, set by the model); the GPU taint
 * is the one the model puts on GPU pools. Changing any of these breaks scheduling on clusters
 * that already run: they are API.
 */

/** Namespace of every `runtime: kubernetes` endpoint. */
export const SERVING_NAMESPACE = "mlplat-serving";

/** Node label every pool carries: `mlplat.io/pool=<pool name>` (the system pool: `system`). */
export const POOL_LABEL = "mlplat.io/pool";

/** Pod label naming the blueprint endpoint. */
export const ENDPOINT_LABEL = "mlplat.io/endpoint";

/** The extended resource of NVIDIA GPUs, and the key of the taint GPU pools carry. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/**
 * The port serving images listen on: the same contract as the managed runtimes (SageMaker
 * containers serve on 8080, the Container Apps ingress targets 8080), so one image runs on both.
 */
export const SERVING_PORT = 8080;

/** The pool the cluster's own add-ons run on. */
export const SYSTEM_POOL = "system";

/** `app.kubernetes.io/managed-by` of everything mlplat writes. */
export const MANAGED_BY = "mlplat";

/** The label key carrying `MANAGED_BY`. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/**
 * The label every object of `k8s/` carries with the blueprint stack's name (`<name>-<env>`): what
 * tells one stack's objects from another's on the same cluster (deploy's prune selects on it,
 * src/engine/kubernetes-prune.ts).
 */
export const PART_OF_LABEL = "app.kubernetes.io/part-of";

/** Files mlplat writes itself in `k8s/`; the blueprint rule `reservedEndpointNames` keeps endpoints off them. */
export const RESERVED_ENDPOINT_NAMES = ["namespace", "kustomization"] as const;

/**
 * The name of an endpoint's Kubernetes objects (Deployment, Service, ServiceAccount, HPA): the
 * endpoint name fitted to a DNS label. The AWS and GCP targets name the workload identity's
 * ServiceAccount with it, so it lives here, beside the other shared conventions.
 */
export function endpointObjectName(endpoint: string): string {
  return fitName(endpoint, { maxLength: 63, separator: "-" });
}
