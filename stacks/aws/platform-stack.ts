/**
 * The AWS platform stack: one Terraform stack per blueprint environment (`<name>-<env>`), built
 * from props the resolver (src/targets/aws/resolve.ts) computed offline. Top-level construct ids are the
 * blueprint sections (`kms`, `observability`, `network`, `storage`, `registry`, `cluster`,
 * `serving`, `budget`) and are API: they prefix every Terraform address.
 *
 * Only the `aws` provider is used (no random, tls, time or null): names, thumbprints and
 * policies are derived, which is also what lets `terraform plan -refresh=false` run offline.
 */
import type { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { MlplatStack } from "../common/mlplat-stack.js";
import { Budget, type BudgetProps } from "./budget.js";
import { Network, type NetworkProps } from "./network.js";
import { Observability } from "./observability.js";
import { PlatformCluster, type PlatformClusterProps } from "./platform-cluster.js";
import { PlatformKey } from "./platform-key.js";
import { bindMonitoring, type EndpointMonitoringSpec } from "./endpoint-monitoring.js";
import type { ManagedEndpointProps } from "./managed-endpoint.js";
import { Registry, type RegistryProps } from "./registry.js";
import { Serving } from "./serving.js";
import { Storage, type StorageProps } from "./storage.js";
import { Pipelines, type AwsPipelinesSpec } from "./pipelines.js";
import { MlflowTracking, type MlflowTrackingProps } from "./tracking.js";
import { Workspaces, type WorkspacesProps, type WorkspaceUserSpec } from "./workspaces.js";
import type { AccountScope } from "./policies.js";
import { hcpBackend, type HcpBackendProps } from "../common/hcp-backend.js";

export type AwsBackend =
  | { readonly kind: "local"; /** Relative to the stack folder. */ readonly path: string }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly region: string }
  | HcpBackendProps;

/** A managed endpoint as resolved; the stack fills in the references. */
export type ManagedEndpointSpec = Omit<
  ManagedEndpointProps,
  "imageRepositoryArn" | "modelBucketArn" | "modelBucketKeyArn" | "volumeKmsKeyArn" | "vpcId" | "subnetIds" | "logGroupArn" | "alarmTopicArn" | "dependsOn" | "monitoring"
> & {
  /** Capture and drift, with declared bucket names (bound by the stack). @default - none */
  readonly monitoring?: EndpointMonitoringSpec;
  /** Blueprint name. */
  readonly name: string;
  /** Declared `registry.images` name the image comes from. @default - see imageRepositoryArn */
  readonly imageRepository?: string;
  /** ARN of an ECR repository outside this stack (a full image URI in this account's ECR). @default - none */
  readonly imageRepositoryArn?: string;
  /** Declared bucket holding the model data. @default - none */
  readonly modelBucket?: string;
  /** Encrypt the ML storage volume with the platform key (instance types without local NVMe). */
  readonly volumeEncrypted: boolean;
};

/** The IRSA role of a `runtime: kubernetes` endpoint that reads a model from a platform bucket. */
export interface KubernetesWorkloadRoleSpec {
  /** Blueprint endpoint name (the construct id under `serving`). */
  readonly name: string;
  readonly roleName: string;
  /** Derived ARN, for the service account annotation. */
  readonly roleArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Declared bucket holding the model. */
  readonly modelBucket: string;
  readonly modelPrefix: string;
}

/** `workspaces` as resolved; the stack fills in the network, the key and the references. */
export type AwsWorkspacesSpec = Omit<WorkspacesProps, keyof AccountScope | "vpcId" | "subnetIds" | "kmsKeyArn" | "buckets" | "repositoryArns" | "trackingServerArn" | "dependsOn" | "users"> & {
  /** Declared buckets the users read and write. */
  readonly bucketNames: readonly string[];
  /** Each user, with the command that attaches their open policy (the `workspace_access` output). */
  readonly users: readonly (WorkspaceUserSpec & { readonly attachCommand: string })[];
};

