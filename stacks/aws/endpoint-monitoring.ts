/**
 * `serving.endpoints[].monitoring.drift` of a SageMaker endpoint: a Model Monitor data-quality job
 * definition (the region's analyzer image against the baseline's `constraints.json` and
 * `statistics.json`), an hourly or daily monitoring schedule, and the drift alarm.
 *
 * The drift signal: a monitoring execution that completes with violations
 * (`MonitoringExecutionStatus` `CompletedWithViolations`,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringExecutionSummary.html).
 * SageMaker's own CloudWatch metrics for it are per feature (`feature_baseline_drift_<feature>` in
 * `/aws/sagemaker/Endpoints/data-metrics`,
 * https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-cloudwatch.html), and the
 * features are only known from the baseline at run time, so no alarm can name them here. The execution
 * runs as a processing job, whose state changes SageMaker sends to EventBridge
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html, "SageMaker
 * Processing Job State Change", the detail is the job's description: `MonitoringScheduleArn`,
 * `ProcessingJobStatus`, `ExitMessage` `CompletedWithViolations: …`). A rule matching this schedule's
 * completions with violations writes them to a log group; a metric filter counts them; the alarm
 * `<endpoint name>-drift` fires on one. It notifies the platform topic, `pipelines[].triggers.alarm`
 * matches it by the `<endpoint name>-` prefix, and the endpoint's blue/green rollout rolls back on it.
 *
 * Construct ids and names are API (Terraform addresses): `role`, `policy`, `job-definition`,
 * `schedule`, `events-log-group`, `events-policy`, `events-rule`, `events-target`, `metric-filter`, `alarm`.
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter/index.js";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerDataQualityJobDefinition } from "@cdktf/provider-aws/lib/sagemaker-data-quality-job-definition/index.js";
import { SagemakerMonitoringSchedule } from "@cdktf/provider-aws/lib/sagemaker-monitoring-schedule/index.js";
import type { ITerraformDependable } from "cdktf";
import { policyDocument, serviceTrustPolicy, type Statement, sagemakerVpcAccessStatement } from "./policies.js";

/** Where the endpoint's requests and responses are captured. */
export interface EndpointCaptureProps {
  /** Share of requests captured, 1-100. */
  readonly samplePercent: number;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** The capture bucket's key: captures and reports are encrypted with it. */
  readonly bucketKeyArn: string;
  /** Key prefix ending in `/`; SageMaker appends `<endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  readonly prefix: string;
}

/** The drift monitor, resolved (names derived, image from the catalog). */
export interface EndpointDriftProps {
  readonly jobDefinitionName: string;
  readonly scheduleName: string;
  readonly roleName: string;
  /** `cron(0 * ? * * *)` (hourly) or `cron(0 0 ? * * *)` (daily). */
  readonly scheduleExpression: string;
  /** The schedule's interval: the alarm's period, so one violation keeps it in ALARM until the next execution. */
  readonly periodSeconds: number;
  /** The region's `sagemaker-model-monitor-analyzer` image. */
  readonly imageUri: string;
  readonly baselineBucketArn: string;
  readonly baselineBucketName: string;
  readonly baselineBucketKeyArn: string;
  /** Prefix holding `constraints.json` and `statistics.json` (`""` or ending in `/`). */
  readonly baselinePrefix: string;
  /** Prefix of the reports in the capture bucket, ending in `/`. */
  readonly reportsPrefix: string;
  /** `<endpoint name>-drift`. */
  readonly alarmName: string;
  readonly ruleName: string;
  /** `/aws/events/<endpoint name>-drift`. */
  readonly eventsLogGroupName: string;
  readonly metricNamespace: string;
  readonly metricName: string;
  /** `ml.*` type of the monitoring job. @default "ml.m5.xlarge" */
  readonly instanceType?: string;
}

export interface EndpointDriftMonitorProps extends EndpointDriftProps {
  readonly endpointName: string;
  /** The endpoint (the schedule needs it InService). */
  readonly endpoint: ITerraformDependable;
  readonly capture: EndpointCaptureProps;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  /** Platform key: the job's volume and the events log group. */
  readonly platformKeyArn: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** @default - alarm without actions */
  readonly alarmTopicArn?: string;
}

/** The `monitoring` of one endpoint as the construct takes it: capture, and drift when set. */
export interface EndpointMonitoringProps {
  readonly capture: EndpointCaptureProps;
  readonly drift?: EndpointDriftProps & { readonly platformKeyArn: string; readonly partition: string; readonly region: string; readonly accountId: string };
}

/** As the resolver leaves it: declared bucket names where the stack fills in ARNs and keys. */
export interface EndpointMonitoringSpec {
  readonly capture: Omit<EndpointCaptureProps, "bucketArn" | "bucketKeyArn"> & { /** Declared bucket. */ readonly bucket: string };
  readonly drift?: Omit<EndpointDriftProps, "baselineBucketArn" | "baselineBucketKeyArn"> & {
    /** Declared bucket. */
    readonly baselineBucket: string;
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
  };
}

type BucketRefs = Readonly<Record<string, { readonly bucket: { readonly arn: string }; readonly key: { readonly arn: string } }>>;

/** Fills in the buckets' ARNs and keys and the platform key. */
export function bindMonitoring(spec: EndpointMonitoringSpec, buckets: BucketRefs, platformKeyArn: string): EndpointMonitoringProps {
  const at = (name: string) => {
    const b = buckets[name];
    if (!b) throw new Error(`monitoring: no bucket '${name}'`);
    return b;
  };
  const { bucket, ...capture } = spec.capture;
  const c = at(bucket);
  if (!spec.drift) return { capture: { ...capture, bucketArn: c.bucket.arn, bucketKeyArn: c.key.arn } };
  const { baselineBucket, ...drift } = spec.drift;
  const b = at(baselineBucket);
  return {
    capture: { ...capture, bucketArn: c.bucket.arn, bucketKeyArn: c.key.arn },
    drift: { ...drift, baselineBucketArn: b.bucket.arn, baselineBucketKeyArn: b.key.arn, platformKeyArn },
  };
}

export const MODEL_MONITOR_JOB_MAX_SECONDS = 1800;

/**
 * The AWS signal that carries drift, pinned by test/aws/rollout-monitoring.test.ts: the processing job
 * of a monitoring execution that completes with violations.
 */
export const DRIFT_SIGNAL = {
  source: "aws.sagemaker",
  detailType: "SageMaker Processing Job State Change",
  status: "Completed",
  exitMessagePrefix: "CompletedWithViolations",
  docs: [
    "https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringExecutionSummary.html",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeProcessingJob.html",
  ],
} as const;

export class EndpointDriftMonitor extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly schedule: SagemakerMonitoringSchedule;

