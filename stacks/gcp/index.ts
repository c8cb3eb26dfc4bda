import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { GcsBackend, LocalBackend, TerraformOutput, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { GcpPlatformProps } from "../../src/targets/gcp/index.js";
import { hcpBackend } from "../common/hcp-backend.js";
import { MlplatStack } from "../common/mlplat-stack.js";
import { ArtifactRepository } from "./artifact-repository.js";
import { GcpBillingBudget } from "./billing-budget.js";
import { CloudRunEndpoint } from "./cloud-run-endpoint.js";
import { GcsBucket } from "./gcs-bucket.js";
import { GkeCluster } from "./gke-cluster.js";
import { GkeWorkloadIdentity } from "./gke-workload-identity.js";
import { GcpKms } from "./kms.js";
import { VertexModelRegistry } from "./model-registry.js";
import { GcpNetwork } from "./network.js";
import { GcpObservability } from "./observability.js";
import { ProjectServices } from "./project-services.js";
import { ServiceAgents } from "./service-agents.js";
import { GcpTracking } from "./tracking.js";
import { GcpWorkspaces } from "./workspaces.js";
import { GcpPipelines } from "./pipelines.js";

/**
 * The GCP platform stack: everything one blueprint becomes on GCP, wired from the resolved
 * props of `src/targets/gcp/`.
 *
 * Top-level construct ids are the blueprint sections (`project`, `network`, `kms`, `storage`,
 * `registry`, `cluster`, `serving`, `observability`, `budget`) and become the first segment of
 * every Terraform address (see MlplatStack): they are API, never rename them.
 */
export class GcpPlatformStack extends MlplatStack {
  constructor(scope: Construct, id: string, props: GcpPlatformProps) {
    super(scope, id);
    const { project, region, labels } = props;

    const provider = new GoogleProvider(this, "google", {
      project,
      region,
      // Billing Budgets reject user credentials unless requests name a quota project.
      ...(props.budget ? { userProjectOverride: true, billingProject: project } : {}),
    });
    // Labels on every labelable resource, including those we don't label explicitly. Set by
    // override: cdktf snake-cases the keys of provider config maps (`cost-center` would
    // become `cost_center`), overrides are written as given.
    provider.addOverride("default_labels", { ...labels });
    if (props.backend.kind === "hcp") {
      hcpBackend(this, props.backend);
    } else if (props.backend.kind === "gcs") {
      new GcsBackend(this, { bucket: props.backend.bucket!, prefix: props.backend.prefix });
    } else {
      new LocalBackend(this, { path: props.backend.path! });
    }

    const services = new ProjectServices(this, "project", { project, services: props.services });
    const api = (...names: string[]): ITerraformDependable[] => services.require(...names.map((n) => `${n}.googleapis.com`));
    // Service agents made before the grants that name them (google-beta, only for agents created just in time).
    const agents = new ServiceAgents(services, "agents", { project, region, apiDependency: (a) => services.require(a) });

    const n = props.network;
    const network = new GcpNetwork(this, "network", {
      project,
      region,
      networkName: n.networkName,
      subnetName: n.subnetName,
      routerName: n.routerName,
      natName: n.natName,
      nodeCidr: n.nodeCidr,
      podsRangeName: n.podsRangeName,
      podsCidr: n.podsCidr,
      servicesRangeName: n.servicesRangeName,
      servicesCidr: n.servicesCidr,
      dependsOn: api("compute"),
    });

    const kms = new GcpKms(this, "kms", {
      project,
      region,
      projectNumber: services.projectNumber,
      keyRingName: props.kms.keyRingName,
      rotationPeriod: props.kms.rotationPeriod,
      keys: props.kms.keys,
      labels,
      // The service agents the grants name appear when their APIs are enabled, or are made first (agentDependency).
      dependsOn: api("cloudkms", "storage", "artifactregistry", "container", "compute", "run", "notebooks", "sqladmin", "secretmanager"),
      agentDependency: (a) => [agents.agent(a)],
    });

    const storage = new Construct(this, "storage");
    const bucketNames: Record<string, string> = {};
    const buckets: Record<string, GcsBucket> = {};
    for (const b of props.buckets) {
      buckets[b.id] = new GcsBucket(storage, b.id, {
        project,
        region,
        name: b.name,
        kmsKeyId: kms.keys.storage!.id,
        labels,
        versioning: b.versioning,
        nearlineAfterDays: b.nearlineAfterDays,
        archiveAfterDays: b.archiveAfterDays,
        deleteAfterDays: b.deleteAfterDays,
        protect: b.protect,
        softDeleteRetentionSeconds: b.softDeleteRetentionSeconds,
        dependsOn: [...(kms.grants.storage ?? []), ...api("storage")],
      });
      bucketNames[b.id] = b.name;
    }

    const registry = new Construct(this, "registry");
    const repos: Record<string, ArtifactRepository> = {};
    for (const r of props.repositories) {
      repos[r.id] = new ArtifactRepository(registry, r.id, {
        project,
        region,
        repositoryId: r.repositoryId,
        kmsKeyId: kms.keys.registry!.id,
        labels,
        immutableTags: r.immutableTags,
        scanOnPush: r.scanOnPush,
        keepLast: r.keepLast,
        dependsOn: [...(kms.grants.registry ?? []), ...api("artifactregistry", "containerscanning")],
      });
    }
    if (props.modelRegistry) {
      new VertexModelRegistry(registry, "models", {
        projectNumber: services.projectNumber,
        buckets: Object.fromEntries(props.modelRegistry.bucketIds.map((id) => [id, bucketNames[id]!])),
        // The Vertex AI agent is created just in time: make it before granting it bucket access.
        dependsOn: [...api("aiplatform"), agents.agent("aiplatform.googleapis.com")],
      });
    }

    let cluster: GkeCluster | undefined;
    if (props.cluster) {
      const c = props.cluster;
      cluster = new GkeCluster(this, "cluster", {
        project,
        region,
        name: c.name,
        networkId: network.network.id,
        subnetId: network.subnet.id,
        podsRangeName: network.podsRangeName,
        servicesRangeName: network.servicesRangeName,
        kmsKeyId: kms.keys.cluster!.id,
        labels,
        minMasterVersion: c.minMasterVersion,
        releaseChannel: c.releaseChannel,
        privateEndpoint: c.privateEndpoint,
        dnsEndpoint: c.dnsEndpoint,
        masterAuthorizedNetworks: c.masterAuthorizedNetworks,
        nodeServiceAccountId: c.nodeServiceAccountId,
        admins: c.admins,
        systemPool: c.systemPool,
        nodePools: c.nodePools,
        dependsOn: [...(kms.grants.cluster ?? []), ...api("container", "iam")],
      });
      // Nodes pull the platform's images (and nothing else in the project's registries).
      for (const repo of Object.values(repos)) repo.grantRead("gke-nodes", cluster.nodeServiceAccount.member);
    }

    const serving = new Construct(this, "serving");
    const endpointUrls: Record<string, string> = {};
    for (const e of props.endpoints) {
      const ep = new CloudRunEndpoint(serving, e.id, {
        project,
        region,
        serviceName: e.serviceName,
        serviceAccountId: e.serviceAccountId,
        image: e.image,
        kmsKeyId: kms.keys.serving!.id,
        labels,
        cpu: e.cpu,
        memory: e.memory,
        accelerator: e.accelerator,
        minInstances: e.minInstances,
        maxInstances: e.maxInstances,
        concurrency: e.concurrency,
        modelBucketName: e.modelBucketId ? bucketNames[e.modelBucketId] : undefined,
        modelUri: e.modelUri,
        rollout: e.rollout,
        dependsOn: [
          ...(kms.grants.serving ?? []),
          ...api("run", "iam"),
          // The image must exist before a revision can start; the repository at least must.
          ...(e.repositoryId && repos[e.repositoryId] ? [repos[e.repositoryId]!.repository] : []),
        ],
      });
      endpointUrls[e.id] = ep.service.uri;
    }
    const workloadIdentities = props.workloadIdentities;
    if (workloadIdentities.length > 0 && !cluster) throw new Error("GKE workload identities need a cluster");
    for (const w of workloadIdentities) {
      if (props.endpoints.some((e) => e.id === w.id)) throw new Error(`serving: endpoint '${w.id}' is both managed and kubernetes`);
      const bucket = buckets[w.modelBucketId];
      if (!bucket) throw new Error(`endpoint ${w.id}: no bucket '${w.modelBucketId}'`);
      new GkeWorkloadIdentity(serving, w.id, {
        project,
        serviceAccountId: w.serviceAccountId,
        workloadPool: w.workloadPool,
        namespace: w.namespace,
        kubernetesServiceAccount: w.kubernetesServiceAccount,
        // A reference, not the name: the grant waits for the bucket.
        modelBucketName: bucket.bucket.name,
        dependsOn: api("iam"),
        bindingDependsOn: [cluster!.cluster],
      });
    }

    let workspaces: GcpWorkspaces | undefined;
    if (props.workspaces) {
      workspaces = new GcpWorkspaces(this, "workspaces", {
        ...props.workspaces,
        project,
        labels,
        networkId: network.network.id,
        subnetId: network.subnet.id,
        kmsKeyId: kms.keys.workspaces!.id,
        // References: the grants wait for the buckets.
        bucketNames: Object.fromEntries(Object.entries(buckets).map(([id, b]) => [id, b.bucket.name])),
        dependsOn: [...(kms.grants.workspaces ?? []), ...api("notebooks", "iam")],
      });
    }

    let pipelines: GcpPipelines | undefined;
    if (props.pipelines) {
      pipelines = new GcpPipelines(this, "pipelines", {
        ...props.pipelines,
        project,
        projectNumber: services.projectNumber,
        region,
        labels,
        storageKmsKeyId: kms.keys.storage!.id,
        storageKeyGrants: kms.grants.storage ?? [],
        kmsKeyId: kms.keys.pipelines!.id,
        kmsGrants: kms.grants.pipelines ?? [],
        // References: the grants and triggers wait for the buckets.
        bucketNames: Object.fromEntries(Object.entries(buckets).map(([id, b]) => [id, b.bucket.name])),
        api,
        agent: (a) => agents.agent(a),
      });
    }
    const alarmChannels = pipelines?.alarmChannels() ?? {};

    let tracking: GcpTracking | undefined;
    if (props.tracking) {
      const bucket = buckets[props.tracking.bucketId];
      if (!bucket) throw new Error(`tracking: no bucket '${props.tracking.bucketId}'`);
      tracking = new GcpTracking(this, "tracking", {
        ...props.tracking,
        project,
        region,
        labels,
        networkId: network.network.id,
        subnetId: network.subnet.id,
        kmsKeyId: kms.keys.tracking!.id,
        bucketName: bucket.bucket.name,
        // The notebooks log runs as their service accounts.
        invokerMembers: Object.fromEntries([...(workspaces?.notebooks ?? [])].map(([user, nb]) => [`nb-${user}`, nb.serviceAccount.member])),
        dependsOn: [...(kms.grants.tracking ?? []), ...api("run", "sqladmin", "servicenetworking", "secretmanager", "artifactregistry", "iam")],
      });
    }

    new GcpObservability(this, "observability", {
      project,
      logRetentionDays: props.observability.logRetentionDays,
      alertEmails: props.observability.alertEmails,
      labels,
      displayNamePrefix: props.stackName,
      endpoints: props.endpoints.map((e) => ({
        id: e.id,
        serviceName: e.serviceName,
        latencyP99Ms: e.latencyP99Ms,
        errorRatePercent: e.errorRatePercent,
        extraChannels: alarmChannels[e.id],
      })),
      dependsOn: api("logging", "monitoring"),
    });

    if (props.budget) {
      new GcpBillingBudget(this, "budget", {
        project,
        projectNumber: services.projectNumber,
        ...props.budget,
        labels,
        dependsOn: api("billingbudgets", "monitoring"),
      });
    }

    // Outputs: snake_case names are API for `mlplat output` and CI.
    new TerraformOutput(this, "region", { value: region });
    new TerraformOutput(this, "bucket_names", { value: bucketNames, description: "blueprint bucket name → GCS bucket name" });
    new TerraformOutput(this, "registry_urls", {
      value: Object.fromEntries(props.repositories.map((r) => [r.id, r.url])),
      description: "blueprint image repository → docker repository URL; push <url>/<repository name>:<tag>",
    });
    new TerraformOutput(this, "endpoint_urls", {
      value: endpointUrls,
      description:
        "managed endpoint → Cloud Run URL (internal ingress only: call it from the VPC with an identity token); the image must be pushed before the first deploy",
    });
    if (props.cluster && cluster) {
      new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
      new TerraformOutput(this, "kubeconfig_command", {
        value: props.cluster.kubeconfigCommand,
        description:
          "fetches credentials for kubectl through the DNS-based control-plane endpoint (IAM-authorized, reachable from outside the VPC even for a private cluster; needs container.clusters.connect, e.g. roles/container.developer)",
      });
    }
    if (props.modelRegistry) {
      new TerraformOutput(this, "model_registry", {
        value: props.modelRegistry.location,
        description:
          "Vertex AI Model Registry of the project. Terraform creates no model: CI uploads versions with `gcloud ai models upload --region <region> --artifact-uri gs://<models bucket>/<path>`.",
      });
    }
    if (workspaces) {
      new TerraformOutput(this, "notebook_urls", {
        value: Object.fromEntries([...workspaces.notebooks].map(([user, nb]) => [user, nb.instance.proxyUri])),
        description:
          "workspace user → JupyterLab proxy URL of their Workbench instance (single-user: only the owner's Google account opens it; it stops after the idle time, start it again from Vertex AI > Workbench)",
      });
    }
    if (tracking) {
      new TerraformOutput(this, "tracking_uri", {
        value: tracking.service.uri,
        description:
          "MLflow tracking URI (Cloud Run, internal ingress: call it from the platform VPC, e.g. a notebook). Authenticate with Cloud Run IAM: roles/run.invoker on the service (workspace users and their notebooks have it), then MLFLOW_TRACKING_TOKEN=$(gcloud auth print-identity-token) and MLFLOW_TRACKING_URI=<this>",
      });
    }
    new TerraformOutput(this, "gcp_limitations", {
      value: [...props.limitations],
      description: "what the google provider cannot do or check for this platform, and the way around it",
    });
    new TerraformOutput(this, "kms_import_commands", {
      value: kms.importCommands,
      description:
        "GCP never deletes KMS key rings or keys; mlplat destroy keeps them. After destroy --allow-data-loss, run these in the stack folder before the next deploy (those no longer in `terraform state list`), then restore the key versions scheduled for destruction (`gcloud kms keys versions restore`) or create a new primary version.",
    });
  }
}

/** The GCP StackFactory: `gcpTarget.loadStack()` returns it. */
export function addGcpPlatformStack(scope: Construct, id: string, props: GcpPlatformProps): void {
  new GcpPlatformStack(scope, id, props);
}
