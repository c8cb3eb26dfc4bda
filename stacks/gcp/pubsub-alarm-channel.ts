import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * A Cloud Monitoring notification channel of type `pubsub`: alert policies that list it publish
 * their incidents (JSON, `incident.state` open/closed) to a CMEK Pub/Sub topic.
 *
 * Cloud Monitoring publishes as its notification service agent,
 * `service-<project number>@gcp-sa-monitoring-notification.iam.gserviceaccount.com`, which GCP
 * creates with the project's first Pub/Sub channel; it gets `roles/pubsub.publisher` on this topic
 * only, after the channel exists (https://cloud.google.com/monitoring/support/notification-options#pubsub).
 *
 * Construct ids are API: `topic`, `Resource` (the channel), `publisher`.
 */
export interface PubsubAlarmChannelProps {
  readonly project: string;
  /** For the notification agent's e-mail. */
  readonly projectNumber: string;
  readonly topicName: string;
  readonly displayName: string;
  /** CMEK key of the topic (the Pub/Sub agent may use it: see `dependsOn`). */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * What the topic and channel wait for (the key grant, the Pub/Sub and Monitoring APIs).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class PubsubAlarmChannel extends Construct {
  readonly topic: PubsubTopic;
  readonly channel: MonitoringNotificationChannel;
  readonly publisher: PubsubTopicIamMember;

  constructor(scope: Construct, id: string, props: PubsubAlarmChannelProps) {
    super(scope, id);
    this.topic = new PubsubTopic(this, "topic", {
      project: props.project,
      name: props.topicName,
      kmsKeyName: props.kmsKeyId,
      labels: { ...props.labels },
      dependsOn: props.dependsOn,
    });
    this.channel = new MonitoringNotificationChannel(this, "Resource", {
      project: props.project,
      type: "pubsub",
      displayName: props.displayName,
      labels: { topic: this.topic.id },
      userLabels: { ...props.labels },
      dependsOn: props.dependsOn,
    });
    this.publisher = new PubsubTopicIamMember(this, "publisher", {
      project: props.project,
      topic: this.topic.name,
      role: "roles/pubsub.publisher",
      member: `serviceAccount:service-${props.projectNumber}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
      // The agent exists once the project has a Pub/Sub channel.
      dependsOn: [this.channel],
    });
  }
}
