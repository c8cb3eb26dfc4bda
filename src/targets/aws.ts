import type { EndpointModel, NodePoolModel, PlatformModel, SynthContext } from "../model/platform.js";
import { NAME_RULES, deriveName, fitName, globalName, stableHash, type NameRules } from "../model/names.js";
import { loadCatalog } from "../catalog/index.js";
import { MlplatError } from "../util/errors.js";
import { formatCidr, requireCidr } from "../model/cidr.js";
import type { CloudTarget, StackFactory } from "./target.js";
import { SERVING_NAMESPACE, endpointObjectName } from "../k8s/conventions.js";
import type { AwsPlatformProps, ManagedEndpointSpec } from "../../stacks/aws/platform-stack.js";
import type { NodeGroupSpec } from "../../stacks/aws/platform-cluster.js";
import type { ZoneSubnets } from "../../stacks/aws/network.js";

/**
 * The AWS resolver: turns the cloud-neutral model into the flat, already-resolved props of
 * `stacks/aws/`. Pure and deterministic: no cdktf import at runtime (only types), no AWS call.
 * Every name, zone, CIDR, image URL, log group and pinned add-on version the stack renders is
 * computed here, so it can be unit-tested and read in one place.
 *
 * Names are API: they become AWS resource names, and changing one replaces the resource.
 */

export type { AwsPlatformProps };

/** IAM role names: 64 characters. */
const IAM_ROLE: NameRules = { maxLength: 64, separator: "-" };
/** SageMaker names (models, endpoints, configs, model package groups): `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
const SAGEMAKER: NameRules = { maxLength: 63, separator: "-" };
/** EKS cluster names: 100 characters, starting with a letter. */
const EKS_CLUSTER: NameRules = { maxLength: 100, separator: "-" };
/** EKS node group names: 63 characters. */
const NODE_GROUP: NameRules = { maxLength: 63, separator: "-" };
/** Generated SageMaker endpoint configuration names add 26 characters to the prefix (max 63). */
const ENDPOINT_CONFIG_PREFIX: NameRules = { maxLength: 36, separator: "-" };

/**
 * EKS add-on versions pinned per Kubernetes minor version, so a synth today and a synth next
 * month render the same cluster. Update with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <addon>`
 * (an offline plan cannot check them; EKS rejects an unknown version at apply).
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<"vpc-cni" | "kube-proxy" | "eks-pod-identity-agent" | "coredns", string>>>> = {
  "1.32": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.32.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.11.4-eksbuild.2" },
  "1.33": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.33.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.12.1-eksbuild.2" },
  "1.34": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.34.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.12.3-eksbuild.1" },
  "1.35": { "vpc-cni": "v1.21.1-eksbuild.3", "kube-proxy": "v1.35.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.13.2-eksbuild.1" },
};

/**
 * Zone letters per region where they are not simply a, b, c (zones retired or not offered to
 * new accounts). Names are derived, never looked up: no data source may call AWS at plan time.
 */
const ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "us-west-1": ["a", "c"],
};
const DEFAULT_ZONE_LETTERS = ["a", "b", "c"] as const;

/** Interface endpoints in the private subnets: construct id → service suffix. */
const INTERFACE_ENDPOINTS: Readonly<Record<string, string>> = {
  "ecr-api": "ecr.api",
  "ecr-dkr": "ecr.dkr",
  sts: "sts",
  logs: "logs",
  "sagemaker-runtime": "sagemaker.runtime",
};

/** EKS managed node group AMI types: the NVIDIA variant (driver and container toolkit) for GPU pools. */
export const GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA";
export const CPU_AMI_TYPE = "AL2023_x86_64_STANDARD";

export const awsTarget: CloudTarget<AwsPlatformProps> = {
  cloud: "aws",
  resolve: resolveAws,
  async loadStack(): Promise<StackFactory<AwsPlatformProps>> {
    return (await import("../../stacks/aws/index.js")).addAwsPlatformStack;
  },
};

