/**
 * The IAM role of a `runtime: kubernetes` endpoint's pods (IRSA): only the endpoint's service
 * account in the serving namespace may assume it, and it may only read the endpoint's model
 * prefix and decrypt with that bucket's key. The manifests annotate the service account with
 * the role ARN (`eks.amazonaws.com/role-arn`). Image pulls use the node role, not this one.
 *
 * Construct ids are API: placed at `serving/<endpoint>`, the role is `aws_iam_role.serving_<endpoint>`
 * and its policy `aws_iam_role_policy.serving_<endpoint>_policy`.
 */
import type { Construct } from "constructs";
import { IrsaRole } from "./irsa-role.js";

export interface WorkloadRoleProps {
  readonly roleName: string;
  readonly oidcProviderArn: string;
  readonly issuerHost: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly modelBucketArn: string;
  /** Key prefix the pods may read. */
  readonly modelPrefix: string;
  readonly modelBucketKeyArn: string;
}

/** An `IrsaRole` whose only grant is reading one model prefix. */
export class WorkloadRole extends IrsaRole {
  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      oidcProviderArn: props.oidcProviderArn,
      issuerHost: props.issuerHost,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      statements: [
        { Sid: "ReadModel", Effect: "Allow", Action: "s3:GetObject", Resource: `${props.modelBucketArn}/${props.modelPrefix}*` },
        {
          Sid: "ListModel",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: props.modelBucketArn,
          Condition: { StringLike: { "s3:prefix": [`${props.modelPrefix}*`] } },
        },
        { Sid: "Decrypt", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: props.modelBucketKeyArn },
      ],
    });
  }
}
