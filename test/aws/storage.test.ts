import { describe, expect, it } from "vitest";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { AccessLogBucket } from "../../stacks/aws/access-log-bucket.js";
import { DataBucket } from "../../stacks/aws/data-bucket.js";
import { Storage } from "../../stacks/aws/storage.js";
import { ACCOUNT, policyOf, synthConstruct } from "./synth.js";

const base = { ...ACCOUNT, bucketName: "fraud-default-datasets-abc123", keyAliasName: "mlplat/fraud-default/datasets", logBucketName: "logs" };

describe("DataBucket", () => {
  const t = synthConstruct((s) => void new DataBucket(s, "datasets", { ...base, coolAfterDays: 30, archiveAfterDays: 180, expireAfterDays: 730 }));

  it("protects the bucket and its key with prevent_destroy and never force_destroy", () => {
    expect(t.resource(S3Bucket.tfResourceType, "datasets")).toMatchObject({
      bucket: "fraud-default-datasets-abc123",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(t.resource(KmsKey.tfResourceType, "datasets_key")).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  it("keeps the protected bucket and key free of references to other resources", () => {
    const bucket = JSON.stringify(t.resource(S3Bucket.tfResourceType, "datasets"));
    const key = JSON.stringify(t.resource(KmsKey.tfResourceType, "datasets_key"));
    expect(bucket).not.toContain("${");
    expect(key).not.toContain("${");
    expect(t.resource(S3Bucket.tfResourceType, "datasets").depends_on).toBeUndefined();
  });

  it("encrypts with the bucket's own key and an S3 bucket key", () => {
    t.hasResourceWithProperties(S3BucketServerSideEncryptionConfigurationA.tfResourceType, {
      bucket: "${aws_s3_bucket.datasets.id}",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.datasets_key.arn}" }, bucket_key_enabled: true }],
    });
  });

  it("blocks public access, enforces bucket ownership, versions and denies plain HTTP", () => {
    t.hasResourceWithProperties(S3BucketPublicAccessBlock.tfResourceType, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    t.hasResourceWithProperties(S3BucketOwnershipControls.tfResourceType, { rule: { object_ownership: "BucketOwnerEnforced" } });
    t.hasResourceWithProperties(S3BucketVersioningA.tfResourceType, { versioning_configuration: { status: "Enabled" } });
    const policy = policyOf(t.resource(S3BucketPolicy.tfResourceType, "datasets_policy"));
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("turns tiering and expiry into lifecycle rules, including noncurrent versions", () => {
    const rules = t.resource(S3BucketLifecycleConfiguration.tfResourceType, "datasets_lifecycle").rule;
    expect(rules.map((r: any) => r.id)).toEqual(["abort-incomplete-uploads", "tiering", "expire"]);
    expect(rules[1].transition).toEqual([
      { days: 30, storage_class: "STANDARD_IA" },
      { days: 180, storage_class: "GLACIER" },
    ]);
    expect(rules[2].expiration).toEqual([{ days: 730 }]);
    expect(rules[2].noncurrent_version_expiration).toEqual([{ noncurrent_days: 730 }]);
  });

  it("logs access to the log bucket under the bucket's prefix", () => {
    t.hasResourceWithProperties(S3BucketLoggingA.tfResourceType, { target_bucket: "logs", target_prefix: "fraud-default-datasets-abc123/" });
  });

  it("leaves unprotected buckets and keys destroyable but still without force_destroy", () => {
    const u = synthConstruct((s) => void new DataBucket(s, "scratch", { ...base, protect: false, versioning: false }));
    expect(u.resource(S3Bucket.tfResourceType, "scratch").lifecycle).toBeUndefined();
    expect(u.resource(S3Bucket.tfResourceType, "scratch").force_destroy).toBe(false);
    expect(u.resource(KmsKey.tfResourceType, "scratch_key").lifecycle).toBeUndefined();
    u.hasResourceWithProperties(S3BucketVersioningA.tfResourceType, { versioning_configuration: { status: "Suspended" } });
    expect(u.resource(S3BucketLifecycleConfiguration.tfResourceType, "scratch_lifecycle").rule).toHaveLength(1);
  });

  it("expires old versions of a versioned bucket without expireAfterDays, then its orphan delete markers", () => {
    const v = synthConstruct((s) => void new DataBucket(s, "models", { ...base, noncurrentExpireAfterDays: 30 }));
    const rules = v.resource(S3BucketLifecycleConfiguration.tfResourceType, "models_lifecycle").rule;
    expect(rules.map((r: any) => r.id)).toEqual(["abort-incomplete-uploads", "expire-noncurrent"]);
    expect(rules[1]).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      expiration: [{ expired_object_delete_marker: true }],
    });
    // No noncurrent transition at or after the noncurrent expiry (those versions are gone by then).
    const tiered = synthConstruct((s) => void new DataBucket(s, "tiered", { ...base, coolAfterDays: 30, archiveAfterDays: 90, noncurrentExpireAfterDays: 60 }));
    const tieredRules = tiered.resource(S3BucketLifecycleConfiguration.tfResourceType, "tiered_lifecycle").rule;
    expect(tieredRules.find((r: any) => r.id === "tiering").noncurrent_version_transition).toEqual([{ noncurrent_days: 30, storage_class: "STANDARD_IA" }]);
    // An unversioned bucket has no old versions to expire.
    const plain = synthConstruct((s) => void new DataBucket(s, "plain", { ...base, versioning: false, noncurrentExpireAfterDays: 30 }));
    expect(plain.resource(S3BucketLifecycleConfiguration.tfResourceType, "plain_lifecycle").rule).toHaveLength(1);
  });

  it("throws when archiving would come before cooling", () => {
    expect(() => synthConstruct((s) => void new DataBucket(s, "bad", { ...base, coolAfterDays: 90, archiveAfterDays: 60 }))).toThrow(
      /archiveAfterDays \(60\) must be after coolAfterDays \(90\)/,
    );
  });
});

describe("AccessLogBucket", () => {
  const t = synthConstruct(
    (s) => void new AccessLogBucket(s, "access-logs", { bucketName: "logs-x", accountId: "123456789012", partition: "aws", sourceBucketNames: ["a", "b"] }),
  );

  it("uses SSE-S3, which S3 log delivery requires, and is protected", () => {
    t.hasResourceWithProperties(S3BucketServerSideEncryptionConfigurationA.tfResourceType, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(t.resource(S3Bucket.tfResourceType, "access-logs")).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  it("lets only S3 log delivery from this account's buckets write, over TLS", () => {
    const statements = policyOf(t.resource(S3BucketPolicy.tfResourceType, "access-logs_policy")).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "S3ServerAccessLogDelivery"]);
    expect(statements[1]).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": ["arn:aws:s3:::a", "arn:aws:s3:::b"] } },
    });
    t.hasResourceWithProperties(S3BucketPublicAccessBlock.tfResourceType, { block_public_policy: true });
  });
});

describe("Storage", () => {
  it("creates the log bucket and one bucket per blueprint bucket, named after it", () => {
    const t = synthConstruct(
      (s) =>
        void new Storage(s, "storage", {
          ...ACCOUNT,
          logBucketName: "logs-x",
          buckets: [
            { name: "datasets", bucketName: "d-x", keyAliasName: "k/d" },
            { name: "models", bucketName: "m-x", keyAliasName: "k/m" },
          ],
        }),
    );
    expect(Object.keys(t.resources(S3Bucket.tfResourceType)).sort()).toEqual(["storage_access-logs", "storage_datasets", "storage_models"]);
    t.hasResourceWithProperties(S3BucketLoggingA.tfResourceType, { bucket: "${aws_s3_bucket.storage_models.id}", target_bucket: "${aws_s3_bucket.storage_access-logs.id}" });
  });

  it("creates no log bucket when there is nothing to log", () => {
    const t = synthConstruct((s) => void new Storage(s, "storage", { ...ACCOUNT, logBucketName: "logs-x", buckets: [] }));
    t.resourceCountIs(S3Bucket.tfResourceType, 0);
  });

  it("throws on the reserved bucket name access-logs", () => {
    expect(() =>
      synthConstruct((s) => void new Storage(s, "storage", { ...ACCOUNT, logBucketName: "l", buckets: [{ name: "access-logs", bucketName: "x", keyAliasName: "k" }] })),
    ).toThrow(/reserved/);
  });
});
