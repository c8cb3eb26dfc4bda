/**
 * The `observability` section: the platform's CloudWatch log groups (created ahead of the
 * services that write to them, so retention and KMS apply from the first line), and the alert
 * topic (KMS-encrypted SNS) with one e-mail subscription per `alertEmails` entry.
 *
 * Construct ids are API: log groups are named by their purpose (`flow-logs`, `cluster`,
 * `endpoint-<endpoint>`), the topic is `alerts`, subscriptions `alerts-<e-mail, hyphenated>`.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";

export interface ObservabilityProps {
  /** Construct id → log group name, e.g. `cluster` → `/aws/eks/fraud-default/cluster`. */
  readonly logGroups: Readonly<Record<string, string>>;
  /** A value CloudWatch Logs accepts (the model already rounded it). */
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  /** SNS topic name; no topic when absent. @default - no alert topic */
  readonly alertTopicName?: string;
  /** E-mail subscriptions of the alert topic. @default [] */
  readonly alertEmails?: readonly string[];
}

export class Observability extends Construct {
  readonly logGroups: Record<string, CloudwatchLogGroup> = {};
  readonly alertTopic?: SnsTopic;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    for (const [logId, name] of Object.entries(props.logGroups)) {
      this.logGroups[logId] = new CloudwatchLogGroup(this, logId, {
        name,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
    }
    const emails = props.alertEmails ?? [];
    if (emails.length > 0 && !props.alertTopicName) {
      throw new Error("observability: alertEmails need an alertTopicName");
    }
    if (props.alertTopicName) {
      this.alertTopic = new SnsTopic(this, "alerts", { name: props.alertTopicName, kmsMasterKeyId: props.kmsKeyArn });
      const seen = new Set<string>();
      for (const email of emails) {
        const subId = `alerts-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
        if (seen.has(subId)) continue;
        seen.add(subId);
        new SnsTopicSubscription(this, subId, { topicArn: this.alertTopic.arn, protocol: "email", endpoint: email });
      }
    }
  }

  /** The ARN of a log group declared in `logGroups`. */
  logGroupArn(logId: string): string {
    const g = this.logGroups[logId];
    if (!g) throw new Error(`observability: no log group '${logId}'; have ${Object.keys(this.logGroups).join(", ")}`);
    return g.arn;
  }
}
