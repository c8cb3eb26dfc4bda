import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * Cloud Monitoring e-mail notification channels, one per address. Used by alert policies and
 * by the billing budget. Child ids are the addresses made id-safe (`oncall-example-com`), so
 * adding or removing one address never moves the others.
 */
export interface EmailChannelsProps {
  readonly project: string;
  readonly emails: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Prefix of each channel's display name. */
  readonly displayNamePrefix: string;
  /**
   * What the channels wait for (the Monitoring API).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class EmailChannels extends Construct {
  readonly channels: MonitoringNotificationChannel[];

  constructor(scope: Construct, id: string, props: EmailChannelsProps) {
    super(scope, id);
    const seen = new Set<string>();
    this.channels = props.emails.map((email) => {
      const childId = email.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
      if (seen.has(childId)) throw new Error(`e-mail ${email} is listed twice`);
      seen.add(childId);
      return new MonitoringNotificationChannel(this, childId, {
        project: props.project,
        type: "email",
        displayName: `${props.displayNamePrefix} ${email}`,
        labels: { email_address: email },
        userLabels: { ...props.labels },
        dependsOn: props.dependsOn,
      });
    });
  }
}
