/**
 * One `storage.buckets[]` entry: an S3 bucket with its own customer-managed key (SSE-KMS with an
 * S3 bucket key), versioning, lifecycle rules from `tiering` / `expireAfterDays`, the full public
 * access block, BucketOwnerEnforced, a TLS-only bucket policy and server access logging.
 *
 * `protect` (the default) puts `prevent_destroy` on the bucket and on its key and never sets
 * `force_destroy`. The bucket and the key depend on nothing but derived strings, so a targeted
 * destroy of everything else never has to touch them.
 *
 * Construct ids are API: the bucket is `Resource` (`aws_s3_bucket.storage_<name>`), its key
 * `key`; the other children are fixed ids.
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { lockDownBucket } from "./bucket-lockdown.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { CustomerKey } from "./customer-key.js";
import { denyInsecureTransport, keyRootStatement, keyViaServicesStatement, policyDocument, type AccountScope } from "./policies.js";

export interface DataBucketProps extends AccountScope {
  /** Globally unique bucket name (derived with a stable hash suffix). */
  readonly bucketName: string;
  /** Alias of the bucket's key, without `alias/`. */
  readonly keyAliasName: string;
  /** @default true */
  readonly versioning?: boolean;
  /** `prevent_destroy` on the bucket and its key; `force_destroy` is never set. @default true */
  readonly protect?: boolean;
  /** Days after which objects move to STANDARD_IA. @default - no transition */
  readonly coolAfterDays?: number;
  /** Days after which objects move to GLACIER (Flexible Retrieval). @default - no transition */
  readonly archiveAfterDays?: number;
  /** Days after which objects (and noncurrent versions) expire. @default - never */
  readonly expireAfterDays?: number;
  /**
   * Versioned buckets: days a version is kept after it stops being current (overwritten or
   * deleted), so old versions do not pile up forever. @default - expireAfterDays, else never
   */
  readonly noncurrentExpireAfterDays?: number;
  /** Access logs go to this bucket (name or reference). */
  readonly logBucketName: string;
  /** Prefix of this bucket's access logs in the log bucket. @default `<bucketName>/` */
  readonly logPrefix?: string;
}

export class DataBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: CustomerKey;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const protect = props.protect ?? true;
    const versioning = props.versioning ?? true;
    if (props.coolAfterDays !== undefined && props.archiveAfterDays !== undefined && props.archiveAfterDays <= props.coolAfterDays) {
      throw new Error(`bucket ${props.bucketName}: archiveAfterDays (${props.archiveAfterDays}) must be after coolAfterDays (${props.coolAfterDays})`);
    }

    this.key = new CustomerKey(this, "key", {
      aliasName: props.keyAliasName,
      description: `mlplat key of bucket ${props.bucketName}`,
      policyStatements: [keyRootStatement(props), keyViaServicesStatement(props, ["s3"])],
      protect,
    });
    this.bucket = new S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    const bucket = this.bucket.id;

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
          // One data key per bucket instead of one KMS call per object: cheaper, same protection.
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      // "Suspended", not "Disabled": S3 cannot return a versioned bucket to unversioned, and the
      // provider refuses Enabled -> Disabled at plan; Suspended keeps no new versions either way
      // (found by test/change-impact, issue 14).
      versioningConfiguration: { status: versioning ? "Enabled" : "Suspended" },
    });
    const lockedDown = lockDownBucket(this, bucket);
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: policyDocument([denyInsecureTransport(this.bucket.arn)]),
      dependsOn: lockedDown,
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", { bucket, rule: lifecycleRules(props, versioning) });
    new S3BucketLoggingA(this, "logging", {
      bucket,
      targetBucket: props.logBucketName,
      targetPrefix: props.logPrefix ?? `${props.bucketName}/`,
    });
  }
}

function lifecycleRules(props: DataBucketProps, versioning: boolean): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      // Failed multipart uploads (large checkpoints) are billed until aborted.
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
    },
  ];
  const transitions = [
    ...(props.coolAfterDays !== undefined ? [{ days: props.coolAfterDays, storageClass: "STANDARD_IA" }] : []),
    ...(props.archiveAfterDays !== undefined ? [{ days: props.archiveAfterDays, storageClass: "GLACIER" }] : []),
  ];
  // Versions past their noncurrent expiry are gone: no transition for them (S3 also rejects a
  // noncurrent transition that is not before the noncurrent expiration of the same objects).
  const noncurrentDays = versioning ? (props.noncurrentExpireAfterDays ?? props.expireAfterDays) : undefined;
  const noncurrentTransitions = versioning
    ? transitions.filter((t) => noncurrentDays === undefined || t.days < noncurrentDays).map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass }))
    : [];
  if (transitions.length > 0) {
    rules.push({
      id: "tiering",
      status: "Enabled",
      filter: [{ prefix: "" }],
      transition: transitions,
      noncurrentVersionTransition: noncurrentTransitions.length > 0 ? noncurrentTransitions : undefined,
    });
  }
  if (props.expireAfterDays !== undefined) {
    rules.push({
      id: "expire",
      status: "Enabled",
      filter: [{ prefix: "" }],
      expiration: [{ days: props.expireAfterDays }],
      noncurrentVersionExpiration: versioning ? [{ noncurrentDays: noncurrentDays ?? props.expireAfterDays }] : undefined,
    });
  } else if (noncurrentDays !== undefined) {
    // A versioned bucket without an expiry still drops old versions, then the delete markers
    // left with no version behind them (ExpiredObjectDeleteMarker cannot share an Expiration
    // with Days, so it only goes here). A lifecycle change is an in-place update.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
    rules.push({
      id: "expire-noncurrent",
      status: "Enabled",
      filter: [{ prefix: "" }],
      expiration: [{ expiredObjectDeleteMarker: true }],
      noncurrentVersionExpiration: [{ noncurrentDays }],
    });
  }
  return rules;
}
