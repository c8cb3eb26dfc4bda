import type { PlatformModel, SynthContext } from "../../model/platform.js";
import { NAME_RULES, deriveName, fitName, globalName, type NameRules } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import { isPrivateCidr, parseCidr } from "../../model/cidr.js";
import { resolveCluster } from "./cluster.js";
import { GCP_NAME_RULES, KMS_ROTATION_SECONDS, SOFT_DELETE_SECONDS, gcpLabels } from "./names.js";
import { resolveNetwork } from "./network.js";
import type {
  GcpBackendProps,
  GcpBucketProps,
  GcpBudgetProps,
  GcpClusterProps,
  GcpEndpointProps,
  GcpKeyProps,
  GcpPlatformProps,
  GcpRepoProps,
} from "./props.js";
import { resolveEndpoint, resolveWorkloadIdentities } from "./serving.js";
import { resolveTracking } from "./tracking.js";
import { resolveWorkspaces } from "./workspaces.js";
import { resolvePipelines } from "./pipelines.js";
import { hcpBackendOf } from "../hcp-backend.js";

/**
 * The GCP resolver: turns the cloud-neutral model into the flat props of `stacks/gcp/`.
 * Pure and deterministic (no cdktf import, no API call): every name, range, label and URL the
 * stack renders is computed here and in its sibling files, so it can be unit-tested.
 */