export function resolveAws(model: PlatformModel, ctx: SynthContext): AwsPlatformProps {
  if (model.cloud !== "aws") throw internal(`the AWS target got a ${model.cloud} model`);
  const accountId = model.aws?.accountId;
  if (!accountId || !/^\d{12}$/.test(accountId)) {
    throw new MlplatError("MLP_AWS_ACCOUNT", `spec.aws.accountId must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}.`, {
      hint: 'add spec.aws: { accountId: "123456789012" }: names, key policies and image URLs are derived from it.',
    });
  }
  const region = model.region;
  const { partition, dnsSuffix } = partitionOf(region);
  const stack = model.stackName;
  const name = (item: string | undefined, rules: NameRules) => deriveName(model, item, rules);

  for (const b of model.buckets) {
    if (b.name === "access-logs") {
      throw new MlplatError("MLP_AWS_RESERVED_NAME", "the bucket name `access-logs` is reserved on AWS for the access-log bucket.", {
        hint: "rename the bucket (for example `logs-archive`).",
      });
    }
  }

  // Network ---------------------------------------------------------------------------------
  const zones = zoneSubnets(region, model.network.cidr);
  const clusterName = model.cluster ? name(undefined, EKS_CLUSTER) : undefined;

  // Storage ---------------------------------------------------------------------------------
  const bucketNames = Object.fromEntries(model.buckets.map((b) => [b.name, globalName(model, b.name, NAME_RULES.dns63)]));

  // Registry --------------------------------------------------------------------------------
  const repoNames = Object.fromEntries(model.registry.images.map((i) => [i.name, `${fitName(stack, { maxLength: 200, separator: "-" })}/${i.name}`]));
  const registryHost = `${accountId}.dkr.ecr.${region}.${dnsSuffix}`;
  const registryUrls = Object.fromEntries(Object.entries(repoNames).map(([k, v]) => [k, `${registryHost}/${v}`]));

  // Serving ---------------------------------------------------------------------------------
  const managed = model.endpoints.filter((e) => e.runtime === "managed");
  const endpointNames = Object.fromEntries(managed.map((e) => [e.name, name(e.name, SAGEMAKER)]));
  const endpoints = managed.map((e) => resolveEndpoint(model, e, endpointNames[e.name]!, { repoNames, registryHost, bucketNames, partition, region, accountId }));
  const kubernetesWorkloadRoles = model.cluster
    ? model.endpoints
        .filter((e) => e.runtime === "kubernetes" && e.model)
        .map((e) => {
          const roleName = deriveName(model, `${e.name}-workload`, IAM_ROLE);
          return {
            name: e.name,
            roleName,
            roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
            namespace: SERVING_NAMESPACE,
            // The endpoint's ServiceAccount is named like its Deployment (src/k8s/endpoint.ts).
            serviceAccount: endpointObjectName(e.name),
            modelBucket: e.model!.bucket,
            modelPrefix: e.model!.path.replace(/^\/+/, ""),
          };
        })
    : [];
  const anyAlarm = managed.some((e) => e.alarms.latencyP99Ms !== undefined || e.alarms.errorRatePercent !== undefined);
  const alertTopicName = anyAlarm || model.observability.alertEmails.length > 0 ? name("alerts", { maxLength: 256, separator: "-" }) : undefined;

  if (model.budget) checkBudget(model.budget);
  const defaultTags = awsTags({ ...model.labels, "mlplat-stack": stack });

  return {
    stackName: stack,
    region,
    accountId,
    partition,
    dnsSuffix,
    defaultTags,
    offline: ctx.offline,
    backend: backendOf(model, ctx),
    platformKeyAlias: `mlplat/${stack}`,
    network: {
      namePrefix: stack,
      cidr: model.network.cidr,
      zones,
      s3ServiceName: `com.amazonaws.${region}.s3`,
      interfaceEndpoints: Object.fromEntries(Object.entries(INTERFACE_ENDPOINTS).map(([id, svc]) => [id, `com.amazonaws.${region}.${svc}`])),
      clusterName,
      flowLogRoleName: name("flow-logs", IAM_ROLE),
    },
    logGroups: {
      flowLogs: `/mlplat/${stack}/vpc-flow-logs`,
      cluster: clusterName ? `/aws/eks/${clusterName}/cluster` : undefined,
      endpoints: Object.fromEntries(managed.map((e) => [e.name, `/aws/sagemaker/Endpoints/${endpointNames[e.name]}`])),
    },
    logRetentionDays: model.observability.logRetentionDays,
    alertTopicName,
    alertEmails: model.observability.alertEmails,
    storage: {
      logBucketName: globalName(model, "access-logs", NAME_RULES.dns63),
      logExpireAfterDays: 365,
      // The access logs are the audit trail of protected data: protected whenever any bucket is.
      protectLogBucket: model.buckets.length === 0 || model.buckets.some((b) => b.protect),
      buckets: model.buckets.map((b) => ({
        name: b.name,
        bucketName: bucketNames[b.name]!,
        keyAliasName: `mlplat/${stack}/${b.name}`,
        versioning: b.versioning,
        protect: b.protect,
        coolAfterDays: b.tiering?.coolAfterDays,
        archiveAfterDays: b.tiering?.archiveAfterDays,
        expireAfterDays: b.expireAfterDays,
      })),
    },
    registry: {
      images: model.registry.images.map((i) => ({
        name: i.name,
        repositoryName: repoNames[i.name]!,
        immutableTags: i.immutableTags,
        scanOnPush: i.scanOnPush,
        keepLast: i.keepLast,
      })),
      modelPackageGroupName: model.registry.models ? name("models", SAGEMAKER) : undefined,
    },
    cluster: model.cluster && clusterName ? resolveCluster(model, clusterName) : undefined,
    endpoints,
    kubernetesWorkloadRoles,
    budget: model.budget
      ? {
          budgetName: name("monthly", { maxLength: 100, separator: "-" }),
          monthlyUsd: model.budget.monthlyUsd,
          alertAtPercent: model.budget.alertAtPercent,
          emails: model.budget.emails,
          // Needs `mlplat-stack` activated as a cost allocation tag (Billing console), once per account.
          costTagFilter: `user:mlplat-stack$${defaultTags["mlplat-stack"]}`,
        }
      : undefined,
    bucketNames,
    registryUrls,
  };
}

