import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job/index.js";
import { EventarcTrigger } from "@cdktf/provider-google/lib/eventarc-trigger/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { WorkflowsWorkflow } from "@cdktf/provider-google/lib/workflows-workflow/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PubsubAlarmChannel } from "./pubsub-alarm-channel.js";

/**
 * One retraining pipeline on GCP: the PipelineJob body in the platform bucket, the launcher
 * workflow that creates a Vertex AI pipeline run from it, and what starts that workflow.
 *
 * Identities (least privilege; the project-level grants are the ones GCP offers no narrower
 * scope for, listed in stacks/gcp/README.md "Pipelines"):
 *  - `runner`, the pipeline run's service account: `roles/aiplatform.user` on the project (the
 *    run's tasks create Vertex AI custom jobs and metadata, which have no resource-level IAM),
 *    `roles/storage.objectUser` on each listed bucket, the same on the platform bucket limited by
 *    an IAM condition to `runs/<pipeline>/`, and `iam.serviceAccountUser` on itself (tasks launch
 *    jobs as the same account);
 *  - `workflow-sa`, the workflow's: `roles/storage.objectViewer` on the job body only (IAM
 *    condition), the custom submit role (pipelineJobs.create/get), `iam.serviceAccountUser` on
 *    the runner only, and `roles/logging.logWriter` for the workflow's call logs;
 *  - `invoker`, Cloud Scheduler's and Eventarc's: `roles/workflows.invoker` (the google provider
 *    has no workflow-level IAM resource) and, with event triggers, `roles/eventarc.eventReceiver`.
 *
 * Construct ids are API: `job`, `Resource` (the workflow), `schedule`, `new-data-<bucket>`,
 * `alarm`, `alarm-trigger`, and the identities and grants named below.
 */
export interface GcpPipelineProps {
  /** Pipeline name: the construct id. */
  readonly id: string;
  readonly workflowName: string;
  readonly runnerAccountId: string;
  readonly workflowAccountId: string;
  readonly invokerAccountId: string;
  /** Object name of the PipelineJob body in the platform bucket (`specs/<pipeline>.json`). */
  readonly jobObject: string;
  /** The PipelineJob request body (JSON): the compiled spec inline, parameters, root, runner, key. */
  readonly jobBody: string;
  /** Prefix of the runs' roots in the platform bucket (`runs/<pipeline>/`). */
  readonly runPrefix: string;
  /** Blueprint buckets the runner may read and write. */
  readonly bucketIds: readonly string[];
  /** @default - no schedule */
  readonly schedule?: { readonly jobName: string; readonly cron: string; readonly bodyBase64: string };
  /** One Eventarc trigger per watched bucket. */
  readonly newData: readonly { readonly bucketId: string; readonly bucketName: string; readonly triggerName: string }[];
  /** `[{bucket, prefix}]` as JSON: the workflow runs only for objects under one of these. */
  readonly newDataWatch: string;
  /** @default - no alarm trigger */
  readonly alarm?: { readonly endpointIds: readonly string[]; readonly topicName: string; readonly triggerName: string };
}

export interface VertexPipelineProps extends GcpPipelineProps {
  readonly project: string;
  readonly projectNumber: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly workflowSource: string;
  /** The platform bucket (a reference). */
  readonly pipelinesBucketName: string;
  /** `projects/<project>/roles/<id>` of the submit role. */
  readonly submitRoleId: string;
  readonly kmsKeyId: string;
  readonly kmsGrants: readonly ITerraformDependable[];
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly api: (...names: string[]) => ITerraformDependable[];
  /** What Eventarc triggers wait for (the Eventarc agent, the GCS agent's publisher grant). */
  readonly eventDependencies: readonly ITerraformDependable[];
  /** What the job body waits for (the bucket). */
  readonly jobDependencies: readonly ITerraformDependable[];
}

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

export class VertexPipeline extends Construct {
  readonly workflow: WorkflowsWorkflow;
  readonly runner: ServiceAccount;
  /** Blueprint endpoint → the Pub/Sub notification channel id its alert policies add. */
  readonly alarmChannels = new Map<string, string>();