export function resolveGcp(model: PlatformModel, ctx: SynthContext): GcpPlatformProps {
  const project = model.gcp?.project;
  if (model.cloud !== "gcp" || !project) {
    throw new MlplatError("MLP_GCP_PROJECT", `the gcp target needs spec.gcp.project (cloud is ${model.cloud})`, {
      hint: "add `gcp: { project: <project id> }` under spec",
    });
  }
  const region = model.region;
  const name = (item: string | undefined, rules: NameRules): string => deriveName(model, item, rules);

  const buckets: GcpBucketProps[] = model.buckets.map((b) => {
    const bucketName = globalName(model, b.name, NAME_RULES.dns63);
    if (/google|^goog/.test(bucketName)) {
      throw new MlplatError("MLP_GCP_BUCKET_NAME", `GCS bucket name ${bucketName} contains "google", which GCS forbids`, {
        hint: "rename metadata.name or the bucket so the derived name does not contain `google`",
      });
    }
    return {
      id: b.name,
      name: bucketName,
      versioning: b.versioning,
      nearlineAfterDays: b.tiering?.coolAfterDays,
      archiveAfterDays: b.tiering?.archiveAfterDays,
      deleteAfterDays: b.expireAfterDays,
      protect: b.protect,
      softDeleteRetentionSeconds: SOFT_DELETE_SECONDS,
    };
  });

  const repositories: GcpRepoProps[] = model.registry.images.map((r) => {
    const repositoryId = name(r.name, GCP_NAME_RULES.artifactRepository);
    return {
      id: r.name,
      repositoryId,
      immutableTags: r.immutableTags,
      scanOnPush: r.scanOnPush,
      keepLast: r.keepLast,
      url: `${region}-docker.pkg.dev/${project}/${repositoryId}`,
    };
  });
  const repoById = new Map(repositories.map((r) => [r.id, r]));

  const managed = model.endpoints.filter((e) => e.runtime === "managed");
  const endpoints = managed.map((e) => resolveEndpoint(model, e, repoById, buckets));

  const cluster = model.cluster ? resolveCluster(model, project) : undefined;
  const workloadIdentities = cluster ? resolveWorkloadIdentities(model, project, buckets) : [];

  const workspaces = model.workspaces ? resolveWorkspaces(model, model.workspaces) : undefined;
  const trackingBucket = model.tracking ? buckets.find((b) => b.id === model.tracking!.mlflow.bucket) : undefined;
  if (model.tracking && !trackingBucket) throw new Error(`tracking: no bucket '${model.tracking.mlflow.bucket}' (the tracking rule checks it)`);
  const tracking = model.tracking && trackingBucket ? resolveTracking(model, project, model.tracking, trackingBucket.name) : undefined;

  const keys: GcpKeyProps[] = [];
  const keyName = (purpose: string): string => name(purpose, GCP_NAME_RULES.kms);
  // Every key is protected (`prevent_destroy`), not only the key of protected buckets: GCP
  // never deletes a key, so a terraform destroy only schedules its versions for destruction
  // (making whatever it encrypted unreadable) and drops it from state, and the next deploy
  // then collides with the key that still exists. Protected, `mlplat destroy` keeps the keys
  // and their ring under management and a later deploy reuses them; only
  // `destroy --allow-data-loss` lets them go, and `kms_import_commands` brings them back.
  const wantsPipelines = (model.pipelines ?? []).length > 0;
  // The pipelines bucket uses the storage key too.
  if (buckets.length > 0 || wantsPipelines) keys.push({ id: "storage", name: keyName("storage"), protect: true });
  if (repositories.length > 0) keys.push({ id: "registry", name: keyName("registry"), protect: true });
  if (cluster) keys.push({ id: "cluster", name: keyName("cluster"), protect: true });
  if (endpoints.length > 0) keys.push({ id: "serving", name: keyName("serving"), protect: true });
  if (workspaces) keys.push({ id: "workspaces", name: keyName("workspaces"), protect: true });
  if (tracking) keys.push({ id: "tracking", name: keyName("tracking"), protect: true });
  if (wantsPipelines) keys.push({ id: "pipelines", name: keyName("pipelines"), protect: true });
  const kmsRing = name(undefined, GCP_NAME_RULES.kms);
  const pipelines = resolvePipelines(model, {
    project,
    region,
    buckets,
    endpoints,
    kmsKeyId: `projects/${project}/locations/${region}/keyRings/${kmsRing}/cryptoKeys/${keyName("pipelines")}`,
    labels: gcpLabels(model.labels),
  });

  const services = new Set([
    "serviceusage.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "iam.googleapis.com",
    "compute.googleapis.com",
    "cloudkms.googleapis.com",
    "storage.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
  ]);
  if (repositories.length > 0) services.add("artifactregistry.googleapis.com");
  if (repositories.some((r) => r.scanOnPush)) services.add("containerscanning.googleapis.com");
  if (cluster) services.add("container.googleapis.com");
  if (model.registry.models) services.add("aiplatform.googleapis.com");
  if (endpoints.length > 0) services.add("run.googleapis.com");
  if (model.budget) services.add("billingbudgets.googleapis.com");
  if (workspaces) services.add("notebooks.googleapis.com");
  if (tracking) {
    for (const api of ["run", "sqladmin", "servicenetworking", "secretmanager", "artifactregistry"]) services.add(`${api}.googleapis.com`);
  }
  if (pipelines) {
    for (const api of ["workflows", "aiplatform", "pubsub"]) services.add(`${api}.googleapis.com`);
    if (pipelines.pipelines.some((p) => p.schedule)) services.add("cloudscheduler.googleapis.com");
    if (pipelines.pipelines.some((p) => p.newData.length > 0 || p.alarm)) services.add("eventarc.googleapis.com");
  }

  let budget: GcpBudgetProps | undefined;
  if (model.budget) {
    const billingAccount = model.gcp?.billingAccount;
    if (!billingAccount) {
      throw new MlplatError("MLP_GCP_BUDGET_BILLING_ACCOUNT", "a budget on gcp needs spec.gcp.billingAccount", {
        hint: "add `billingAccount: XXXXXX-XXXXXX-XXXXXX` to spec.gcp, or remove spec.budget",
      });
    }
    budget = {
      billingAccount,
      displayName: fitName(`mlplat ${model.stackName}`, { maxLength: 60, separator: "-" }),
      monthlyUsd: model.budget.monthlyUsd,
      thresholds: [...model.budget.alertAtPercent].sort((a, b) => a - b).map((p) => p / 100),
      emails: model.budget.emails,
    };
  }

  return {
    stackName: model.stackName,
    project,
    region,
    labels: gcpLabels(model.labels),
    backend: resolveBackend(model, ctx),
    services: [...services].sort(),
    network: resolveNetwork(model),
    kms: { keyRingName: name(undefined, GCP_NAME_RULES.kms), rotationPeriod: `${KMS_ROTATION_SECONDS}s`, keys },
    buckets,
    repositories,
    modelRegistry: model.registry.models
      ? {
          location: `projects/${project}/locations/${region}/models`,
          bucketIds: modelBucketIds(model),
        }
      : undefined,
    cluster,
    endpoints,
    workloadIdentities,
    observability: { logRetentionDays: model.observability.logRetentionDays, alertEmails: model.observability.alertEmails },
    budget,
    workspaces,
    tracking,
    pipelines,
    limitations: limitationsOf(model, { cluster, endpoints, repositories }),
  };
}