/** AWS Budgets limits, checked here so a blueprint never reaches apply with them broken. */
function checkBudget(b: NonNullable<PlatformModel["budget"]>): void {
  const thresholds = new Set(b.alertAtPercent).size;
  if (thresholds > 5) {
    throw new MlplatError("MLP_AWS_BUDGET_LIMIT", `budget.alertAtPercent has ${thresholds} thresholds; AWS Budgets allows 5 notifications per budget.`, {
      hint: "keep at most 5 thresholds, for example [50, 80, 100].",
    });
  }
  if (b.emails.length === 0 || b.emails.length > 10) {
    throw new MlplatError("MLP_AWS_BUDGET_LIMIT", `budget.emails has ${b.emails.length} addresses; AWS Budgets needs 1 to 10 per notification.`, {
      hint: "list 1 to 10 addresses, or a distribution list.",
    });
  }
}

function resolveCluster(model: PlatformModel, clusterName: string): NonNullable<AwsPlatformProps["cluster"]> {
  const c = model.cluster!;
  const addonVersions = EKS_ADDON_VERSIONS[c.version];
  if (!addonVersions) {
    throw new MlplatError("MLP_AWS_EKS_VERSION", `mlplat has no pinned EKS add-on versions for Kubernetes ${c.version}.`, {
      path: ["spec", "cluster", "version"],
      hint: `use one of ${Object.keys(EKS_ADDON_VERSIONS).join(", ")}, or update EKS_ADDON_VERSIONS in src/targets/aws.ts.`,
    });
  }
  const reserved = ["system", "cluster-role", "cluster-role-policy", "cluster-role-kms", "node-role", "oidc-provider", "aws-node-role", "cluster-autoscaler-role", "vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"];
  const instanceTags = awsTags({ ...model.labels, "mlplat-stack": model.stackName });
  const pool = (p: NodePoolModel): NodeGroupSpec => {
    if (reserved.includes(p.name) || p.name.startsWith("admin-") || p.name.startsWith("node-role-policy")) {
      throw new MlplatError("MLP_AWS_RESERVED_NAME", `the node pool name \`${p.name}\` is reserved on AWS (an id of the cluster's own resources).`, {
        path: ["spec", "cluster", "nodePools", c.nodePools.indexOf(p), "name"],
        hint: `rename the pool (for example \`${p.name}-pool\`).`,
      });
    }
    if (p.max < 1) {
      throw new MlplatError("MLP_AWS_POOL_MAX", `node pool ${p.name}: EKS managed node groups need max >= 1, got ${p.max}.`, {
        hint: "set max to 1 or more; min: 0 keeps the pool empty until work arrives.",
      });
    }
    return {
      name: p.name,
      nodeGroupName: deriveName(model, p.name, NODE_GROUP),
      launchTemplateName: deriveName(model, p.name, { maxLength: 128, separator: "-" }),
      instanceType: p.instanceType,
      amiType: p.gpu ? GPU_AMI_TYPE : CPU_AMI_TYPE,
      spot: p.spot,
      minSize: p.min,
      maxSize: p.max,
      diskSizeGiB: p.diskGiB,
      labels: p.labels,
      taints: p.taints,
      gpuCount: p.gpu?.count,
      instanceTags,
    };
  };
  return {
    clusterName,
    version: c.version,
    privateEndpoint: model.network.privateCluster,
    publicAccessCidrs: model.network.privateCluster ? [] : model.network.adminCidrs,
    clusterRoleName: deriveName(model, "eks-cluster", IAM_ROLE),
    nodeRoleName: deriveName(model, "eks-node", IAM_ROLE),
    awsNodeRoleName: deriveName(model, "aws-node", IAM_ROLE),
    clusterAutoscalerRoleName: deriveName(model, "cluster-autoscaler", IAM_ROLE),
    admins: c.admins,
    addonVersions,
    systemPool: {
      name: "system",
      nodeGroupName: deriveName(model, "system", NODE_GROUP),
      launchTemplateName: deriveName(model, "system", { maxLength: 128, separator: "-" }),
      instanceType: c.systemPool.instanceType,
      amiType: CPU_AMI_TYPE,
      minSize: c.systemPool.min,
      maxSize: Math.max(c.systemPool.max, 1),
      diskSizeGiB: 50,
      labels: { "mlplat.io/pool": "system" },
      instanceTags,
    },
    nodePools: c.nodePools.map(pool),
  };
}

