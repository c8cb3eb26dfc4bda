import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository/index.js";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { MLFLOW_DB, MlflowDatabase } from "./mlflow-database.js";

/**
 * `spec.tracking.mlflow` on GCP, which has no managed MLflow: the MLflow server on Cloud Run
 * (internal ingress only, IAM-authenticated invocations, its own service account, Direct VPC
 * egress to the database's private IP), Cloud SQL for PostgreSQL as the backend store
 * (MlflowDatabase), artifacts served by the server from `gs://<bucket>/mlflow/`.
 *
 * The image: the MLflow project's own `ghcr.io/mlflow/mlflow:<tag>-full` (the variant with the
 * optional dependencies: the PostgreSQL driver and the GCS client; the official Helm chart's
 * default), pinned by tag. Cloud Run pulls only from Artifact Registry, Container Registry and
 * Docker Hub (https://cloud.google.com/run/docs/deploying#images), so the stack adds an Artifact
 * Registry remote repository whose upstream is ghcr.io and the service pulls through it:
 * nothing to build or push, and the image is cached in the project after the first pull.
 *
 * How a user authenticates: Cloud Run IAM. `roles/run.invoker` on this service only, for the
 * workspace users and their notebooks' service accounts; the MLflow client sends an identity token
 * (`MLFLOW_TRACKING_TOKEN=$(gcloud auth print-identity-token)`), from a network that reaches
 * internal ingress (the platform VPC, where the notebooks are).
 *
 * Construct ids are API: `tracking/mlflow` (service), `tracking/mlflow/identity`,
 * `tracking/mlflow/images`, `tracking/mlflow/database`, grants by name.
 */
export interface GcpTrackingProps {
  readonly serviceName: string;
  readonly serviceAccountId: string;
  /** Artifact Registry remote repository id (upstream ghcr.io). */
  readonly imageRepositoryId: string;
  /** `<region>-docker.pkg.dev/<project>/<repo>/mlflow/mlflow:<tag>`. */
  readonly image: string;
  /** Blueprint bucket of the artifacts and `gs://<name>/mlflow/`. */
  readonly bucketId: string;
  readonly artifactsDestination: string;
  readonly cpu: string;
  readonly memory: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly database: {
    readonly instanceName: string;
    readonly tier: string;
    readonly availabilityType: "ZONAL" | "REGIONAL";
    readonly pscRangeName: string;
    readonly secretId: string;
  };
  /** IAM members given roles/run.invoker on the service (workspace users), keyed by a stable id. */
  readonly invokers: readonly { readonly id: string; readonly member: string }[];
}

export interface GcpTrackingConstructProps extends GcpTrackingProps {
  readonly project: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly networkId: string;
  readonly subnetId: string;
  readonly kmsKeyId: string;
  /** The artifact bucket's name, a reference (the grant waits for the bucket). */
  readonly bucketName: string;
  /** Extra invokers known only as references (the notebooks' service accounts), id → member. */
  readonly invokerMembers?: Readonly<Record<string, string>>;
  readonly dependsOn?: ITerraformDependable[];
}

export class GcpTracking extends Construct {
  readonly service: CloudRunV2Service;
  readonly database: MlflowDatabase;

  constructor(scope: Construct, id: string, props: GcpTrackingConstructProps) {
    super(scope, id);
    const images = new ArtifactRegistryRepository(this, "images", {
      project: props.project,
      location: props.region,
      repositoryId: props.imageRepositoryId,
      format: "DOCKER",
      mode: "REMOTE_REPOSITORY",
      description: "mlplat: pull-through cache of ghcr.io for the MLflow server image",
      kmsKeyName: props.kmsKeyId,
      labels: { ...props.labels },
      remoteRepositoryConfig: {
        description: "ghcr.io",
        dockerRepository: { customRepository: { uri: "https://ghcr.io" } },
      },
      dependsOn: props.dependsOn,
    });

    this.database = new MlflowDatabase(this, "database", {
      project: props.project,
      region: props.region,
      instanceName: props.database.instanceName,
      tier: props.database.tier,
      availabilityType: props.database.availabilityType,
      networkId: props.networkId,
      pscRangeName: props.database.pscRangeName,
      secretId: props.database.secretId,
      kmsKeyId: props.kmsKeyId,
      labels: props.labels,
      dependsOn: props.dependsOn,
    });

    const identity = new ServiceAccount(this, "identity", {
      project: props.project,
      accountId: props.serviceAccountId,
      displayName: `MLflow ${props.serviceName}`,
      description: "mlplat: runtime identity of the MLflow tracking server",
    });
    const grants: ITerraformDependable[] = [
      new ProjectIamMember(this, "log-writer", { project: props.project, role: "roles/logging.logWriter", member: identity.member }),
      new ProjectIamMember(this, "metric-writer", { project: props.project, role: "roles/monitoring.metricWriter", member: identity.member }),
      new StorageBucketIamMember(this, "artifacts", { bucket: props.bucketName, role: "roles/storage.objectUser", member: identity.member }),
      new SecretManagerSecretIamMember(this, "password-reader", {
        project: props.project,
        secretId: this.database.secret.secretId,
        role: "roles/secretmanager.secretAccessor",
        member: identity.member,
      }),
    ];

    // The password is a uuid (hex and hyphens): safe inside the URI without escaping. `$NAME`
    // (no braces) is the shell's, never a Terraform template.
    const uri = `postgresql://${MLFLOW_DB.user}:$DB_PASSWORD@$DB_HOST:5432/${MLFLOW_DB.database}?sslmode=require`;
    this.service = new CloudRunV2Service(this, "Resource", {
      project: props.project,
      location: props.region,
      name: props.serviceName,
      ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
      deletionProtection: false,
      labels: { ...props.labels },
      template: {
        serviceAccount: identity.email,
        encryptionKey: props.kmsKeyId,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        labels: { ...props.labels },
        scaling: { minInstanceCount: props.minInstances, maxInstanceCount: props.maxInstances },
        vpcAccess: { networkInterfaces: [{ network: props.networkId, subnetwork: props.subnetId }], egress: "PRIVATE_RANGES_ONLY" },
        containers: [
          {
            image: props.image,
            command: ["/bin/sh", "-c"],
            args: [
              `exec mlflow server --host 0.0.0.0 --port 8080 --backend-store-uri "${uri}" --serve-artifacts --artifacts-destination "$ARTIFACTS_DESTINATION" --allowed-hosts "*.run.app,localhost"`,
            ],
            ports: { containerPort: 8080 },
            resources: { limits: { cpu: props.cpu, memory: props.memory }, cpuIdle: true, startupCpuBoost: true },
            env: [
              { name: "DB_HOST", value: this.database.instance.privateIpAddress },
              { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: this.database.secret.secretId, version: "latest" } } },
              { name: "ARTIFACTS_DESTINATION", value: props.artifactsDestination },
            ],
            startupProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 30 },
          },
        ],
      },
      dependsOn: [...(props.dependsOn ?? []), ...grants, images, this.database.instance],
    });

    const invokers = [...props.invokers, ...Object.entries(props.invokerMembers ?? {}).map(([iid, member]) => ({ id: iid, member }))];
    for (const { id: iid, member } of invokers) {
      new CloudRunV2ServiceIamMember(this, `invoker-${iid}`, {
        project: props.project,
        location: props.region,
        name: this.service.name,
        role: "roles/run.invoker",
        member,
      });
    }
  }
}
