import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config/index.js";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EmailChannels } from "./email-channels.js";

/**
 * Observability: the project's `_Default` log bucket retention, e-mail notification channels,
 * and per managed endpoint (Cloud Run service) alert policies on p99 request latency and on
 * the 5xx share of requests.
 *
 * `_Default` is created by GCP with every project and cannot be deleted: this resource only
 * sets its retention, and destroying it just forgets it (GCP keeps the bucket and retention).
 *
 * Construct ids are API: the log bucket is `Resource`, channels live under `email`, alert
 * policies are `<endpoint>-latency-p99` and `<endpoint>-5xx-rate`.
 */
export interface EndpointAlarms {
  /** Blueprint endpoint name. */
  readonly id: string;
  /** Cloud Run service name. */
  readonly serviceName: string;
  /** @default - no latency alert */
  readonly latencyP99Ms?: number;
  /** @default - no error-rate alert */
  readonly errorRatePercent?: number;
  /**
   * Channels notified besides the e-mails: the Pub/Sub channels of pipelines retrained on this
   * endpoint's alarms (stacks/gcp/pubsub-alarm-channel.ts).
   * @default - none
   */
  readonly extraChannels?: readonly string[];
}

export interface GcpObservabilityConstructProps {
  readonly project: string;
  readonly logRetentionDays: number;
  readonly alertEmails: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly displayNamePrefix: string;
  /**
   * @default []
   */
  readonly endpoints?: readonly EndpointAlarms[];
  /**
   * Window the condition must hold before it fires.
   * @default "300s"
   */
  readonly duration?: string;
  /**
   * What the resources wait for (Logging and Monitoring APIs).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GcpObservability extends Construct {
  readonly logBucket: LoggingProjectBucketConfig;
  readonly alertPolicies: MonitoringAlertPolicy[] = [];

  constructor(scope: Construct, id: string, props: GcpObservabilityConstructProps) {
    super(scope, id);
    if (props.logRetentionDays < 1 || props.logRetentionDays > 3650) {
      throw new Error(`log retention must be 1 to 3650 days, got ${props.logRetentionDays}`);
    }
    const duration = props.duration ?? "300s";

    this.logBucket = new LoggingProjectBucketConfig(this, "Resource", {
      project: props.project,
      location: "global",
      bucketId: "_Default",
      retentionDays: props.logRetentionDays,
      dependsOn: props.dependsOn,
    });

    const channels = new EmailChannels(this, "email", {
      project: props.project,
      emails: props.alertEmails,
      labels: props.labels,
      displayNamePrefix: `${props.displayNamePrefix} alerts`,
      dependsOn: props.dependsOn,
    }).channels.map((c) => c.id);

    for (const ep of props.endpoints ?? []) {
      const service = `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${ep.serviceName}"`;
      const requests = `${service} AND metric.type = "run.googleapis.com/request_count"`;
      if (ep.latencyP99Ms !== undefined) {
        this.alertPolicies.push(
          new MonitoringAlertPolicy(this, `${ep.id}-latency-p99`, {
            project: props.project,
            displayName: `${props.displayNamePrefix} ${ep.id}: p99 latency above ${ep.latencyP99Ms} ms`,
            combiner: "OR",
            severity: "WARNING",
            notificationChannels: [...channels, ...(ep.extraChannels ?? [])],
            userLabels: { ...props.labels },
            conditions: [
              {
                displayName: `p99 request latency > ${ep.latencyP99Ms} ms`,
                conditionThreshold: {
                  filter: `${service} AND metric.type = "run.googleapis.com/request_latencies"`,
                  comparison: "COMPARISON_GT",
                  thresholdValue: ep.latencyP99Ms,
                  duration,
                  aggregations: [
                    {
                      alignmentPeriod: "60s",
                      perSeriesAligner: "ALIGN_PERCENTILE_99",
                      crossSeriesReducer: "REDUCE_MAX",
                      groupByFields: ["resource.label.service_name"],
                    },
                  ],
                  trigger: { count: 1 },
                },
              },
            ],
            documentation: {
              mimeType: "text/markdown",
              content: `The 99th percentile latency of Cloud Run service \`${ep.serviceName}\` (endpoint ${ep.id}) stayed above ${ep.latencyP99Ms} ms for ${duration}.`,
            },
            alertStrategy: { autoClose: "1800s" },
            dependsOn: props.dependsOn,
          }),
        );
      }
      if (ep.errorRatePercent !== undefined) {
        const aggregation = {
          alignmentPeriod: "60s",
          perSeriesAligner: "ALIGN_RATE",
          crossSeriesReducer: "REDUCE_SUM",
          groupByFields: ["resource.label.service_name"],
        };
        this.alertPolicies.push(
          new MonitoringAlertPolicy(this, `${ep.id}-5xx-rate`, {
            project: props.project,
            displayName: `${props.displayNamePrefix} ${ep.id}: 5xx above ${ep.errorRatePercent}%`,
            combiner: "OR",
            severity: "ERROR",
            notificationChannels: [...channels, ...(ep.extraChannels ?? [])],
            userLabels: { ...props.labels },
            conditions: [
              {
                displayName: `5xx share of requests > ${ep.errorRatePercent}%`,
                conditionThreshold: {
                  // A ratio: 5xx requests over all requests, both as per-second rates.
                  filter: `${requests} AND metric.labels.response_code_class = "5xx"`,
                  denominatorFilter: requests,
                  comparison: "COMPARISON_GT",
                  thresholdValue: ep.errorRatePercent / 100,
                  duration,
                  aggregations: [aggregation],
                  denominatorAggregations: [aggregation],
                  trigger: { count: 1 },
                },
              },
            ],
            documentation: {
              mimeType: "text/markdown",
              content: `More than ${ep.errorRatePercent}% of requests to Cloud Run service \`${ep.serviceName}\` (endpoint ${ep.id}) returned 5xx for ${duration}.`,
            },
            alertStrategy: { autoClose: "1800s" },
            dependsOn: props.dependsOn,
          }),
        );
      }
    }
  }
}