  constructor(scope: Construct, id: string, props: EndpointDriftMonitorProps) {
    super(scope, id);
    const a = { partition: props.partition, region: props.region, account: props.accountId };
    const cap = props.capture;
    const captured = `${cap.prefix}${props.endpointName}/`;
    const processingLogs = `arn:${a.partition}:logs:${a.region}:${a.account}:log-group:/aws/sagemaker/ProcessingJobs`;
    const role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com") });
    const statements: Statement[] = [
      { Sid: "ReadCaptures", Effect: "Allow", Action: "s3:GetObject", Resource: `${cap.bucketArn}/${captured}*` },
      { Sid: "ListCaptures", Effect: "Allow", Action: "s3:ListBucket", Resource: cap.bucketArn, Condition: { StringLike: { "s3:prefix": [`${captured}*`] } } },
      { Sid: "WriteReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${cap.bucketArn}/${props.reportsPrefix}*` },
      {
        Sid: "ReadBaseline",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: [`${props.baselineBucketArn}/${props.baselinePrefix}constraints.json`, `${props.baselineBucketArn}/${props.baselinePrefix}statistics.json`],
      },
      { Sid: "Keys", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"], Resource: [...new Set([cap.bucketKeyArn, props.baselineBucketKeyArn, props.platformKeyArn])] },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [processingLogs, `${processingLogs}:*`] },
      { Sid: "Metrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringLike: { "cloudwatch:namespace": ["aws/sagemaker/Endpoints/data-metrics", "/aws/sagemaker/Endpoints/data-metrics"] } } },
      sagemakerVpcAccessStatement(),
    ];
    const policy = new IamRolePolicy(this, "policy", { role: role.id, name: "drift-monitor", policy: policyDocument(statements) });

    const definition = new SagemakerDataQualityJobDefinition(this, "job-definition", {
      name: props.jobDefinitionName,
      roleArn: role.arn,
      dataQualityAppSpecification: { imageUri: props.imageUri, environment: { publish_cloudwatch_metrics: "Enabled" } },
      dataQualityBaselineConfig: {
        constraintsResource: { s3Uri: `s3://${props.baselineBucketName}/${props.baselinePrefix}constraints.json` },
        statisticsResource: { s3Uri: `s3://${props.baselineBucketName}/${props.baselinePrefix}statistics.json` },
      },
      dataQualityJobInput: {
        endpointInput: { endpointName: props.endpointName, localPath: "/opt/ml/processing/input/endpoint", s3InputMode: "File", s3DataDistributionType: "FullyReplicated" },
      },
      dataQualityJobOutputConfig: {
        kmsKeyId: cap.bucketKeyArn,
        monitoringOutputs: { s3Output: { s3Uri: `s3://${cap.bucketName}/${props.reportsPrefix}`, localPath: "/opt/ml/processing/output", s3UploadMode: "EndOfJob" } },
      },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: props.instanceType ?? "ml.m5.xlarge", volumeSizeInGb: 20, volumeKmsKeyId: props.platformKeyArn } },
      networkConfig: {
        enableInterContainerTrafficEncryption: true,
        vpcConfig: { subnets: props.subnetIds, securityGroupIds: [props.securityGroupId] },
      },
      stoppingCondition: { maxRuntimeInSeconds: MODEL_MONITOR_JOB_MAX_SECONDS },
      // The role must read the baseline before SageMaker validates the definition; the endpoint must exist.
      dependsOn: [policy, props.endpoint],
    });

    this.schedule = new SagemakerMonitoringSchedule(this, "schedule", {
      name: props.scheduleName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: definition.name,
        monitoringType: "DataQuality",
        scheduleConfig: { scheduleExpression: props.scheduleExpression },
      },
    });

    // Completed executions with violations → log events → a count → the alarm.
    const logGroup = new CloudwatchLogGroup(this, "events-log-group", { name: props.eventsLogGroupName, retentionInDays: 90, kmsKeyId: props.platformKeyArn });
    const logGroupArn = `arn:${a.partition}:logs:${a.region}:${a.account}:log-group:${props.eventsLogGroupName}`;
    const rule = new CloudwatchEventRule(this, "events-rule", {
      name: props.ruleName,
      description: `Model Monitor executions of ${props.endpointName} that complete with violations (drift)`,
      eventPattern: JSON.stringify({
        source: [DRIFT_SIGNAL.source],
        "detail-type": [DRIFT_SIGNAL.detailType],
        detail: {
          MonitoringScheduleArn: [this.schedule.arn],
          ProcessingJobStatus: [DRIFT_SIGNAL.status],
          ExitMessage: [{ prefix: DRIFT_SIGNAL.exitMessagePrefix }],
        },
      }),
    });
    // EventBridge writes to a log group through its resource policy (no role):
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
    const logPolicy = new CloudwatchLogResourcePolicy(this, "events-policy", {
      policyName: `${props.ruleName}-events`,
      policyDocument: policyDocument([
        {
          Sid: "EventBridgeWrites",
          Effect: "Allow",
          Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroupArn}:*`,
          Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
        },
      ]),
    });
    new CloudwatchEventTarget(this, "events-target", { rule: rule.name, arn: logGroupArn, dependsOn: [logGroup, logPolicy] });
    new CloudwatchLogMetricFilter(this, "metric-filter", {
      name: `${props.endpointName}-drift-violations`,
      logGroupName: logGroup.name,
      pattern: '{ $.detail.ProcessingJobStatus = "Completed" }',
      metricTransformation: { namespace: props.metricNamespace, name: props.metricName, value: "1", unit: "Count" },
    });
    const actions = props.alarmTopicArn ? [props.alarmTopicArn] : undefined;
    // Literal names only: the endpoint's rollout names this alarm and waits for it (no reference back).
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: props.alarmName,
      alarmDescription: `Model Monitor found drift on ${props.endpointName}: an execution completed with violations of the baseline`,
      namespace: props.metricNamespace,
      metricName: props.metricName,
      statistic: "Sum",
      period: props.periodSeconds,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
    });
  }
}

/** The execution role's permission to write captures (SageMaker writes them as the endpoint's role). */
export function captureStatements(cap: EndpointCaptureProps, endpointName: string): Statement[] {
  return [
    { Sid: "WriteCaptures", Effect: "Allow", Action: "s3:PutObject", Resource: `${cap.bucketArn}/${cap.prefix}${endpointName}/*` },
    { Sid: "CaptureKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: cap.bucketKeyArn },
  ];
}
