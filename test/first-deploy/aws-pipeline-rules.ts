import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules of AWS pipelines (v1.1 `spec.pipelines`): what EventBridge Scheduler,
 * EventBridge, S3 and SageMaker check when the resources are created (or what silently never
 * fires), which `terraform validate` and `plan` do not. Part of AWS_RULES (./aws-rules.ts).
 */

const one = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? v[0] : (v as Record<string, any> | undefined));

/** The role a `${aws_iam_role.<name>.arn}` reference names, with its trusted services. */
function trustedServices(json: SynthJson, ref: unknown): string[] | undefined {
  const name = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(ref))?.[1];
  const role = name ? json.resource?.aws_iam_role?.[name] : undefined;
  if (!role) return undefined;
  const doc = JSON.parse(role.assume_role_policy) as { Statement: { Effect: string; Action: string | string[]; Principal?: { Service?: string | string[] } }[] };
  return doc.Statement.filter((s) => s.Effect === "Allow" && [s.Action].flat().includes("sts:AssumeRole")).flatMap((s) => [s.Principal?.Service ?? []].flat());
}

function roleTrusts(address: string, json: SynthJson, ref: unknown, service: string): string[] {
  const services = trustedServices(json, ref);
  if (!services) return [`${address} runs as ${String(ref)}, not a role of this stack`];
  return services.includes(service) ? [] : [`${address} runs as ${String(ref)}, which does not trust ${service}`];
}

/** EventBridge's cron(...): 6 fields, `?` in exactly one of day-of-month and day-of-week. */
function cronProblem(expr: string): string | undefined {
  const m = /^cron\((.*)\)$/.exec(expr);
  if (!m) return "not cron(...)";
  const f = m[1]!.trim().split(/\s+/);
  if (f.length !== 6) return `${f.length} fields (6: minutes hours day-of-month month day-of-week year)`;
  if ((f[2] === "?") === (f[4] === "?")) return "needs `?` in exactly one of day-of-month and day-of-week";
  if (f[4]!.includes("/")) return "day-of-week takes no step";
  return undefined;
}

export const AWS_PIPELINE_RULES: readonly FirstDeployRule[] = [
  {
    id: "aws-scheduler-schedule",
    cloud: "aws",
    description:
      "EventBridge Scheduler creates a schedule only with a name of 1-64 of [0-9A-Za-z-_.], a cron(...) of 6 fields with `?` in exactly one day field, and an execution role that trusts scheduler.amazonaws.com.",
    source: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html",
    check: (json) =>
      resourcesOf(json, "aws_scheduler_schedule").flatMap(([name, s]) => {
        const at = `aws_scheduler_schedule.${name}`;
        const out: string[] = [];
        if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(String(s.name))) out.push(`${at} name "${s.name}" is not 1-64 of [0-9A-Za-z-_.]`);
        const p = cronProblem(String(s.schedule_expression));
        if (p) out.push(`${at} schedule_expression "${s.schedule_expression}": ${p}`);
        out.push(...roleTrusts(at, json, one(s.target)?.role_arn, "scheduler.amazonaws.com"));
        return out;
      }),
  },
  {
    id: "aws-eventbridge-sagemaker-target-role",
    cloud: "aws",
    description: "An EventBridge rule starts a SageMaker pipeline only through an IAM role the target names, trusted by events.amazonaws.com; rule names are 1-64 of [.-_A-Za-z0-9].",
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html",
    check: (json) => [
      ...resourcesOf(json, "aws_cloudwatch_event_rule").flatMap(([name, r]) => (/^[.\-_A-Za-z0-9]{1,64}$/.test(String(r.name)) ? [] : [`aws_cloudwatch_event_rule.${name} name "${r.name}" is not 1-64 of [.-_A-Za-z0-9]`])),
      ...resourcesOf(json, "aws_cloudwatch_event_target")
        .filter(([, t]) => t.sagemaker_pipeline_target !== undefined || /aws_sagemaker_pipeline\./.test(String(t.arn)))
        .flatMap(([name, t]) => (t.role_arn ? roleTrusts(`aws_cloudwatch_event_target.${name}`, json, t.role_arn, "events.amazonaws.com") : [`aws_cloudwatch_event_target.${name} starts a SageMaker pipeline without role_arn`])),
    ],
  },
  {
    id: "aws-s3-eventbridge-notifications",
    cloud: "aws",
    description: "S3 sends Object Created events to EventBridge only from buckets with EventBridge notifications turned on; a rule on another bucket never fires.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html",
    check: (json) => {
      const buckets = json.resource?.aws_s3_bucket ?? {};
      const on = new Set(
        resourcesOf(json, "aws_s3_bucket_notification")
          .filter(([, n]) => n.eventbridge === true)
          .map(([, n]) => buckets[/^\$\{aws_s3_bucket\.([^.]+)\.(id|bucket)\}$/.exec(String(n.bucket))?.[1] ?? ""]?.bucket ?? n.bucket),
      );
      return resourcesOf(json, "aws_cloudwatch_event_rule").flatMap(([name, r]) => {
        const p = JSON.parse(r.event_pattern ?? "{}") as { source?: string[]; detail?: { bucket?: { name?: string[] } } };
        if (!p.source?.includes("aws.s3")) return [];
        return (p.detail?.bucket?.name ?? []).filter((b) => !on.has(b)).map((b) => `aws_cloudwatch_event_rule.${name} watches bucket ${b}, which has no EventBridge notifications`);
      });
    },
  },
  {
    id: "aws-sagemaker-pipeline",
    cloud: "aws",
    description: "SageMaker creates a pipeline only with a name of 1-256 matching [a-zA-Z0-9](-*[a-zA-Z0-9])* and a role that SageMaker can assume.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePipeline.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_pipeline").flatMap(([name, p]) => [
        ...(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/.test(String(p.pipeline_name)) ? [] : [`aws_sagemaker_pipeline.${name} pipeline_name "${p.pipeline_name}" breaks [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}`]),
        ...roleTrusts(`aws_sagemaker_pipeline.${name}`, json, p.role_arn, "sagemaker.amazonaws.com"),
      ]),
  },
];