/** `tracking.mlflow` as resolved; the stack fills in the bucket's ARNs. */
export type AwsTrackingSpec = Omit<MlflowTrackingProps, "bucketArn" | "bucketKeyArn"> & {
  /** Declared bucket of the artifacts. */
  readonly bucket: string;
};

export interface AwsPlatformProps extends AccountScope {
  /** `<name>-<env>`: the stack id and name prefix. */
  readonly stackName: string;
  /** Provider `default_tags`: every taggable resource carries them. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** No API call while planning: skip_* provider flags (the resolver already chose a local backend). */
  readonly offline: boolean;
  readonly backend: AwsBackend;
  /** Alias of the platform key, without `alias/`. */
  readonly platformKeyAlias: string;
  readonly network: Omit<NetworkProps, "flowLogGroupArn" | "accountId" | "partition">;
  /** Log group names: VPC flow logs, the EKS control plane (when a cluster), each managed endpoint by name. */
  readonly logGroups: {
    readonly flowLogs: string;
    readonly cluster?: string;
    readonly endpoints: Readonly<Record<string, string>>;
  };
  readonly logRetentionDays: number;
  /** @default - no alert topic */
  readonly alertTopicName?: string;
  readonly alertEmails: readonly string[];
  readonly storage: Omit<StorageProps, keyof AccountScope>;
  readonly registry: Omit<RegistryProps, "kmsKeyArn">;
  /** @default - no cluster */
  readonly cluster?: Omit<PlatformClusterProps, "subnetIds" | "kmsKeyArn" | "partition" | "dependsOn" | "nodesDependOn">;
  readonly endpoints: readonly ManagedEndpointSpec[];
  /** IRSA roles of `runtime: kubernetes` endpoints with model data (needs a cluster). @default [] */
  readonly kubernetesWorkloadRoles?: readonly KubernetesWorkloadRoleSpec[];
  /** @default - no budget */
  readonly budget?: BudgetProps;
  /** v1.1 notebooks: a SageMaker domain and a profile per user. @default - none */
  readonly workspaces?: AwsWorkspacesSpec;
  /** v1.1 experiment tracking: a SageMaker MLflow server. @default - none */
  readonly tracking?: AwsTrackingSpec;
  /** v1.1 retraining pipelines: SageMaker pipelines, their schedules and EventBridge triggers. @default - none */
  readonly pipelines?: AwsPipelinesSpec;
  /** Derived bucket names by blueprint name (the `bucket_names` output). */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** Derived registry URLs by blueprint name (the `registry_urls` output). */
  readonly registryUrls: Readonly<Record<string, string>>;
}

