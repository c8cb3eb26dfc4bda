/**
 * One `serving.endpoints[]` entry with `runtime: managed`: a SageMaker model (image from ECR,
 * optional model data from a platform bucket, VPC config in the private subnets), an endpoint
 * configuration, the real-time endpoint, Application Auto Scaling (target and target-tracking
 * policy) and CloudWatch alarms into the alert topic.
 *
 * The model's execution role may read only the model's bucket prefix (and decrypt with that
 * bucket's key), pull only its repository, and write only to its own log group.
 *
 * SageMaker models and endpoint configurations are immutable. The model name carries a hash of
 * the image and model data (computed by the resolver) and the configuration uses a name prefix,
 * both with create_before_destroy, so a new image rolls out as an in-place endpoint update.
 *
 * UpdateEndpoint fails when it changes the instance type of a variant registered with
 * Application Auto Scaling, and scaling registered during an update acts on the old fleet (AWS:
 * "Update endpoints that use auto scaling",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html). So the
 * scaling target and its policy are replaced whenever the endpoint configuration is replaced
 * (its name changes: every rollout, whether image, model, instance type or initial count): Terraform deregisters them before it
 * updates the endpoint (the target refers to the endpoint: destroy, then the endpoint's update,
 * then create; hashicorp/terraform#28165) and registers them again after. The new fleet starts
 * at `minInstances` (the configuration's initial count) and scales from there.
 *
 * Rollout (v1.1): `deployment_config.blue_green_update_policy` with CANARY / LINEAR / ALL_AT_ONCE
 * traffic routing and `auto_rollback_configuration` on the endpoint's alarms (latency, errors and
 * drift). SageMaker reads the alarms when the update starts, so the endpoint waits for them and
 * they name the endpoint by its literal name (no reference back to it, no cycle); the execution
 * role may describe them (`cloudwatch:DescribeAlarms`, scoped to `<endpoint name>-*`).
 * The provider can report success for an update SageMaker rolled back
 * (hashicorp/terraform-provider-aws#46663, #48997): deploy checks it (src/engine/rollback-check.ts).
 *
 * Monitoring (v1.1): `data_capture_config` on the configuration (a new configuration, like any
 * configuration change), and `EndpointDriftMonitor` (./endpoint-monitoring.ts) as child `drift`.
 *
 * Construct ids are API: the endpoint is `Resource`; the other children are fixed ids.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy/index.js";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerEndpoint } from "@cdktf/provider-aws/lib/sagemaker-endpoint/index.js";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration/index.js";
import { SagemakerModel } from "@cdktf/provider-aws/lib/sagemaker-model/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { captureStatements, EndpointDriftMonitor, type EndpointMonitoringProps } from "./endpoint-monitoring.js";
import { policyDocument, serviceTrustPolicy, type Statement, sagemakerVpcAccessStatement } from "./policies.js";

export const SAGEMAKER_VARIANT = "AllTraffic";

/** A blue/green deployment configuration, resolved (src/targets/aws/rollout.ts). */
export interface EndpointRolloutProps {
  readonly type: "ALL_AT_ONCE" | "CANARY" | "LINEAR";
  /** CAPACITY_PERCENT of the canary (CANARY) or of each step (LINEAR). @default - none (ALL_AT_ONCE) */
  readonly sizePercent?: number;
  /** The bake after each step, at most 3600. */
  readonly waitIntervalSeconds: number;
  readonly terminationWaitSeconds: number;
  /** 600 to 14400 (the provider's range; the API allows 28800). */
  readonly maximumExecutionTimeoutSeconds: number;
  /** Alarm names SageMaker rolls back on; they must be the endpoint's own (created here). Empty: no auto-rollback. */
  readonly rollbackAlarmNames: readonly string[];
}

