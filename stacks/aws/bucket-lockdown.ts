import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";

/**
 * The lock-down every mlplat bucket gets, data and access-log buckets alike: the full public
 * access block and BucketOwnerEnforced (no ACLs). Returned so the bucket policy can wait for
 * them: S3 rejects policy writes racing a public-access-block change.
 *
 * Construct ids `public-access-block` and `ownership` are API (Terraform addresses).
 */
export function lockDownBucket(scope: Construct, bucket: string): ITerraformDependable[] {
  const pab = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownership = new S3BucketOwnershipControls(scope, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
  return [pab, ownership];
}
