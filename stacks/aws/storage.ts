/**
 * The `storage` section: the access-log bucket (`access-logs`, only when there are buckets) and one `DataBucket` per
 * `storage.buckets[]` entry, each with the bucket's blueprint name as its construct id.
 * (`access-logs` is therefore a reserved bucket name on AWS; the resolver rejects it.)
 */
import { Construct } from "constructs";
import { AccessLogBucket } from "./access-log-bucket.js";
import { DataBucket, type DataBucketProps } from "./data-bucket.js";
import type { AccountScope } from "./policies.js";

/** One bucket as resolved: the blueprint name plus everything but the log target. */
export type BucketSpec = Omit<DataBucketProps, keyof AccountScope | "logBucketName"> & { readonly name: string };

export interface StorageProps extends AccountScope {
  readonly logBucketName: string;
  /** Days access logs are kept. @default 365 */
  readonly logExpireAfterDays?: number;
  /** `prevent_destroy` on the log bucket. @default true */
  readonly protectLogBucket?: boolean;
  readonly buckets: readonly BucketSpec[];
}

export class Storage extends Construct {
  /** Absent when there are no buckets to log. */
  readonly logBucket?: AccessLogBucket;
  readonly buckets: Record<string, DataBucket> = {};

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    if (props.buckets.length === 0) return;
    const logBucket = new AccessLogBucket(this, "access-logs", {
      bucketName: props.logBucketName,
      accountId: props.accountId,
      partition: props.partition,
      expireAfterDays: props.logExpireAfterDays,
      protect: props.protectLogBucket,
      sourceBucketNames: props.buckets.map((b) => b.bucketName),
    });
    this.logBucket = logBucket;
    const account: AccountScope = { partition: props.partition, accountId: props.accountId, region: props.region, dnsSuffix: props.dnsSuffix };
    for (const { name, ...spec } of props.buckets) {
      if (name === "access-logs") throw new Error("storage: the bucket name 'access-logs' is reserved for the access-log bucket");
      this.buckets[name] = new DataBucket(this, name, { ...account, ...spec, logBucketName: logBucket.bucket.id });
    }
  }
}