interface EndpointContext {
  readonly repoNames: Readonly<Record<string, string>>;
  readonly registryHost: string;
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

function resolveEndpoint(model: PlatformModel, e: EndpointModel, endpointName: string, x: EndpointContext): ManagedEndpointSpec {
  if (e.autoscaling.min < 1) {
    throw new MlplatError("MLP_AWS_MANAGED_MIN_ZERO", `endpoint ${e.name}: SageMaker real-time endpoints cannot scale to zero (autoscaling.min is ${e.autoscaling.min}).`, {
      hint: "set autoscaling.min to 1 or more, or use `runtime: kubernetes` to scale to zero on a cluster pool.",
    });
  }
  if (!e.instanceType) throw internal(`endpoint ${e.name}: a managed endpoint reached the AWS target without an ml.* instance type`);

  let image: string;
  let imageRepository: string | undefined;
  let imageRepositoryArn: string | undefined;
  if (e.image.kind === "repository") {
    const repo = x.repoNames[e.image.repository];
    if (!repo) throw internal(`endpoint ${e.name}: image repository ${e.image.repository} is not declared`);
    image = `${x.registryHost}/${repo}:${e.image.tag}`;
    imageRepository = e.image.repository;
  } else {
    image = e.image.uri;
    // An image in this account's ECR (in this region) can be pulled with a scoped permission.
    const m = new RegExp(`^${x.accountId}\\.dkr\\.ecr\\.${x.region}\\.[a-z.]+/([^:@]+)`).exec(image);
    if (m) imageRepositoryArn = `arn:${x.partition}:ecr:${x.region}:${x.accountId}:repository/${m[1]}`;
  }

  let modelDataUri: string | undefined;
  if (e.model) {
    const bucket = x.bucketNames[e.model.bucket];
    if (!bucket) throw internal(`endpoint ${e.name}: model bucket ${e.model.bucket} is not declared`);
    modelDataUri = `s3://${bucket}/${e.model.path.replace(/^\/+/, "")}`;
  }
  const volumeEncrypted = volumeKmsAllowed(e.instanceType);
  // New image or model data → new model name → new endpoint configuration → in-place endpoint update.
  const contentHash = stableHash([image, modelDataUri ?? ""], 8);

  return {
    name: e.name,
    endpointName,
    modelName: deriveName(model, `${e.name}-${contentHash}`, SAGEMAKER),
    endpointConfigNamePrefix: `${deriveName(model, e.name, ENDPOINT_CONFIG_PREFIX)}-`,
    executionRoleName: deriveName(model, `${e.name}-sagemaker`, IAM_ROLE),
    securityGroupName: deriveName(model, `${e.name}-endpoint`, { maxLength: 255, separator: "-" }),
    image,
    imageRepository,
    imageRepositoryArn,
    modelDataUri,
    modelBucket: e.model?.bucket,
    modelPrefix: e.model ? e.model.path.replace(/^\/+/, "") : undefined,
    instanceType: e.instanceType,
    volumeEncrypted,
    minInstances: e.autoscaling.min,
    maxInstances: e.autoscaling.max,
    targetConcurrency: e.autoscaling.targetConcurrency,
    invocationsPerInstanceTarget: e.autoscaling.targetConcurrency === undefined ? 100 : undefined,
    latencyP99Ms: e.alarms.latencyP99Ms,
    errorRatePercent: e.alarms.errorRatePercent,
  };
}

/**
 * SageMaker rejects a volume KMS key for instance types whose storage is local NVMe (it is
 * encrypted by the hardware). The catalog knows per type; unknown types fall back to the family
 * rule below.
 */
export function volumeKmsAllowed(instanceType: string): boolean {
  const row = loadCatalog().sagemakerInstance(instanceType);
  if (row) return row.volumeKmsAllowed;
  const family = instanceType.split(".")[1] ?? "";
  return !/^(g4dn|g5|g6|g6e|gr6|p3dn|p4d|p4de|p5|p5e|p5en|p6|trn1|trn1n|trn2|inf2|[cmr][5-8][a-z]*d)$/.test(family);
}

/** Zones derived from the region, and a private (/p+2) and public (/p+4) subnet in each. */
export function zoneSubnets(region: string, cidr: string): ZoneSubnets[] {
  const { base, prefix } = requireCidr(cidr, "MLP_AWS_CIDR");
  if (prefix < 16 || prefix > 24) {
    throw new MlplatError("MLP_AWS_CIDR", `network.cidr ${cidr} must be /16 to /24 on AWS, got /${prefix}.`, { hint: "use a /16 for room to grow." });
  }
  if (formatCidr({ base, prefix }) !== cidr) {
    throw new MlplatError("MLP_AWS_CIDR", `network.cidr ${cidr} has host bits set.`, { hint: `use ${formatCidr({ base, prefix })}.` });
  }
  const size = 2 ** (32 - prefix);
  const letters = ZONE_LETTERS[region] ?? DEFAULT_ZONE_LETTERS;
  const quarter = size / 4;
  const sixteenth = size / 16;
  return letters.slice(0, 3).map((letter, i) => ({
    zone: `${region}${letter}`,
    letter,
    // Nodes and pods take VPC addresses (VPC CNI): the private subnets get three quarters.
    privateCidr: formatCidr({ base: base + i * quarter, prefix: prefix + 2 }),
    // NAT gateways and load balancers need few: sixteenths of the last quarter.
    publicCidr: formatCidr({ base: base + 3 * quarter + i * sixteenth, prefix: prefix + 4 }),
  }));
}

function partitionOf(region: string): { partition: string; dnsSuffix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

function backendOf(model: PlatformModel, ctx: SynthContext): AwsPlatformProps["backend"] {
  // --offline never touches a remote backend.
  if (ctx.offline || model.state.backend === "local") return { kind: "local", path: ctx.localStatePath };
  if (model.state.backend === "s3") return { kind: "s3", bucket: model.state.bucket, key: model.state.key, region: model.state.region };
  throw new MlplatError("MLP_AWS_STATE_BACKEND", `spec.state.backend ${model.state.backend} is not available on AWS.`, {
    hint: "use `backend: s3` (with bucket and region) or `backend: local`.",
  });
}

/**
 * Tags fitted to AWS rules: keys up to 128 and values up to 256 characters of letters, digits,
 * spaces and `_ . : / = + - @`; keys may not start with `aws:`.
 */
export function awsTags(labels: Readonly<Record<string, string>>): Record<string, string> {
  const clean = (s: string, max: number) => s.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, "_").slice(0, max);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    let key = clean(k, 128);
    if (/^aws:/i.test(key)) key = `x-${key}`.slice(0, 128);
    out[key] = clean(v, 256);
  }
  return out;
}

function internal(message: string): MlplatError {
  return new MlplatError("MLP_AWS_INTERNAL", message, { exitCode: 70 });
}
