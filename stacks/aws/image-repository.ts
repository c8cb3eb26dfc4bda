/**
 * One `registry.images[]` entry: an ECR repository with KMS encryption, scan on push, immutable
 * tags (unless the blueprint opts out) and, with `keepLast`, a lifecycle policy expiring older
 * images. ECR repositories are private: nothing here grants access outside the account.
 *
 * Construct ids are API: the repository is `Resource`, the lifecycle policy `lifecycle`.
 */
import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository/index.js";

export interface ImageRepositoryProps {
  /** Repository name, e.g. `fraud-default/serving`. */
  readonly repositoryName: string;
  readonly kmsKeyArn: string;
  /** @default true */
  readonly immutableTags?: boolean;
  /** @default true */
  readonly scanOnPush?: boolean;
  /** Keep this many most recent images; older ones expire. @default - keep all */
  readonly keepLast?: number;
}

export class ImageRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    if (props.keepLast !== undefined && (!Number.isInteger(props.keepLast) || props.keepLast < 1)) {
      throw new Error(`image repository ${props.repositoryName}: keepLast must be a positive integer, got ${props.keepLast}`);
    }
    this.repository = new EcrRepository(this, "Resource", {
      name: props.repositoryName,
      imageTagMutability: props.immutableTags ?? true ? "IMMUTABLE" : "MUTABLE",
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: false,
    });
    if (props.keepLast !== undefined) {
      new EcrLifecyclePolicy(this, "lifecycle", {
        repository: this.repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `keep the last ${props.keepLast} images`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepLast },
              action: { type: "expire" },
            },
          ],
        }),
      });
    }
  }
}
