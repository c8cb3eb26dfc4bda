/**
 * An IAM role for a Kubernetes service account (IRSA): only that service account of that
 * namespace, presenting a token from the cluster's OIDC issuer for `sts.amazonaws.com`, may
 * assume it.
 *
 * Construct ids are API: the role is `Resource`, managed policy attachments `attach-<n>`, the
 * inline policy `policy`.
 */
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { policyDocument, type Statement } from "./policies.js";

export interface IrsaRoleProps {
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer without `https://` (a reference), the prefix of the trust condition keys. */
  readonly issuerHost: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** AWS managed policies to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policy statements. @default - no inline policy */
  readonly statements?: readonly Statement[];
}

export class IrsaRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "Resource", {
      name: props.roleName,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${props.issuerHost}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
              [`${props.issuerHost}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]),
    });
    this.arn = this.role.arn;
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `attach-${i}`, { role: this.role.name, policyArn });
    });
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "policy", { role: this.role.id, name: props.serviceAccount, policy: policyDocument(props.statements) });
    }
  }
}
