/**
 * The bucket receiving S3 server access logs of every data bucket. S3 log delivery only writes
 * to buckets encrypted with SSE-S3 (not SSE-KMS), so this is the one bucket without a customer
 * key; otherwise it is locked down like the data buckets, and protected like them because the
 * logs are the audit trail of the data.
 *
 * Construct ids are API: the bucket is `Resource`; children are fixed ids.
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { lockDownBucket } from "./bucket-lockdown.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { denyInsecureTransport, policyDocument } from "./policies.js";

export interface AccessLogBucketProps {
  readonly bucketName: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days access logs are kept. @default 365 */
  readonly expireAfterDays?: number;
  /** Buckets allowed to deliver logs here (derived names, so the policy references no resource). */
  readonly sourceBucketNames: readonly string[];
  /** `prevent_destroy` on the bucket. @default true */
  readonly protect?: boolean;
}

export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    this.bucket = new S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    const bucket = this.bucket.id;
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    const lockedDown = lockDownBucket(this, bucket);
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expireAfterDays ?? 365 }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const arn = this.bucket.arn;
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: policyDocument([
        denyInsecureTransport(arn),
        {
          Sid: "S3ServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: {
            StringEquals: { "aws:SourceAccount": props.accountId },
            ArnLike: { "aws:SourceArn": props.sourceBucketNames.map((b) => `arn:${props.partition}:s3:::${b}`) },
          },
        },
      ]),
      // S3 rejects policy writes racing a public-access-block change.
      dependsOn: lockedDown,
    });
  }
}
