/**
 * `monitoring` of a SageMaker endpoint → capture and drift props (pure): names derived, the
 * region's Model Monitor image from the catalog, the schedule as a cron expression SageMaker
 * accepts (`cron(0 * ? * * *)` hourly, `cron(0 0 ? * * *)` daily:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html).
 */
import { modelMonitorImage } from "../../catalog/model-monitor.js";
import { deriveName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import type { MonitoringModel } from "../../model/rollout.js";
import type { EndpointMonitoringSpec } from "../../../stacks/aws/endpoint-monitoring.js";
import { IAM_ROLE, SAGEMAKER, internal } from "./names.js";

export const SCHEDULES = {
  hourly: { expression: "cron(0 * ? * * *)", periodSeconds: 3600 },
  daily: { expression: "cron(0 0 ? * * *)", periodSeconds: 86400 },
} as const;

/** Where the drift metric lives (a metric filter on the drift events writes it). */
export const DRIFT_METRIC_NAMESPACE = "mlplat/ModelMonitor";

/** The drift alarm's name: `<endpoint name>-drift` (pipelines' alarm triggers match `<endpoint name>-`). */
export function driftAlarmName(endpointName: string): string {
  return `${endpointName}-drift`;
}

export interface MonitoringContext {
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly dnsSuffix: string;
}

export function resolveMonitoring(model: PlatformModel, endpoint: string, endpointName: string, m: MonitoringModel, x: MonitoringContext): EndpointMonitoringSpec | undefined {
  if (!m.capture) return undefined; // drift without capture is refused by the rules (MLP_DRIFT_NEEDS_CAPTURE)
  const bucketName = (b: string) => {
    const n = x.bucketNames[b];
    if (!n) throw internal(`endpoint ${endpoint}: monitoring bucket ${b} is not declared`);
    return n;
  };
  const capture = { samplePercent: m.capture.samplePercent, bucket: m.capture.bucket, bucketName: bucketName(m.capture.bucket), prefix: "capture/" };
  if (!m.drift) return { capture };
  const imageUri = modelMonitorImage(x.region, x.dnsSuffix);
  if (!imageUri) throw internal(`endpoint ${endpoint}: no Model Monitor image for ${x.region} reached the AWS target`);
  const schedule = SCHEDULES[m.drift.schedule];
  return {
    capture,
    drift: {
      jobDefinitionName: deriveName(model, `${endpoint}-drift`, SAGEMAKER),
      scheduleName: deriveName(model, `${endpoint}-drift`, SAGEMAKER),
      roleName: deriveName(model, `${endpoint}-monitor`, IAM_ROLE),
      scheduleExpression: schedule.expression,
      periodSeconds: schedule.periodSeconds,
      imageUri,
      baselineBucket: m.drift.baseline.bucket,
      baselineBucketName: bucketName(m.drift.baseline.bucket),
      baselinePrefix: m.drift.baseline.path,
      reportsPrefix: `monitoring/${endpointName}/`,
      alarmName: driftAlarmName(endpointName),
      ruleName: deriveName(model, `${endpoint}-drift`, { maxLength: 64, separator: "-" }),
      eventsLogGroupName: `/aws/events/${endpointName}-drift`,
      metricNamespace: DRIFT_METRIC_NAMESPACE,
      metricName: `${endpointName}-drift-violations`,
      partition: x.partition,
      region: x.region,
      accountId: x.accountId,
    },
  };
}