  constructor(scope: Construct, id: string, props: VertexPipelineProps) {
    super(scope, id);
    const { project } = props;
    const iam = props.api("iam");
    const account = (cid: string, accountId: string, what: string) =>
      new ServiceAccount(this, cid, { project, accountId, displayName: `mlplat pipeline ${props.id}: ${what}`, dependsOn: iam });
    this.runner = account("runner", props.runnerAccountId, "runs the Vertex AI pipeline");
    const workflowSa = account("workflow-sa", props.workflowAccountId, "launches runs");
    const invoker = account("invoker", props.invokerAccountId, "starts the launcher");
    const member = (sa: ServiceAccount) => sa.member;
    const projectRole = (cid: string, role: string, sa: ServiceAccount) => new ProjectIamMember(this, cid, { project, role, member: member(sa) });

    // The runner.
    projectRole("runner-vertex", "roles/aiplatform.user", this.runner);
    new ServiceAccountIamMember(this, "runner-acts-as-itself", { serviceAccountId: this.runner.name, role: "roles/iam.serviceAccountUser", member: member(this.runner) });
    for (const b of props.bucketIds) {
      const bucket = props.bucketNames[b];
      if (!bucket) throw new Error(`pipeline ${props.id}: no bucket '${b}'`);
      new StorageBucketIamMember(this, `runner-bucket-${b}`, { bucket, role: "roles/storage.objectUser", member: member(this.runner) });
    }
    const objects = `projects/_/buckets/${props.pipelinesBucketName}/objects/`;
    // Prefix conditions: https://cloud.google.com/storage/docs/access-control/iam#conditions
    // (listing is checked on the bucket, reading and writing on the objects under the prefix).
    new StorageBucketIamMember(this, "runner-runs", {
      bucket: props.pipelinesBucketName,
      role: "roles/storage.objectUser",
      member: member(this.runner),
      condition: {
        title: `runs of ${props.id}`,
        expression: `resource.type == "storage.googleapis.com/Bucket" || resource.name.startsWith("${objects}${props.runPrefix}")`,
      },
    });

    // The workflow's identity.
    new StorageBucketIamMember(this, "workflow-reads-job", {
      bucket: props.pipelinesBucketName,
      role: "roles/storage.objectViewer",
      member: member(workflowSa),
      condition: { title: `job body of ${props.id}`, expression: `resource.name == "${objects}${props.jobObject}"` },
    });
    projectRole("workflow-submits", props.submitRoleId, workflowSa);
    projectRole("workflow-logs", "roles/logging.logWriter", workflowSa);
    new ServiceAccountIamMember(this, "workflow-acts-as-runner", { serviceAccountId: this.runner.name, role: "roles/iam.serviceAccountUser", member: member(workflowSa) });

    // The invoker.
    const invokes = projectRole("invoker-invokes", "roles/workflows.invoker", invoker);
    const events = props.newData.length > 0 || props.alarm !== undefined;
    const receives = events ? [projectRole("invoker-receives", "roles/eventarc.eventReceiver", invoker)] : [];

    new StorageBucketObject(this, "job", {
      bucket: props.pipelinesBucketName,
      name: props.jobObject,
      content: props.jobBody,
      contentType: "application/json",
      dependsOn: [...props.jobDependencies],
    });

    this.workflow = new WorkflowsWorkflow(this, "Resource", {
      project,
      region: props.region,
      name: props.workflowName,
      description: `mlplat: creates a Vertex AI pipeline run of ${props.id}`,
      serviceAccount: workflowSa.email,
      sourceContents: props.workflowSource,
      callLogLevel: "LOG_ERRORS_ONLY",
      cryptoKeyName: props.kmsKeyId,
      // A workflow holds no data; protection would only block replacements and destroy.
      deletionProtection: false,
      userEnvVars: {
        MLPLAT_JOB_BUCKET: props.pipelinesBucketName,
        MLPLAT_JOB_OBJECT: props.jobObject,
        MLPLAT_NEW_DATA: props.newDataWatch,
      },
      labels: { ...props.labels },
      dependsOn: [...props.kmsGrants, ...props.api("workflows")],
    });
    const executions = `https://workflowexecutions.googleapis.com/v1/${this.workflow.id}/executions`;

    if (props.schedule) {
      new CloudSchedulerJob(this, "schedule", {
        project,
        region: props.region,
        name: props.schedule.jobName,
        description: `mlplat: runs pipeline ${props.id}`,
        schedule: props.schedule.cron,
        timeZone: "UTC",
        httpTarget: {
          httpMethod: "POST",
          uri: executions,
          body: props.schedule.bodyBase64,
          headers: { "Content-Type": "application/json" },
          oauthToken: { serviceAccountEmail: invoker.email, scope: CLOUD_PLATFORM },
        },
        dependsOn: [invokes, ...props.api("cloudscheduler")],
      });
    }

    const trigger = (cid: string, name: string, matchingCriteria: { attribute: string; value: string }[], extra: Partial<ConstructorParameters<typeof EventarcTrigger>[2]> = {}) =>
      new EventarcTrigger(this, cid, {
        project,
        location: props.region,
        name,
        matchingCriteria,
        destination: { workflow: this.workflow.id },
        serviceAccount: invoker.email,
        labels: { ...props.labels },
        ...extra,
        dependsOn: [invokes, ...receives, ...props.eventDependencies, ...props.api("eventarc"), ...(extra.dependsOn ?? [])],
      });

    for (const d of props.newData) {
      const bucket = props.bucketNames[d.bucketId];
      if (!bucket) throw new Error(`pipeline ${props.id}: no bucket '${d.bucketId}'`);
      trigger(`new-data-${d.bucketId}`, d.triggerName, [
        { attribute: "type", value: "google.cloud.storage.object.v1.finalized" },
        { attribute: "bucket", value: bucket },
      ]);
    }

    if (props.alarm) {
      const channel = new PubsubAlarmChannel(this, "alarm", {
        project,
        projectNumber: props.projectNumber,
        topicName: props.alarm.topicName,
        displayName: `mlplat pipeline ${props.id}: retrain on alarm`,
        kmsKeyId: props.kmsKeyId,
        labels: props.labels,
        dependsOn: [...props.kmsGrants, ...props.api("pubsub", "monitoring")],
      });
      trigger("alarm-trigger", props.alarm.triggerName, [{ attribute: "type", value: "google.cloud.pubsub.topic.v1.messagePublished" }], {
        transport: { pubsub: { topic: channel.topic.id } },
        dependsOn: [channel.publisher],
      });
      for (const e of props.alarm.endpointIds) this.alarmChannels.set(e, channel.channel.id);
    }
  }
}
