import { describe, expect, it } from "vitest";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Observability } from "../../stacks/aws/observability.js";
import { synthConstruct } from "./synth.js";

describe("Observability", () => {
  it("creates KMS-encrypted log groups with retention", () => {
    const t = synthConstruct(
      (s) => void new Observability(s, "observability", { logGroups: { cluster: "/aws/eks/x/cluster", "flow-logs": "/f" }, logRetentionDays: 30, kmsKeyArn: "arn:key" }),
    );
    t.resourceCountIs(CloudwatchLogGroup.tfResourceType, 2);
    t.allResourcesHaveProperties(CloudwatchLogGroup.tfResourceType, { retention_in_days: 30, kms_key_id: "arn:key" });
    t.hasResourceWithProperties(CloudwatchLogGroup.tfResourceType, { name: "/aws/eks/x/cluster" });
    t.resourceCountIs(SnsTopic.tfResourceType, 0);
  });

  it("creates an encrypted alert topic with one e-mail subscription per address", () => {
    const t = synthConstruct(
      (s) =>
        void new Observability(s, "observability", {
          logGroups: {},
          logRetentionDays: 7,
          kmsKeyArn: "arn:key",
          alertTopicName: "fraud-default-alerts",
          alertEmails: ["oncall@example.com", "lead@example.com"],
        }),
    );
    expect(t.resource(SnsTopic.tfResourceType, "observability_alerts")).toMatchObject({ name: "fraud-default-alerts", kms_master_key_id: "arn:key" });
    expect(t.resource(SnsTopicSubscription.tfResourceType, "observability_alerts-oncall-example-com")).toMatchObject({
      protocol: "email",
      endpoint: "oncall@example.com",
      topic_arn: "${aws_sns_topic.observability_alerts.arn}",
    });
    t.resourceCountIs(SnsTopicSubscription.tfResourceType, 2);
  });

  it("throws when e-mails are given without a topic", () => {
    expect(() => synthConstruct((s) => void new Observability(s, "o", { logGroups: {}, logRetentionDays: 7, kmsKeyArn: "k", alertEmails: ["a@b.c"] }))).toThrow(
      /alertTopicName/,
    );
  });
});
