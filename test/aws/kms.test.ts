import { describe, expect, it } from "vitest";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { CustomerKey } from "../../stacks/aws/customer-key.js";
import { PlatformKey } from "../../stacks/aws/platform-key.js";
import { keyRootStatement } from "../../stacks/aws/policies.js";
import { ACCOUNT, policyOf, synthConstruct } from "./synth.js";

describe("CustomerKey", () => {
  it("creates a rotating key with an alias and prevent_destroy only when protected", () => {
    const t = synthConstruct((s) => {
      new CustomerKey(s, "kept", { aliasName: "mlplat/a", description: "a", policyStatements: [keyRootStatement(ACCOUNT)], protect: true });
      new CustomerKey(s, "plain", { aliasName: "mlplat/b", description: "b", policyStatements: [keyRootStatement(ACCOUNT)] });
    });
    t.resourceCountIs(KmsKey.tfResourceType, 2);
    expect(t.resource(KmsKey.tfResourceType, "kept")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(t.resource(KmsKey.tfResourceType, "plain").lifecycle).toBeUndefined();
    t.hasResourceWithProperties(KmsAlias.tfResourceType, { name: "alias/mlplat/a", target_key_id: "${aws_kms_key.kept.key_id}" });
  });
});

describe("PlatformKey", () => {
  it("lets the account root, CloudWatch Logs and the alarm publishers use the key", () => {
    const t = synthConstruct((s) => void new PlatformKey(s, "kms", { ...ACCOUNT, aliasName: "mlplat/fraud-default" }));
    const key = t.resource(KmsKey.tfResourceType, "kms");
    const statements = policyOf(key).Statement;
    expect(statements.find((st) => st.Sid === "EnableIamPolicies").Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    const logs = statements.find((st) => st.Sid === "CloudWatchLogs");
    expect(logs.Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws:logs:us-east-1:123456789012:log-group:*");
    const via = statements.find((st) => st.Sid === "UseThroughPlatformServices");
    expect(via.Condition.StringEquals["kms:ViaService"]).toEqual(
      expect.arrayContaining(["eks.us-east-1.amazonaws.com", "sagemaker.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"]),
    );
    expect(statements.find((st) => st.Sid === "AlarmsPublishToEncryptedTopic")).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    });
    expect(statements.some((st) => st.Sid?.startsWith("Autoscaling"))).toBe(false);
    t.hasResourceWithProperties(KmsAlias.tfResourceType, { name: "alias/mlplat/fraud-default" });
    expect(Object.keys(t.resources(KmsAlias.tfResourceType))).toEqual(["kms_alias"]);
  });

  it("grants the Auto Scaling service-linked role use and grants for encrypted node volumes when asked", () => {
    const t = synthConstruct((s) => void new PlatformKey(s, "kms", { ...ACCOUNT, aliasName: "k", allowAutoscaling: true }));
    const statements = policyOf(t.resource(KmsKey.tfResourceType, "kms")).Statement;
    const slr = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    expect(statements.find((st) => st.Sid === "AutoscalingEbsUse").Principal).toEqual({ AWS: slr });
    expect(statements.find((st) => st.Sid === "AutoscalingEbsGrant")).toMatchObject({
      Action: "kms:CreateGrant",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
  });
});
