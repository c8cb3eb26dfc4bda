import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import { Construct } from "constructs";

export interface EndpointDashboardProps {
  /** CloudWatch dashboard name: letters, digits, `-` and `_`, up to 255 characters. */
  readonly dashboardName: string;
  readonly region: string;
  /** SageMaker endpoint names to chart (the platform stack's, as the AWS target resolved them). */
  readonly endpointNames: readonly string[];
  /**
   * p99 latency line drawn on each latency chart, in milliseconds.
   * @default - no line
   */
  readonly latencyTargetMs?: number;
}

/**
 * A CloudWatch dashboard with two charts per SageMaker endpoint: invocations (with 4xx/5xx) and
 * model latency (p50/p99). An example of a construct an mlplat user adds to the synthesized
 * platform stack; its id (`dashboard`) becomes the Terraform address `aws_cloudwatch_dashboard.dashboard`.
 */
export class EndpointDashboard extends Construct {
  readonly resource: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: EndpointDashboardProps) {
    super(scope, id);
    const widgets = props.endpointNames.flatMap((name, i) => {
      const dims = ["EndpointName", name, "VariantName", "AllTraffic"];
      const y = i * 6;
      return [
        {
          type: "metric",
          x: 0,
          y,
          width: 12,
          height: 6,
          properties: {
            title: `${name}: invocations`,
            region: props.region,
            stat: "Sum",
            period: 60,
            metrics: [
              ["AWS/SageMaker", "Invocations", ...dims],
              ["AWS/SageMaker", "Invocation4XXErrors", ...dims],
              ["AWS/SageMaker", "Invocation5XXErrors", ...dims],
            ],
          },
        },
        {
          type: "metric",
          x: 12,
          y,
          width: 12,
          height: 6,
          properties: {
            title: `${name}: model latency (µs)`,
            region: props.region,
            period: 60,
            metrics: [
              ["AWS/SageMaker", "ModelLatency", ...dims, { stat: "p50" }],
              ["AWS/SageMaker", "ModelLatency", ...dims, { stat: "p99" }],
            ],
            ...(props.latencyTargetMs ? { annotations: { horizontal: [{ label: "p99 target", value: props.latencyTargetMs * 1000 }] } } : {}),
          },
        },
      ];
    });
    const body = widgets.length
      ? { widgets }
      : { widgets: [{ type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: "This platform has no SageMaker endpoints." } }] };
    this.resource = new CloudwatchDashboard(this, "Resource", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(body),
    });
  }
}