export class AwsPlatformStack extends MlplatStack {
  constructor(scope: Construct, id: string, props: AwsPlatformProps) {
    super(scope, id);
    const account: AccountScope = { partition: props.partition, accountId: props.accountId, region: props.region, dnsSuffix: props.dnsSuffix };

    new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: [{ tags: { ...props.defaultTags } }],
      ...(props.offline
        ? { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: "true" }
        : // A deploy with credentials of another account fails before touching anything.
          { allowedAccountIds: [props.accountId] }),
    });
    if (props.backend.kind === "local" || props.offline) {
      new LocalBackend(this, { path: props.backend.kind === "local" ? props.backend.path : `${props.stackName}.tfstate` });
    } else if (props.backend.kind === "hcp") {
      hcpBackend(this, props.backend);
    } else {
      new S3Backend(this, { bucket: props.backend.bucket, key: props.backend.key, region: props.backend.region, encrypt: true });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no field for it.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }

    const kms = new PlatformKey(this, "kms", { ...account, aliasName: props.platformKeyAlias, allowAutoscaling: !!props.cluster, allowEfs: !!props.workspaces });

    const logGroups: Record<string, string> = { "flow-logs": props.logGroups.flowLogs };
    if (props.logGroups.cluster) logGroups["cluster"] = props.logGroups.cluster;
    for (const [ep, name] of Object.entries(props.logGroups.endpoints)) logGroups[`endpoint-${ep}`] = name;
    const observability = new Observability(this, "observability", {
      logGroups,
      logRetentionDays: props.logRetentionDays,
      kmsKeyArn: kms.arn,
      alertTopicName: props.alertTopicName,
      alertEmails: props.alertEmails,
    });

    const network = new Network(this, "network", {
      ...props.network,
      accountId: props.accountId,
      partition: props.partition,
      flowLogGroupArn: observability.logGroupArn("flow-logs"),
    });

    const storage = new Storage(this, "storage", { ...account, ...props.storage });
    const registry = new Registry(this, "registry", { ...props.registry, kmsKeyArn: kms.arn });

    let cluster: PlatformCluster | undefined;
    if (props.cluster) {
      cluster = new PlatformCluster(this, "cluster", {
        ...props.cluster,
        partition: props.partition,
        subnetIds: network.privateSubnetIds,
        kmsKeyArn: kms.arn,
        // The control-plane log group first (retention and KMS from the first line).
        dependsOn: [observability.logGroups["cluster"]!],
        // Nodes bootstrap through the NAT routes and the endpoints.
        nodesDependOn: network.egressReady,
      });
    }

    const workloadRoles = props.kubernetesWorkloadRoles ?? [];
    if (workloadRoles.length > 0 && !cluster) throw new Error("kubernetes workload roles need a cluster");
    if (props.endpoints.length > 0 || workloadRoles.length > 0) {
      new Serving(this, "serving", {
        workloadRoles: workloadRoles.map(({ name, modelBucket, roleArn: _arn, ...role }) => {
          const bucket = storage.buckets[modelBucket];
          if (!bucket) throw new Error(`endpoint ${name}: no bucket '${modelBucket}'`);
          return {
            ...role,
            name,
            oidcProviderArn: cluster!.oidcProvider.arn,
            issuerHost: cluster!.issuerHost,
            modelBucketArn: bucket.bucket.arn,
            modelBucketKeyArn: bucket.key.arn,
          };
        }),
        endpoints: props.endpoints.map(({ imageRepository, modelBucket, volumeEncrypted, monitoring, ...ep }) => {
          const repo = imageRepository ? registry.repositories[imageRepository] : undefined;
          if (imageRepository && !repo) throw new Error(`endpoint ${ep.name}: no image repository '${imageRepository}'`);
          const bucket = modelBucket ? storage.buckets[modelBucket] : undefined;
          if (modelBucket && !bucket) throw new Error(`endpoint ${ep.name}: no bucket '${modelBucket}'`);
          return {
            ...ep,
            imageRepositoryArn: repo ? repo.repository.arn : ep.imageRepositoryArn,
            modelBucketArn: bucket?.bucket.arn,
            modelBucketKeyArn: bucket?.key.arn,
            volumeKmsKeyArn: volumeEncrypted ? kms.arn : undefined,
            vpcId: network.vpc.id,
            subnetIds: network.privateSubnetIds,
            logGroupArn: observability.logGroupArn(`endpoint-${ep.name}`),
            alarmTopicArn: observability.alertTopic?.arn,
            dependsOn: network.egressReady,
            monitoring: monitoring && bindMonitoring(monitoring, storage.buckets, kms.arn),
          };
        }),
      });
    }

    let tracking: MlflowTracking | undefined;
    if (props.tracking) {
      const { bucket: bucketName, ...t } = props.tracking;
      const bucket = storage.buckets[bucketName];
      if (!bucket) throw new Error(`tracking: no bucket '${bucketName}'`);
      tracking = new MlflowTracking(this, "tracking", { ...t, bucketArn: bucket.bucket.arn, bucketKeyArn: bucket.key.arn });
    }
    let workspaces: Workspaces | undefined;
    if (props.workspaces) {
      const { bucketNames, users, ...w } = props.workspaces;
      workspaces = new Workspaces(this, "workspaces", {
        ...account,
        ...w,
        users: users.map(({ attachCommand: _c, ...u }) => u),
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        kmsKeyArn: kms.arn,
        buckets: bucketNames.map((b) => {
          const bucket = storage.buckets[b];
          if (!bucket) throw new Error(`workspaces: no bucket '${b}'`);
          return { bucketArn: bucket.bucket.arn, keyArn: bucket.key.arn };
        }),
        repositoryArns: Object.values(registry.repositories).map((r) => r.repository.arn),
        trackingServerArn: tracking?.server.arn,
        dependsOn: network.egressReady,
      });
    }

    let pipelines: Pipelines | undefined;
    if (props.pipelines) {
      const bucketOf = (b: string) => {
        const bucket = storage.buckets[b];
        if (!bucket) throw new Error(`pipelines: no bucket '${b}'`);
        return bucket;
      };
      pipelines = new Pipelines(this, "pipelines", {
        ...account,
        s3ViaService: props.pipelines.s3ViaService,
        eventBridgeBuckets: Object.fromEntries(props.pipelines.eventBridgeBuckets.map((b) => [b, bucketOf(b).bucket.id])),
        repositoryArns: Object.values(registry.repositories).map((r) => r.repository.arn),
        pipelines: props.pipelines.pipelines.map(({ buckets, ...p }) => ({ ...p, buckets: buckets.map((b) => ({ bucketArn: bucketOf(b).bucket.arn, keyArn: bucketOf(b).key.arn })) })),
      });
    }

    if (props.budget) new Budget(this, "budget", props.budget);

    new TerraformOutput(this, "region", { value: props.region });
    new TerraformOutput(this, "bucket_names", { value: { ...props.bucketNames } });
    new TerraformOutput(this, "registry_urls", { value: { ...props.registryUrls } });
    new TerraformOutput(this, "endpoint_names", {
      value: Object.fromEntries(props.endpoints.map((e) => [e.name, e.endpointName])),
    });
    if (tracking && props.tracking) {
      new TerraformOutput(this, "tracking_uri", { value: tracking.server.arn, description: "MLFLOW_TRACKING_URI for the sagemaker-mlflow plugin" });
      new TerraformOutput(this, "tracking_ui_url", { value: tracking.server.trackingServerUrl });
      new TerraformOutput(this, "tracking_auth", {
        value:
          "pip install mlflow sagemaker-mlflow; export MLFLOW_TRACKING_URI=<tracking_uri>; requests are signed with your AWS credentials (SigV4): " +
          "workspace notebooks have them through their execution role; anyone else needs sagemaker-mlflow:* actions on the server. UI: " +
          `aws sagemaker create-presigned-mlflow-tracking-server-url --tracking-server-name ${props.tracking.trackingServerName} --region ${props.region}`,
      });
    }
    if (pipelines) {
      new TerraformOutput(this, "pipeline_names", { value: Object.fromEntries(Object.entries(pipelines.pipelines).map(([n, p]) => [n, p.pipeline.pipelineName])) });
      new TerraformOutput(this, "pipeline_arns", { value: Object.fromEntries(Object.entries(pipelines.pipelines).map(([n, p]) => [n, p.pipeline.arn])) });
      new TerraformOutput(this, "pipeline_role_arns", { value: Object.fromEntries(Object.entries(pipelines.pipelines).map(([n, p]) => [n, p.role.arn])), description: "the RoleArn the exported SageMaker definitions' steps run as" });
    }
    if (workspaces && props.workspaces) {
      new TerraformOutput(this, "workspace_domain_id", { value: workspaces.domain.id });
      new TerraformOutput(this, "workspace_access", {
        value: Object.fromEntries(
          props.workspaces.users.map((u) => [
            u.profileName,
            {
              identity: u.identity,
              instance_type: u.instanceType,
              attach: u.attachCommand,
              open: `aws sagemaker create-presigned-domain-url --domain-id ${workspaces!.domain.id} --user-profile-name ${u.profileName} --region ${props.region}`,
            },
          ]),
        ),
      });
    }
    if (cluster && props.cluster) {
      new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
      new TerraformOutput(this, "kubeconfig_command", {
        value: `aws eks update-kubeconfig --region ${props.region} --name ${props.cluster.clusterName}`,
      });
      new TerraformOutput(this, "cluster_autoscaler_role_arn", { value: cluster.clusterAutoscalerRole.arn });
    }
  }
}
