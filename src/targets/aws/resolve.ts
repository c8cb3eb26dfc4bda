import type { PlatformModel, SynthContext } from "../../model/platform.js";
import { NAME_RULES, deriveName, fitName, globalName, type NameRules } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import { SERVING_NAMESPACE, endpointObjectName } from "../../k8s/conventions.js";
import type { AwsPlatformProps } from "../../../stacks/aws/platform-stack.js";
import { awsTags, backendOf, checkBudget } from "./account.js";
import { resolveCluster } from "./cluster.js";
import { EKS_CLUSTER, IAM_ROLE, SAGEMAKER, internal } from "./names.js";
import { INTERFACE_ENDPOINTS, WORKSPACE_ENDPOINTS, partitionOf, zoneSubnets } from "./network.js";
import { resolveEndpoint } from "./serving.js";
import { resolvePipelines } from "./pipelines.js";
import { resolveTracking } from "./tracking.js";
import { resolveWorkspaces } from "./workspaces.js";

/**
 * Days an old version of an object stays in a versioned bucket without `expireAfterDays`
 * (with it, old versions follow that expiry). Long enough to undo a bad overwrite or delete.
 */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * The AWS resolver: turns the cloud-neutral model into the flat, already-resolved props of
 * `stacks/aws/`. Pure and deterministic: no cdktf import at runtime (only types), no AWS call.
 * Every name, zone, CIDR, image URL, log group and pinned add-on version the stack renders is
 * computed here (and in the files next to this one), so it can be unit-tested and read in one place.
 *
 * Names are API: they become AWS resource names, and changing one replaces the resource.
 */
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
  const endpoints = managed.map((e) => resolveEndpoint(model, e, endpointNames[e.name]!, { repoNames, registryHost, bucketNames, partition, region, accountId, dnsSuffix }));
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
  const anyAlarm = managed.some((e) => e.alarms.latencyP99Ms !== undefined || e.alarms.errorRatePercent !== undefined || !!e.monitoring?.drift);
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
      interfaceEndpoints: Object.fromEntries(
        Object.entries({ ...INTERFACE_ENDPOINTS, ...(model.workspaces ? WORKSPACE_ENDPOINTS : {}) }).map(([id, svc]) => [id, `com.amazonaws.${region}.${svc}`]),
      ),
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
        noncurrentExpireAfterDays: b.versioning ? (b.expireAfterDays ?? NONCURRENT_VERSION_DAYS) : undefined,
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
    workspaces: resolveWorkspaces(model, { partition, accountId, region }),
    tracking: resolveTracking(model, { bucketNames, region, dnsSuffix }),
    pipelines: resolvePipelines(model, { dnsSuffix, bucketNames, modelPackageGroupName: model.registry.models ? name("models", SAGEMAKER) : undefined }),
    bucketNames,
    registryUrls,
  };
}
