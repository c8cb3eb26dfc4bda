/**
 * A customer-managed KMS key with yearly rotation and an alias.
 *
 * Construct ids and derived names are API: the key is `Resource`, its alias `alias`. Changing
 * either replaces the key, and a replaced key makes everything it encrypted unreadable.
 */
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { policyDocument, type Statement } from "./policies.js";

export interface CustomerKeyProps {
  /** Alias without the `alias/` prefix, e.g. `fraud-default-datasets`. */
  readonly aliasName: string;
  readonly description: string;
  /** Complete key policy (must include the account root statement). */
  readonly policyStatements: readonly Statement[];
  /**
   * `prevent_destroy` on the key: set for keys of protected buckets, so destroying the stack
   * cannot make protected data unreadable. The key policy must then reference nothing that is
   * not protected itself (it only holds derived strings).
   * @default false
   */
  readonly protect?: boolean;
  /** Days KMS waits before deleting a scheduled key. @default 30 */
  readonly deletionWindowDays?: number;
}

export class CustomerKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** Key ARN (what services and IAM policies reference). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    const protect = props.protect ?? false;
    this.key = new KmsKey(this, "Resource", {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyDocument(props.policyStatements),
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