export interface ManagedEndpointProps {
  readonly endpointName: string;
  /** Model name including a hash of image and model data. */
  readonly modelName: string;
  /** Prefix of the generated endpoint configuration name. */
  readonly endpointConfigNamePrefix: string;
  readonly executionRoleName: string;
  readonly securityGroupName: string;
  /** Full image URI. */
  readonly image: string;
  /** ARN of the ECR repository holding the image. @default - no ECR pull permission (image outside this account's ECR) */
  readonly imageRepositoryArn?: string;
  /** `s3://bucket/prefix/` (a prefix, loaded uncompressed) or `s3://bucket/model.tar.gz`. @default - no model data */
  readonly modelDataUri?: string;
  /** Bucket holding the model data (for the execution role). @default - none */
  readonly modelBucketArn?: string;
  /** Key prefix the role may read. @default "" */
  readonly modelPrefix?: string;
  /** Key of the model bucket (the role decrypts with it). @default - none */
  readonly modelBucketKeyArn?: string;
  /** `ml.*` instance type. */
  readonly instanceType: string;
  /** Encrypts the ML storage volume; only for types without local NVMe. @default - no volume key */
  readonly volumeKmsKeyArn?: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** At least 1: SageMaker real-time endpoints do not scale to zero in this provider version. */
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Concurrent requests per model copy; tracks `SageMakerVariantConcurrentRequestsPerModelHighResolution`. @default - invocations per instance */
  readonly targetConcurrency?: number;
  /** Target of `SageMakerVariantInvocationsPerInstance` (per minute) when no targetConcurrency. @default 100 */
  readonly invocationsPerInstanceTarget?: number;
  /** The endpoint's log group `/aws/sagemaker/Endpoints/<endpointName>`. */
  readonly logGroupArn: string;
  /** p99 model latency alarm threshold. @default - no latency alarm */
  readonly latencyP99Ms?: number;
  /** 5XX error rate alarm threshold, percent of invocations. @default - no error alarm */
  readonly errorRatePercent?: number;
  /** Alarm actions. @default - alarms without actions */
  readonly alarmTopicArn?: string;
  /** What the endpoint needs before its instances start (the VPC's egress: NAT, endpoints). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Gradual rollout with alarm rollback. @default - SageMaker's default update (blue/green, all at once, no alarms) */
  readonly rollout?: EndpointRolloutProps;
  /** Capture and drift. @default - none */
  readonly monitoring?: EndpointMonitoringProps;
}

export class ManagedEndpoint extends Construct {
  readonly endpoint: SagemakerEndpoint;
  readonly model: SagemakerModel;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** The drift monitor (`monitoring.drift`). */
  readonly drift?: EndpointDriftMonitor;

