import type { EndpointModel, PlatformModel } from "../../model/platform.js";
import { deriveName, stableHash } from "../../model/names.js";
import { loadCatalog } from "../../catalog/index.js";
import { MlplatError } from "../../util/errors.js";
import type { ManagedEndpointSpec } from "../../../stacks/aws/platform-stack.js";
import { ENDPOINT_CONFIG_PREFIX, IAM_ROLE, SAGEMAKER, internal } from "./names.js";
import { driftAlarmName, resolveMonitoring } from "./monitoring.js";
import { resolveRollout } from "./rollout.js";

export interface EndpointContext {
  readonly repoNames: Readonly<Record<string, string>>;
  readonly registryHost: string;
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** @default "amazonaws.com" */
  readonly dnsSuffix?: string;
}

export function resolveEndpoint(model: PlatformModel, e: EndpointModel, endpointName: string, x: EndpointContext): ManagedEndpointSpec {
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
  const monitoring = e.monitoring ? resolveMonitoring(model, e.name, endpointName, e.monitoring, { ...x, dnsSuffix: x.dnsSuffix ?? "amazonaws.com" }) : undefined;
  // The endpoint's own alarms, in the order the construct creates them.
  const alarmNames = [
    ...(e.alarms.latencyP99Ms !== undefined ? [`${endpointName}-latency-p99`] : []),
    ...(e.alarms.errorRatePercent !== undefined ? [`${endpointName}-5xx-rate`] : []),
    ...(monitoring?.drift ? [driftAlarmName(endpointName)] : []),
  ];

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
    ...(e.rollout ? { rollout: resolveRollout(e.rollout, alarmNames) } : {}),
    ...(monitoring ? { monitoring } : {}),
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
