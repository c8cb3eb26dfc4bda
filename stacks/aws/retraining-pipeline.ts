/**
 * One `spec.pipelines[]` entry on AWS: a SageMaker pipeline from the exported definition, the role
 * it runs as, and what starts it.
 *
 * - `aws_sagemaker_pipeline` with the definition as a literal (written through the escaping sink
 *   at synth: `${` in a definition stays text) and the execution role.
 * - The execution role (trusted by sagemaker.amazonaws.com) may: read and write the listed
 *   buckets and use their keys only through S3; create, describe, stop and tag the training,
 *   processing and transform jobs and models that SageMaker Pipelines starts, which it names
 *   `pipelines-<execution id>-<step>-…` (so the ARNs are scoped to `…/pipelines-*`); write those
 *   jobs' logs; pull the platform's images; register model versions in the platform's model
 *   package group only when `registry.models` is set; and pass ITSELF, only to SageMaker.
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html
 * - `schedule`: an EventBridge Scheduler schedule, `cron(...)` in UTC, flexible time window OFF,
 *   whose templated SageMaker target starts the pipeline with `parameters`; its role (trusted by
 *   scheduler.amazonaws.com for this account) may only `sagemaker:StartPipelineExecution` on this
 *   pipeline. https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 * - `newData` / `alarm` triggers: EventBridge rules (S3 `Object Created` on the bucket under the
 *   prefix; CloudWatch `Alarm State Change` to ALARM for alarms named `<endpoint name>-…`) whose
 *   SageMaker pipeline target starts the pipeline with `parameters`; the rules' role (trusted by
 *   events.amazonaws.com for this account) may only start this pipeline.
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
 *
 * Construct ids are API (Terraform addresses): the pipeline is `Resource`, its role `role` and
 * `role-policy`, the schedule `schedule` with `schedule-role`, the rules `data-<bucket>` /
 * `alarm-<endpoint>` with targets `<rule id>-target`, and their role `events-role`.
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerPipeline } from "@cdktf/provider-aws/lib/sagemaker-pipeline/index.js";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule/index.js";
import { policyDocument, serviceTrustPolicy, type AccountScope, type Statement } from "./policies.js";

export interface PipelineBucketAccess {
  readonly bucketArn: string;
  readonly keyArn: string;
}

export interface NewDataRule {
  /** Construct id suffix: `data-<id>`. */
  readonly id: string;
  readonly ruleName: string;
  /** Derived bucket name, as S3 events carry it. */
  readonly bucketName: string;
  /** Key prefix; "" for the whole bucket. */
  readonly prefix: string;
}

export interface AlarmRule {
  /** Construct id suffix: `alarm-<id>`. */
  readonly id: string;
  readonly ruleName: string;
  /** The endpoint's alarms are named `<SageMaker endpoint name>-<what>`: `<endpoint name>-`. */
  readonly alarmNamePrefix: string;
}

export interface RetrainingPipelineProps extends AccountScope {
  /** SageMaker pipeline name (`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}`). */
  readonly pipelineName: string;
  /** The SageMaker pipeline definition JSON, as exported. */
  readonly definition: string;
  readonly executionRoleName: string;
  /** Buckets the pipeline's jobs may read and write. */
  readonly buckets: readonly PipelineBucketAccess[];
  /** `s3.<region>.<dns suffix>`: the only way the role may use the bucket keys. */
  readonly s3ViaService: string;
  /** The platform's model package group. @default - no model-registry permissions */
  readonly modelPackageGroupName?: string;
  /** The platform's image repositories the jobs may pull from. @default - none */
  readonly repositoryArns?: readonly string[];
  /** Parameters passed to every run. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default - no schedule */
  readonly schedule?: { readonly scheduleName: string; readonly roleName: string; /** `cron(...)`, 6 fields. */ readonly expression: string };
  /** Role of the EventBridge rules; required when there are rules. @default - none */
  readonly eventsRoleName?: string;
  /** @default [] */
  readonly newData?: readonly NewDataRule[];
  /** @default [] */
  readonly alarms?: readonly AlarmRule[];
}