  constructor(scope: Construct, id: string, props: ManagedEndpointProps) {
    super(scope, id);
    if (!Number.isInteger(props.minInstances) || props.minInstances < 1 || props.maxInstances < props.minInstances) {
      throw new Error(
        `endpoint ${props.endpointName}: need 1 <= min <= max instances, got min ${props.minInstances}, max ${props.maxInstances} ` +
          "(SageMaker real-time endpoints cannot scale to zero; use runtime: kubernetes)",
      );
    }

    const role = new IamRole(this, "execution-role", {
      name: props.executionRoleName,
      assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com"),
    });
    const statements: Statement[] = [
      {
        Sid: "Logs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [props.logGroupArn, `${props.logGroupArn}:*`],
      },
      {
        Sid: "Metrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringLike: { "cloudwatch:namespace": ["AWS/SageMaker", "/aws/sagemaker/*"] } },
      },
      sagemakerVpcAccessStatement(),
    ];
    if (props.imageRepositoryArn) {
      statements.push(
        { Sid: "EcrToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "PullImage",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
          Resource: props.imageRepositoryArn,
        },
      );
    }
    if (props.modelBucketArn) {
      const prefix = props.modelPrefix ?? "";
      statements.push(
        { Sid: "ReadModel", Effect: "Allow", Action: "s3:GetObject", Resource: `${props.modelBucketArn}/${prefix}*` },
        {
          Sid: "ListModel",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: props.modelBucketArn,
          Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } },
        },
      );
    }
    const keys = [props.modelBucketKeyArn, props.volumeKmsKeyArn].filter((k): k is string => !!k);
    if (props.monitoring) statements.push(...captureStatements(props.monitoring.capture, props.endpointName));
    if (props.rollout && props.rollout.rollbackAlarmNames.length > 0) {
      // SageMaker reads the rollback alarms' state during the update: those alarms only.
      statements.push({
        Sid: "DescribeRollbackAlarms",
        Effect: "Allow",
        Action: "cloudwatch:DescribeAlarms",
        Resource: props.rollout.rollbackAlarmNames.map((n) => `arn:*:cloudwatch:*:*:alarm:${n}`),
      });
    }
    if (keys.length > 0) {
      statements.push({ Sid: "Decrypt", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"], Resource: keys });
    }
    const rolePolicy = new IamRolePolicy(this, "execution-policy", { role: role.id, name: "endpoint", policy: policyDocument(statements) });

    const sg = new SecurityGroup(this, "security-group", {
      name: props.securityGroupName,
      description: `SageMaker endpoint ${props.endpointName}: no inbound, HTTPS out`,
      vpcId: props.vpcId,
      egress: [{ description: "HTTPS to AWS APIs (endpoints, S3, NAT)", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
      ingress: [],
    });

    const prefixData = props.modelDataUri?.endsWith("/");
    this.model = new SagemakerModel(this, "model", {
      name: props.modelName,
      executionRoleArn: role.arn,
      primaryContainer: {
        image: props.image,
        modelDataUrl: props.modelDataUri && !prefixData ? props.modelDataUri : undefined,
        modelDataSource: prefixData
          ? { s3DataSource: [{ s3Uri: props.modelDataUri!, s3DataType: "S3Prefix", compressionType: "None" }] }
          : undefined,
      },
      vpcConfig: { subnets: props.subnetIds, securityGroupIds: [sg.id] },
      lifecycle: { createBeforeDestroy: true },
      // The role must be able to pull and read before SageMaker validates the model.
      dependsOn: [rolePolicy],
    });

    const config = new SagemakerEndpointConfiguration(this, "config", {
      namePrefix: props.endpointConfigNamePrefix,
      kmsKeyArn: props.volumeKmsKeyArn,
      productionVariants: [
        {
          variantName: SAGEMAKER_VARIANT,
          modelName: this.model.name,
          instanceType: props.instanceType,
          initialInstanceCount: props.minInstances,
        },
      ],
      dataCaptureConfig: props.monitoring
        ? {
            enableCapture: true,
            initialSamplingPercentage: props.monitoring.capture.samplePercent,
            destinationS3Uri: `s3://${props.monitoring.capture.bucketName}/${props.monitoring.capture.prefix}`,
            kmsKeyId: props.monitoring.capture.bucketKeyArn,
            captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
          }
        : undefined,
      lifecycle: { createBeforeDestroy: true },
    });

    this.endpoint = new SagemakerEndpoint(this, "Resource", {
      name: props.endpointName,
      endpointConfigName: config.name,
      dependsOn: props.dependsOn,
    });

    const resourceId = `endpoint/${this.endpoint.name}/variant/${SAGEMAKER_VARIANT}`;
    // Deregistered around every endpoint update, registered again after (see the top of the file).
    // Keyed on the configuration's name: a new configuration (a rollout) has a new name; a
    // tag-only update of the configuration changes nothing the endpoint runs and re-registers nothing.
    const aroundUpdates = { replaceTriggeredBy: [`${config.terraformResourceType}.${config.friendlyUniqueId}.name`] };
    const target = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "sagemaker",
      resourceId,
      scalableDimension: "sagemaker:variant:DesiredInstanceCount",
      minCapacity: props.minInstances,
      maxCapacity: props.maxInstances,
      lifecycle: aroundUpdates,
    });
    const byConcurrency = props.targetConcurrency !== undefined;
    new AppautoscalingPolicy(this, "scaling-policy", {
      name: `${props.endpointName}-${byConcurrency ? "concurrency" : "invocations"}`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: byConcurrency ? props.targetConcurrency! : props.invocationsPerInstanceTarget ?? 100,
        predefinedMetricSpecification: {
          predefinedMetricType: byConcurrency
            ? "SageMakerVariantConcurrentRequestsPerModelHighResolution"
            : "SageMakerVariantInvocationsPerInstance",
        },
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
      // Deregistering the target deletes its policies with it: the policy follows the target.
      lifecycle: aroundUpdates,
    });

    const actions = props.alarmTopicArn ? [props.alarmTopicArn] : undefined;
    // With alarm rollback the endpoint waits for its alarms, so they name it literally (no cycle).
    const rollback = (props.rollout?.rollbackAlarmNames.length ?? 0) > 0;
    const named = new Map<string, CloudwatchMetricAlarm>();
    const track = (alarm: CloudwatchMetricAlarm, name: string) => {
      this.alarms.push(alarm);
      named.set(name, alarm);
      return alarm;
    };
    const dimensions = { EndpointName: rollback ? props.endpointName : this.endpoint.name, VariantName: SAGEMAKER_VARIANT };
    if (props.latencyP99Ms !== undefined) {
      track(
        new CloudwatchMetricAlarm(this, "latency-alarm", {
          alarmName: `${props.endpointName}-latency-p99`,
          alarmDescription: `p99 model latency of ${props.endpointName} above ${props.latencyP99Ms} ms`,
          namespace: "AWS/SageMaker",
          metricName: "ModelLatency",
          dimensions,
          extendedStatistic: "p99",
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          // ModelLatency is reported in microseconds.
          threshold: props.latencyP99Ms * 1000,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
        }),
        `${props.endpointName}-latency-p99`,
      );
    }
    if (props.errorRatePercent !== undefined) {
      track(
        new CloudwatchMetricAlarm(this, "error-alarm", {
          alarmName: `${props.endpointName}-5xx-rate`,
          alarmDescription: `Invocation5XXErrors of ${props.endpointName} above ${props.errorRatePercent}% of invocations`,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: props.errorRatePercent,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
          metricQuery: [
            {
              id: "errors",
              metric: { namespace: "AWS/SageMaker", metricName: "Invocation5XXErrors", dimensions, period: 60, stat: "Sum" },
            },
            {
              id: "invocations",
              metric: { namespace: "AWS/SageMaker", metricName: "Invocations", dimensions, period: 60, stat: "Sum" },
            },
            { id: "rate", expression: "IF(invocations > 0, 100 * errors / invocations, 0)", label: "5XX error rate (%)", returnData: true },
          ],
        }),
        `${props.endpointName}-5xx-rate`,
      );
    }

    if (props.monitoring?.drift) {
      this.drift = new EndpointDriftMonitor(this, "drift", {
        ...props.monitoring.drift,
        endpointName: props.endpointName,
        endpoint: this.endpoint,
        capture: props.monitoring.capture,
        subnetIds: props.subnetIds,
        securityGroupId: sg.id,
        alarmTopicArn: props.alarmTopicArn,
      });
      track(this.drift.alarm, props.monitoring.drift.alarmName);
    }

    if (props.rollout) {
      const r = props.rollout;
      const byName = named;
      const missing = r.rollbackAlarmNames.filter((n) => !byName.has(n));
      if (missing.length > 0) throw new Error(`endpoint ${props.endpointName}: rollback alarms ${missing.join(", ")} are not this endpoint's alarms (have ${[...byName.keys()].join(", ") || "none"})`);
      this.endpoint.putDeploymentConfig({
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: {
            type: r.type,
            waitIntervalInSeconds: r.waitIntervalSeconds,
            canarySize: r.type === "CANARY" ? { type: "CAPACITY_PERCENT", value: r.sizePercent! } : undefined,
            linearStepSize: r.type === "LINEAR" ? { type: "CAPACITY_PERCENT", value: r.sizePercent! } : undefined,
          },
          terminationWaitInSeconds: r.terminationWaitSeconds,
          maximumExecutionTimeoutInSeconds: r.maximumExecutionTimeoutSeconds,
        },
        autoRollbackConfiguration: rollback ? { alarms: r.rollbackAlarmNames.map((alarmName) => ({ alarmName })) } : undefined,
      });
      // SageMaker reads the alarms when the update starts: they exist first.
      if (rollback) this.endpoint.dependsOn = [...(this.endpoint.dependsOn ?? []), ...r.rollbackAlarmNames.map((n) => `${byName.get(n)!.terraformResourceType}.${byName.get(n)!.friendlyUniqueId}`)];
    }
  }
}
