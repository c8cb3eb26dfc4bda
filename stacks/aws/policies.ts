/**
 * IAM and KMS policy documents as plain JSON strings. They are built from values the resolver
 * derived offline (account id, partition, region) and from Terraform references where a policy
 * names a resource created in the same stack; no `aws_iam_policy_document` data source is used,
 * so nothing here can call AWS at plan time. Not a construct: shared by the constructs of this
 * folder.
 */

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  /** Absent in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;
}

/** A policy document; Terraform references inside strings stay references (cdktf resolves them). */
export function policyDocument(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy for an AWS service principal (`eks.amazonaws.com`). */
export function serviceTrustPolicy(...services: string[]): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: services.length === 1 ? services[0] : services },
      Action: "sts:AssumeRole",
    },
  ]);
}

export interface AccountScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** `amazonaws.com`, `amazonaws.com.cn` in China regions. */
  readonly dnsSuffix: string;
}

export function accountRootArn(a: AccountScope): string {
  return `arn:${a.partition}:iam::${a.accountId}:root`;
}

/**
 * The statement every key policy starts with: the account root may administer and use the key,
 * which delegates use to IAM policies in this account (the EKS cluster role, SageMaker execution
 * roles, the deploying identity). Without it a key can become unmanageable.
 */
export function keyRootStatement(a: AccountScope): Statement {
  return {
    Sid: "EnableIamPolicies",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(a) },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Principals of this account may use the key only through the named AWS services. */
export function keyViaServicesStatement(a: AccountScope, services: readonly string[]): Statement {
  return {
    Sid: "UseThroughPlatformServices",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "kms:CallerAccount": a.accountId,
        "kms:ViaService": services.map((s) => `${s}.${a.region}.${a.dnsSuffix}`),
      },
    },
  };
}

/** TLS-only access: deny every request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * What SageMaker needs to attach ENIs in the platform's private subnets on a job's or an
 * endpoint's behalf (real-time endpoints, Model Monitor jobs). EC2 offers no resource-level scope
 * for these calls, hence `*` (SageMaker's own managed policy does the same).
 */
export function sagemakerVpcAccessStatement(): Statement {
  return {
    Sid: "VpcAccess",
    Effect: "Allow",
    Action: [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ],
    Resource: "*",
  };
}
