import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules of SageMaker rollouts and monitoring (issue 18): what SageMaker, CloudWatch
 * and EventBridge check when these resources are created, which `terraform validate` and `plan`
 * do not. Part of AWS_RULES (./aws-rules.ts).
 */

const one = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? v[0] : (v as Record<string, any> | undefined));
const list = (v: unknown): Record<string, any>[] => (Array.isArray(v) ? v : v ? [v as Record<string, any>] : []);
const ref = (v: unknown, type: string): string | undefined => new RegExp(`^\\$\\{${type}\\.([^.]+)\\.[a-z_]+\\}$`).exec(String(v))?.[1];

/** The endpoint configuration an endpoint uses, from its `${aws_sagemaker_endpoint_configuration.X.name}` reference. */
function configOf(json: SynthJson, endpoint: Record<string, any>): Record<string, any> | undefined {
  const name = ref(endpoint.endpoint_config_name, "aws_sagemaker_endpoint_configuration");
  return name ? json.resource?.aws_sagemaker_endpoint_configuration?.[name] : undefined;
}

export const AWS_ROLLOUT_RULES: readonly FirstDeployRule[] = [
  {
    id: "aws-sagemaker-rollback-alarms-before-endpoint",
    cloud: "aws",
    description:
      "SageMaker reads the auto-rollback alarms (DescribeAlarms) when a blue/green deployment starts: every alarm an endpoint names must exist first, so the endpoint depends on each of them.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_endpoint").flatMap(([name, ep]) => {
        const alarms = list(one(one(ep.deployment_config)?.auto_rollback_configuration)?.alarms).map((a) => a.alarm_name as string);
        const byName = new Map(resourcesOf(json, "aws_cloudwatch_metric_alarm").map(([n, a]) => [a.alarm_name, `aws_cloudwatch_metric_alarm.${n}`]));
        const deps = (ep.depends_on ?? []) as string[];
        return alarms.flatMap((a) => {
          const address = byName.get(a);
          if (!address) return [`aws_sagemaker_endpoint.${name} rolls back on alarm ${a}, which this stack does not create`];
          return deps.includes(address) ? [] : [`aws_sagemaker_endpoint.${name} does not depend on ${address} (alarm ${a})`];
        });
      }),
  },
  {
    id: "aws-sagemaker-blue-green-limits",
    cloud: "aws",
    description:
      "Blue/green traffic routing waits 0-3600 s per step, a canary is at most 50% and a linear step 10-50% of the variant's instances (so at least 2), termination waits 0-3600 s and the execution timeout is 600-28800 s (the provider accepts 600-14400).",
    source: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_endpoint").flatMap(([name, ep]) => {
        const p = one(one(ep.deployment_config)?.blue_green_update_policy);
        if (!p) return [];
        const r = one(p.traffic_routing_configuration) ?? {};
        const out: string[] = [];
        const at = `aws_sagemaker_endpoint.${name}`;
        if (!(r.wait_interval_in_seconds >= 0 && r.wait_interval_in_seconds <= 3600)) out.push(`${at} wait_interval_in_seconds ${r.wait_interval_in_seconds} is outside 0-3600`);
        if (p.termination_wait_in_seconds !== undefined && !(p.termination_wait_in_seconds >= 0 && p.termination_wait_in_seconds <= 3600)) out.push(`${at} termination_wait_in_seconds ${p.termination_wait_in_seconds} is outside 0-3600`);
        if (p.maximum_execution_timeout_in_seconds !== undefined && !(p.maximum_execution_timeout_in_seconds >= 600 && p.maximum_execution_timeout_in_seconds <= 14400))
          out.push(`${at} maximum_execution_timeout_in_seconds ${p.maximum_execution_timeout_in_seconds} is outside 600-14400`);
        const size = one(r.type === "CANARY" ? r.canary_size : r.type === "LINEAR" ? r.linear_step_size : undefined);
        if (size) {
          const [lo, hi] = r.type === "CANARY" ? [1, 50] : [10, 50];
          if (size.type !== "CAPACITY_PERCENT" || !(size.value >= lo && size.value <= hi)) out.push(`${at} ${r.type} size ${size.type} ${size.value} is outside ${lo}-${hi} CAPACITY_PERCENT`);
          const count = list(configOf(json, ep)?.production_variants)[0]?.initial_instance_count;
          if (typeof count === "number" && count < 2) out.push(`${at} splits traffic ${r.type} over ${count} instance: at least 2 are needed`);
        }
        return out;
      }),
  },
  {
    id: "aws-model-monitor-needs-capture",
    cloud: "aws",
    description:
      "A Model Monitor job reads the endpoint's captured data: the endpoint must exist with data capture enabled (requests and responses) before the job definition is created.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_data_quality_job_definition").flatMap(([name, d]) => {
        const target = one(one(d.data_quality_job_input)?.endpoint_input)?.endpoint_name;
        const found = resourcesOf(json, "aws_sagemaker_endpoint").find(([, ep]) => ep.name === target);
        if (!found) return [`aws_sagemaker_data_quality_job_definition.${name} monitors ${target}, which this stack does not create`];
        const [epName, ep] = found;
        const out: string[] = [];
        const capture = one(configOf(json, ep)?.data_capture_config);
        const modes = list(capture?.capture_options).map((o) => o.capture_mode).sort();
        if (capture?.enable_capture !== true || modes.join(",") !== "Input,Output") out.push(`aws_sagemaker_endpoint.${epName} does not capture requests and responses for ${name}`);
        if (!((d.depends_on ?? []) as string[]).includes(`aws_sagemaker_endpoint.${epName}`)) out.push(`aws_sagemaker_data_quality_job_definition.${name} does not depend on aws_sagemaker_endpoint.${epName}`);
        return out;
      }),
  },
  {
    id: "aws-model-monitor-schedule-expression",
    cloud: "aws",
    description: "Model Monitor schedules take hourly cron(0 * ? * * *) or daily cron(0 H ? * * *) expressions (H 0-23), in UTC.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_monitoring_schedule").flatMap(([name, s]) => {
        const e = one(one(s.monitoring_schedule_config)?.schedule_config)?.schedule_expression;
        return /^cron\(0 (\*|[0-9]|1[0-9]|2[0-3]) \? \* \* \*\)$/.test(String(e)) ? [] : [`aws_sagemaker_monitoring_schedule.${name} schedule_expression "${e}" is neither hourly nor daily`];
      }),
  },
  {
    id: "aws-eventbridge-to-logs-policy",
    cloud: "aws",
    description:
      "EventBridge delivers to a CloudWatch Logs log group (named /aws/events/...) only through a log resource policy that lets events.amazonaws.com create streams and put events there.",
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
    check: (json) =>
      resourcesOf(json, "aws_cloudwatch_event_target").flatMap(([name, t]) => {
        const m = /:log-group:([^:]+)$/.exec(String(t.arn));
        if (!m) return [];
        const group = m[1]!;
        const out: string[] = [];
        if (!group.startsWith("/aws/events/")) out.push(`aws_cloudwatch_event_target.${name} writes to ${group}, not under /aws/events/`);
        const allowed = resourcesOf(json, "aws_cloudwatch_log_resource_policy").some(([, p]) =>
          (JSON.parse(p.policy_document).Statement as Record<string, any>[]).some(
            (st) => st.Effect === "Allow" && [st.Principal?.Service].flat().includes("events.amazonaws.com") && [st.Resource].flat().some((r: string) => r.startsWith(`arn:`) && r.includes(`:log-group:${group}`)),
          ),
        );
        if (!allowed) out.push(`aws_cloudwatch_event_target.${name}: no log resource policy lets EventBridge write to ${group}`);
        return out;
      }),
  },
];
