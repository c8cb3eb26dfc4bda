import type { EndpointModel, PlatformModel } from "../../model/platform.js";
import { deriveName } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import { SERVING_NAMESPACE, endpointObjectName } from "../../k8s/conventions.js";
import { GCP_NAME_RULES, gcpLabels } from "./names.js";
import { resolveCloudRunRollout } from "./rollout.js";
import type { GcpAcceleratorProps, GcpBucketProps, GcpEndpointProps, GcpRepoProps, GcpWorkloadIdentityProps } from "./props.js";

/** Serving: Cloud Run services (managed endpoints) and the Workload Identity of Kubernetes ones. */

/** Cloud Run's floor for a GPU instance: 4 vCPU and 16 GiB. */
const CLOUD_RUN_GPU_MIN_CPU = 4;
const CLOUD_RUN_GPU_MIN_MEMORY_GIB = 16;
/** Cloud Run's ceiling: 8 vCPU, 32 GiB. */
const CLOUD_RUN_MAX_CPU = 8;
const CLOUD_RUN_MAX_MEMORY_GIB = 32;

export function resolveEndpoint(
  model: PlatformModel,
  e: EndpointModel,
  repos: ReadonlyMap<string, GcpRepoProps>,
  buckets: readonly GcpBucketProps[],
): GcpEndpointProps {
  const where = `spec.serving.endpoints[${e.name}]`;
  let accelerator: GcpAcceleratorProps | undefined;
  if (e.gpu) {
    if (e.gpu.type !== "L4" || e.gpu.count !== 1) {
      throw new MlplatError(
        "MLP_GCP_CLOUD_RUN_GPU",
        `${where}: Cloud Run offers exactly one L4 GPU per instance, not ${e.gpu.count} × ${e.gpu.type}`,
        { hint: "use gpu: { type: L4, count: 1 }, or runtime: kubernetes to serve on a GKE GPU pool" },
      );
    }
    accelerator = { type: e.gpu.acceleratorId ?? "nvidia-l4", count: 1 };
  }
  let cpu = e.cpu;
  let memoryGiB = e.memoryGiB;
  if (accelerator) {
    cpu = Math.max(cpu, CLOUD_RUN_GPU_MIN_CPU);
    memoryGiB = Math.max(memoryGiB, CLOUD_RUN_GPU_MIN_MEMORY_GIB);
  }
  if (cpu > CLOUD_RUN_MAX_CPU || memoryGiB > CLOUD_RUN_MAX_MEMORY_GIB) {
    throw new MlplatError("MLP_GCP_CLOUD_RUN_SIZE", `${where}: Cloud Run instances have at most 8 vCPU and 32 GiB (asked ${cpu} vCPU, ${memoryGiB} GiB)`, {
      hint: "use runtime: kubernetes for larger replicas",
    });
  }
  // Cloud Run takes whole CPUs above 1 and memory in Mi/Gi.
  const cpuLimit = cpu >= 1 ? String(Math.ceil(cpu)) : String(cpu);
  const memory = Number.isInteger(memoryGiB) ? `${memoryGiB}Gi` : `${Math.ceil(memoryGiB * 1024)}Mi`;

  let image: string;
  let repositoryId: string | undefined;
  if (e.image.kind === "repository") {
    const repo = repos.get(e.image.repository);
    if (!repo) {
      throw new MlplatError("MLP_GCP_IMAGE_REPO", `${where}: image repository ${e.image.repository} is not declared`, {
        hint: "declare it under spec.registry.images or give a full image URI",
      });
    }
    image = `${repo.url}/${e.image.repository}:${e.image.tag}`;
    repositoryId = repo.id;
  } else {
    image = e.image.uri;
  }

  let modelUri: string | undefined;
  if (e.model) {
    const bucket = buckets.find((b) => b.id === e.model!.bucket);
    if (!bucket) {
      throw new MlplatError("MLP_GCP_MODEL_BUCKET", `${where}: model bucket ${e.model.bucket} is not declared`, {
        hint: "declare it under spec.storage.buckets",
      });
    }
    modelUri = `gs://${bucket.name}/${e.model.path.replace(/^\/+/, "")}`;
  }

  const serviceName = deriveName(model, e.name, GCP_NAME_RULES.cloudRunService);
  const serviceAccountId = deriveName(model, `run-${e.name}`, GCP_NAME_RULES.serviceAccount);
  const scaling = { minInstances: e.autoscaling.min, maxInstances: e.autoscaling.max, concurrency: e.autoscaling.targetConcurrency };
  return {
    id: e.name,
    serviceName,
    serviceAccountId,
    rollout: resolveCloudRunRollout(e, serviceName, { image, cpu: cpuLimit, memory, accelerator, ...scaling, modelUri, serviceAccountId, labels: gcpLabels(model.labels) }),
    image,
    repositoryId,
    cpu: cpuLimit,
    memory,
    accelerator,
    minInstances: e.autoscaling.min,
    maxInstances: e.autoscaling.max,
    concurrency: e.autoscaling.targetConcurrency,
    modelBucketId: e.model?.bucket,
    modelUri,
    latencyP99Ms: e.alarms.latencyP99Ms,
    errorRatePercent: e.alarms.errorRatePercent,
  };
}

/**
 * One Google service account per `runtime: kubernetes` endpoint that reads a model: `k8s-<endpoint>`
 * (the Cloud Run ones are `run-<endpoint>`, the nodes' `gke-nodes`: the prefixes keep the ids
 * apart, and a cut name ends with a hash of the whole). The Kubernetes ServiceAccount
 * is named like the endpoint's Deployment (`endpointObjectName` in src/k8s/conventions.ts).
 */
export function resolveWorkloadIdentities(model: PlatformModel, project: string, buckets: readonly GcpBucketProps[]): GcpWorkloadIdentityProps[] {
  return model.endpoints
    .filter((e) => e.runtime === "kubernetes" && e.model)
    .map((e) => {
      const bucket = e.model!.bucket;
      if (!buckets.some((b) => b.id === bucket)) {
        throw new MlplatError("MLP_GCP_MODEL_BUCKET", `spec.serving.endpoints[${e.name}]: model bucket ${bucket} is not declared`, {
          hint: "declare it under spec.storage.buckets",
        });
      }
      const serviceAccountId = deriveName(model, `k8s-${e.name}`, GCP_NAME_RULES.serviceAccount);
      return {
        id: e.name,
        serviceAccountId,
        email: `${serviceAccountId}@${project}.iam.gserviceaccount.com`,
        workloadPool: `${project}.svc.id.goog`,
        namespace: SERVING_NAMESPACE,
        kubernetesServiceAccount: endpointObjectName(e.name),
        modelBucketId: bucket,
      };
    });
}
