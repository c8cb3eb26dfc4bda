/**
 * The `pipelines` section on AWS: a `RetrainingPipeline` per `spec.pipelines[]` entry (construct
 * id = the blueprint name), and EventBridge notifications turned on for each bucket a `newData`
 * trigger watches (`aws_s3_bucket_notification` with `eventbridge = true`; S3 then sends every
 * object event of that bucket to the default event bus, where the rules filter by prefix).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html
 *
 * A bucket holds one notification configuration: `aws_s3_bucket_notification` owns all of it, so
 * nothing else in the stack may declare one for these buckets (none does: stacks/aws/data-bucket.ts
 * has no notification resource).
 *
 * Construct ids are API: pipelines under `pipelines/<name>`, notifications `pipelines/notify-<bucket>`.
 */
import { Construct } from "constructs";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification/index.js";
import type { AccountScope } from "./policies.js";
import { RetrainingPipeline, type PipelineBucketAccess, type RetrainingPipelineProps } from "./retraining-pipeline.js";

/** One pipeline as resolved: buckets by blueprint name (the stack supplies their ARNs and keys). */
export interface AwsPipelineSpec extends Omit<RetrainingPipelineProps, keyof AccountScope | "buckets" | "repositoryArns" | "s3ViaService"> {
  /** Blueprint name: the construct id. */
  readonly name: string;
  /** Blueprint names of the buckets it may read and write. */
  readonly buckets: readonly string[];
}

export interface AwsPipelinesSpec {
  readonly pipelines: readonly AwsPipelineSpec[];
  /** Blueprint names of the buckets `newData` triggers watch: EventBridge notifications on. */
  readonly eventBridgeBuckets: readonly string[];
  /** `s3.<region>.<dns suffix>`. */
  readonly s3ViaService: string;
}

export interface PipelinesProps extends AccountScope {
  readonly pipelines: readonly (Omit<AwsPipelineSpec, "buckets"> & { readonly buckets: readonly PipelineBucketAccess[] })[];
  /** Bucket id (name) per watched bucket's blueprint name. */
  readonly eventBridgeBuckets: Readonly<Record<string, string>>;
  readonly s3ViaService: string;
  /** The platform's image repositories. @default [] */
  readonly repositoryArns?: readonly string[];
}

export class Pipelines extends Construct {
  readonly pipelines: Record<string, RetrainingPipeline> = {};
  readonly notifications: S3BucketNotification[] = [];

  constructor(scope: Construct, id: string, props: PipelinesProps) {
    super(scope, id);
    const account: AccountScope = { partition: props.partition, accountId: props.accountId, region: props.region, dnsSuffix: props.dnsSuffix };
    for (const [name, bucket] of Object.entries(props.eventBridgeBuckets)) {
      this.notifications.push(new S3BucketNotification(this, `notify-${name}`, { bucket, eventbridge: true }));
    }
    for (const { name, ...p } of props.pipelines) {
      this.pipelines[name] = new RetrainingPipeline(this, name, {
        ...account,
        ...p,
        s3ViaService: props.s3ViaService,
        repositoryArns: props.repositoryArns,
      });
    }
  }
}
