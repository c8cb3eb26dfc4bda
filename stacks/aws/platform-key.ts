/**
 * The platform's customer-managed key (the `kms` blueprint-less section): it encrypts log groups,
 * the alert topic, EKS secrets, node root volumes, ECR repositories and SageMaker volumes.
 * Buckets get keys of their own (see data-bucket.ts) so that a protected bucket's key can be
 * protected with it.
 *
 * Construct ids are API: `kms` (key) and `kms/alias` → `aws_kms_key.kms`, `aws_kms_alias.kms_alias`.
 */
import type { Construct } from "constructs";
import { CustomerKey } from "./customer-key.js";
import { keyRootStatement, keyViaServicesStatement, type AccountScope, type Statement } from "./policies.js";

export interface PlatformKeyProps extends AccountScope {
  /** Alias without `alias/`. */
  readonly aliasName: string;
  /**
   * Let the EC2 Auto Scaling service-linked role use the key, which EKS managed node groups need
   * to launch instances with KMS-encrypted root volumes. That role must exist in the account
   * (AWS creates it with the first Auto Scaling group).
   * @default false
   */
  readonly allowAutoscaling?: boolean;
  /**
   * Let EFS use the key through its service (the SageMaker domain's home file system).
   * @default false
   */
  readonly allowEfs?: boolean;
}

/** A `CustomerKey` whose policy lets the platform's AWS services use it. */
export class PlatformKey extends CustomerKey {
  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id, {
      aliasName: props.aliasName,
      description: `mlplat platform key (${props.aliasName}): logs, alerts, EKS secrets, EBS, ECR, SageMaker`,
      policyStatements: PlatformKey.statements(props),
    });
  }

  private static statements(props: PlatformKeyProps): Statement[] {
    const a = props;
    const use = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
    const statements: Statement[] = [
      keyRootStatement(a),
      {
        Sid: "CloudWatchLogs",
        Effect: "Allow",
        Principal: { Service: `logs.${a.region}.${a.dnsSuffix}` },
        Action: use,
        Resource: "*",
        Condition: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${a.partition}:logs:${a.region}:${a.accountId}:log-group:*` },
        },
      },
      {
        // CloudWatch alarms publish to the KMS-encrypted alert topic. The statement AWS
        // documents for this has no condition: CloudWatch's KMS calls for SNS do not carry the
        // source account, so a condition would silently stop every alarm notification.
        Sid: "AlarmsPublishToEncryptedTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
      keyViaServicesStatement(a, ["eks", "sagemaker", "ecr", "sns", "ec2", "logs", ...(props.allowEfs ? ["elasticfilesystem"] : [])]),
    ];
    if (props.allowAutoscaling) {
      const slr = `arn:${a.partition}:iam::${a.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
      statements.push(
        { Sid: "AutoscalingEbsUse", Effect: "Allow", Principal: { AWS: slr }, Action: use, Resource: "*" },
        {
          Sid: "AutoscalingEbsGrant",
          Effect: "Allow",
          Principal: { AWS: slr },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
        },
      );
    }
    return statements;
  }
}
