import type { ImageRef, PlatformModel } from "../../model/platform.js";
import type { GcpPlatformProps } from "../../targets/gcp/index.js";
import { modelKey, type ManifestPlatform } from "./manifest-platform.js";
import { MlplatError } from "../../util/errors.js";

/**
 * GKE as the manifests see it: Artifact Registry image URLs (the same
 * `<repository url>/<image name>:<tag>` the GCP target gives Cloud Run), no device plugin (GKE
 * installs the driver and runs its own plugin on accelerator pools), no autoscaler (node pool
 * autoscaling is GKE's), and the label GKE puts on Spot nodes. GKE adds no taint of its own to
 * Spot nodes, so there is none to tolerate. Endpoints that load a model run as the Google
 * service account the stack creates for them (`serving/<endpoint>`, Workload Identity), through
 * the `iam.gke.io/gcp-service-account` annotation of their Kubernetes ServiceAccount.
 */
export function gcpKubernetesPlatform(model: PlatformModel, props: GcpPlatformProps): ManifestPlatform {
  const cluster = props.cluster;
  if (!cluster) throw new MlplatError("MLP_K8S_INTERNAL", `the GCP props of ${model.stackName} have no cluster`, { exitCode: 70 });
  const repos = new Map(props.repositories.map((r) => [r.id, r]));
  const identities = new Map(props.workloadIdentities.map((w) => [w.id, w.email]));
  return {
    clusterName: cluster.name,
    imageUri(ref: ImageRef): string {
      if (ref.kind === "uri") return ref.uri;
      const repo = repos.get(ref.repository);
      if (!repo) throw new MlplatError("MLP_K8S_INTERNAL", `image repository ${ref.repository} is not in the GCP registry props`, { exitCode: 70 });
      return `${repo.url}/${ref.repository}:${ref.tag}`;
    },
    modelUri(m): string {
      const bucket = props.buckets.find((b) => b.id === m.bucket);
      if (!bucket) throw new MlplatError("MLP_K8S_INTERNAL", `model bucket ${m.bucket} is not in the GCP storage props`, { exitCode: 70 });
      return `gs://${bucket.name}/${modelKey(m.path)}`;
    },
    spotTaints: [],
    spotLabels: { "cloud.google.com/gke-spot": "true" },
    devicePlugin: false,
    workloadIdentity(endpoint: string): Readonly<Record<string, string>> {
      const email = identities.get(endpoint);
      return email ? { "iam.gke.io/gcp-service-account": email } : {};
    },
  };
}