/** The `gcp_limitations` sentences that apply to this model. */
function limitationsOf(
  model: PlatformModel,
  r: { cluster?: GcpClusterProps; endpoints: readonly GcpEndpointProps[]; repositories: readonly GcpRepoProps[] },
): string[] {
  const out = [
    "kms: GCP never deletes key rings or keys, so they are protected and mlplat destroy keeps them; after destroy --allow-data-loss, run the kms_import_commands before deploying again and restore the key versions scheduled for destruction (gcloud kms keys versions restore) within 30 days.",
  ];
  if (model.registry.models) {
    out.push(
      "registry.models: the Vertex AI Model Registry has no Terraform resource; mlplat enables the API and grants the Vertex AI service agent read access to the model buckets, and CI uploads model versions (gcloud ai models upload).",
    );
  }
  if (r.repositories.some((x) => x.scanOnPush)) {
    out.push("registry.images[].scanOnPush: Artifact Registry scanning is the project-wide Container Scanning API, billed per scanned image; repositories only opt out.");
  }
  if (r.cluster) {
    if (r.cluster.nodePools.some((p) => p.accelerator)) {
      out.push(
        "cluster.nodePools[].gpu: GPU pools are placed in the zones the catalog lists as offering their accelerator (nodePools[].zones overrides); GPU quota (per region, spot and on-demand) must be granted before nodes can start.",
      );
    }
    out.push("cluster: deletion_protection is on; `mlplat destroy` turns it off with a targeted apply first, while a bare `terraform destroy` is refused until a deploy sets deletion_protection = false.");
    if (model.network.privateCluster && model.network.adminCidrs.some((c) => !isPrivateCidr(parseCidr(c)!))) {
      out.push("network.adminCidrs: GKE accepts only internal (RFC 1918) ranges as authorized networks of a private endpoint, so the public ranges are not applied; use the DNS-based endpoint (kubeconfig_command) from there.");
    }
  }
  if (r.endpoints.length > 0) {
    out.push(
      "serving.endpoints[]: Cloud Run starts a revision at apply time, so the image must already be pushed to Artifact Registry before the endpoint is first deployed.",
    );
  }
  if (r.endpoints.some((e) => e.accelerator)) {
    out.push(
      "serving.endpoints[].gpu: Cloud Run GPUs need the project's L4 quota without zonal redundancy (gpu_zonal_redundancy_disabled is set), requested per region before the first deploy.",
    );
  }
  if (model.endpoints.some((e) => e.runtime === "kubernetes")) {
    out.push(
      "serving.endpoints[] with runtime: kubernetes are Kubernetes manifests applied to the cluster, not Terraform resources; the stack only creates the Google service account (Workload Identity) of those that read a model.",
    );
  }
  if (model.workspaces) {
    out.push(
      "workspaces: each user opens their Workbench instance from the console (Vertex AI > Workbench) or its proxy URL (output notebook_urls), signed in as the owner; changing a user's machine type or GPU stops and restarts the instance, while a new zone (another GPU type) or owner replaces it and deletes its data disk (/home/jupyter); a new diskGiB applies to notebooks created afterwards only (existing ones: gcloud workbench instances resize-disk).",
    );
  }
  if ((model.pipelines ?? []).length > 0) {
    out.push(
      "pipelines: the google provider has no Vertex AI pipeline or schedule resource (hashicorp/terraform-provider-google#23290); each pipeline is a Workflows workflow that creates a Vertex AI pipeline run from the job body mlplat uploads, started by Cloud Scheduler, Eventarc (object finalized, prefix filtered in the workflow) and the endpoint's alert policies through a Pub/Sub channel. Eventarc's own transport topics for Cloud Storage events use Google-managed keys (CMEK there is the project-wide google_eventarc_google_channel_config, which mlplat leaves alone).",
    );
  }
  if (model.tracking) {
    out.push(
      "tracking.mlflow: GCP has no managed MLflow: the server runs on Cloud Run (internal ingress, IAM-authenticated) from the MLflow project's ghcr.io image pulled through an Artifact Registry remote repository, with Cloud SQL for PostgreSQL on a private IP (private services access peering on the platform network); the database password is generated at creation (uuid()) and written only through write-only arguments to the database and Secret Manager, never to the state; the database is protected (deletion_protection, prevent_destroy; backups kept after a delete).",
    );
  }
  if (model.budget) {
    out.push("budget: the amount is in USD; a billing account in another currency rejects the budget at apply time.");
  }
  return out;
}

/** Buckets Vertex AI reads artifacts from: those endpoints name, else one called `models`, else all. */
function modelBucketIds(model: PlatformModel): string[] {
  const named = [...new Set(model.endpoints.flatMap((e) => (e.model ? [e.model.bucket] : [])))];
  if (named.length > 0) return named.sort();
  if (model.buckets.some((b) => b.name === "models")) return ["models"];
  return model.buckets.map((b) => b.name);
}

function resolveBackend(model: PlatformModel, ctx: SynthContext): GcpBackendProps {
  // Offline synth never talks to GCS: a remote backend falls back to the local file.
  if (model.state.backend === "gcs" && !ctx.offline) {
    return { kind: "gcs", bucket: model.state.bucket, prefix: model.state.prefix };
  }
  if (model.state.backend === "hcp" && !ctx.offline) return hcpBackendOf(model.state);
  return { kind: "local", path: ctx.localStatePath };
}