export class RetrainingPipeline extends Construct {
  readonly pipeline: SagemakerPipeline;
  readonly role: IamRole;
  readonly schedule?: SchedulerSchedule;
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: RetrainingPipelineProps) {
    super(scope, id);
    const newData = props.newData ?? [];
    const alarms = props.alarms ?? [];
    const parameters = Object.entries(props.parameters ?? {}).map(([name, value]) => ({ name, value }));
    if ((newData.length || alarms.length) && !props.eventsRoleName) throw new Error(`pipeline ${props.pipelineName}: triggers need eventsRoleName`);
    if (!props.schedule?.expression.startsWith("cron(") && props.schedule) throw new Error(`pipeline ${props.pipelineName}: schedule must be cron(...), got ${props.schedule.expression}`);

    this.role = new IamRole(this, "role", { name: props.executionRoleName, assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com") });
    const policy = new IamRolePolicy(this, "role-policy", { role: this.role.id, name: "pipeline", policy: policyDocument(executionStatements(props, this.role.arn)) });

    this.pipeline = new SagemakerPipeline(this, "Resource", {
      pipelineName: props.pipelineName,
      pipelineDisplayName: props.pipelineName,
      pipelineDefinition: props.definition,
      roleArn: this.role.arn,
      dependsOn: [policy],
    });
    const start: Statement[] = [{ Sid: "StartThisPipeline", Effect: "Allow", Action: "sagemaker:StartPipelineExecution", Resource: this.pipeline.arn }];
    const trust = (service: string) => policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": props.accountId } } }]);

    if (props.schedule) {
      const role = new IamRole(this, "schedule-role", { name: props.schedule.roleName, assumeRolePolicy: trust("scheduler.amazonaws.com") });
      const rp = new IamRolePolicy(this, "schedule-role-policy", { role: role.id, name: "start-pipeline", policy: policyDocument(start) });
      this.schedule = new SchedulerSchedule(this, "schedule", {
        name: props.schedule.scheduleName,
        scheduleExpression: props.schedule.expression,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: this.pipeline.arn,
          roleArn: role.arn,
          ...(parameters.length ? { sagemakerPipelineParameters: { pipelineParameter: parameters } } : {}),
        },
        dependsOn: [rp],
      });
    }

    if (newData.length || alarms.length) {
      const role = new IamRole(this, "events-role", { name: props.eventsRoleName!, assumeRolePolicy: trust("events.amazonaws.com") });
      const rp = new IamRolePolicy(this, "events-role-policy", { role: role.id, name: "start-pipeline", policy: policyDocument(start) });
      const rule = (ruleId: string, name: string, description: string, pattern: object) => {
        const r = new CloudwatchEventRule(this, ruleId, { name, description, eventPattern: JSON.stringify(pattern) });
        new CloudwatchEventTarget(this, `${ruleId}-target`, {
          rule: r.name,
          targetId: "pipeline",
          arn: this.pipeline.arn,
          roleArn: role.arn,
          ...(parameters.length ? { sagemakerPipelineTarget: { pipelineParameterList: parameters } } : {}),
          dependsOn: [rp],
        });
        this.rules.push(r);
      };
      for (const d of newData) {
        rule(`data-${d.id}`, d.ruleName, `Start ${props.pipelineName} when an object is created in ${d.bucketName}${d.prefix ? ` under ${d.prefix}` : ""}`, {
          source: ["aws.s3"],
          "detail-type": ["Object Created"],
          detail: { bucket: { name: [d.bucketName] }, ...(d.prefix ? { object: { key: [{ prefix: d.prefix }] } } : {}) },
        });
      }
      for (const a of alarms) {
        rule(`alarm-${a.id}`, a.ruleName, `Start ${props.pipelineName} when an alarm named ${a.alarmNamePrefix}* goes to ALARM`, {
          source: ["aws.cloudwatch"],
          "detail-type": ["CloudWatch Alarm State Change"],
          detail: { alarmName: [{ prefix: a.alarmNamePrefix }], state: { value: ["ALARM"] } },
        });
      }
    }
  }
}

/** The execution role's grants: no wildcard action, every resource named or prefix-scoped. */
function executionStatements(p: RetrainingPipelineProps, roleArn: string): Statement[] {
  const sm = (type: string) => `arn:${p.partition}:sagemaker:${p.region}:${p.accountId}:${type}`;
  const logs = (group: string) => `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:/aws/sagemaker/${group}`;
  const jobs = ["training-job", "processing-job", "transform-job"].map((t) => sm(`${t}/pipelines-*`));
  const statements: Statement[] = [
    {
      Sid: "PipelineJobs",
      Effect: "Allow",
      Action: [
        "sagemaker:CreateTrainingJob",
        "sagemaker:DescribeTrainingJob",
        "sagemaker:StopTrainingJob",
        "sagemaker:CreateProcessingJob",
        "sagemaker:DescribeProcessingJob",
        "sagemaker:StopProcessingJob",
        "sagemaker:CreateTransformJob",
        "sagemaker:DescribeTransformJob",
        "sagemaker:StopTransformJob",
        "sagemaker:AddTags",
      ],
      Resource: jobs,
    },
    { Sid: "PipelineModels", Effect: "Allow", Action: ["sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:AddTags"], Resource: sm("model/pipelines-*") },
    {
      Sid: "JobLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: ["TrainingJobs", "ProcessingJobs", "TransformJobs"].flatMap((g) => [logs(g), `${logs(g)}:*`]),
    },
    { Sid: "PassOnlyItselfToSageMaker", Effect: "Allow", Action: "iam:PassRole", Resource: roleArn, Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } },
  ];
  if (p.buckets.length) {
    statements.push(
      { Sid: "Data", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: p.buckets.map((b) => `${b.bucketArn}/*`) },
      { Sid: "ListData", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: p.buckets.map((b) => b.bucketArn) },
      { Sid: "DataKeys", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: p.buckets.map((b) => b.keyArn), Condition: { StringEquals: { "kms:ViaService": p.s3ViaService } } },
    );
  }
  if (p.repositoryArns?.length) {
    statements.push(
      // GetAuthorizationToken takes no resource: "*" is the only form IAM accepts for it.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
      { Sid: "EcrToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      { Sid: "PullImages", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: [...p.repositoryArns] },
    );
  }
  if (p.modelPackageGroupName) {
    statements.push({
      Sid: "RegisterModels",
      Effect: "Allow",
      Action: ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:AddTags"],
      Resource: [sm(`model-package-group/${p.modelPackageGroupName}`), sm(`model-package/${p.modelPackageGroupName}/*`)],
    });
  }
  return statements;
}
