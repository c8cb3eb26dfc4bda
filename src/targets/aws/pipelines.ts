import type { PipelineModel } from "../../model/pipelines.js";
import type { PlatformModel } from "../../model/platform.js";
import { eventBridgeCron } from "../../model/cron.js";
import { deriveName, type NameRules } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import type { AwsPipelineSpec, AwsPipelinesSpec } from "../../../stacks/aws/pipelines.js";
import { IAM_ROLE, SAGEMAKER } from "./names.js";

/** EventBridge Scheduler schedule and EventBridge rule names: 64 characters of `[0-9A-Za-z-_.]`. */
const EVENTS_NAME: NameRules = { maxLength: 64, separator: "-" };

export interface PipelineContext {
  readonly dnsSuffix: string;
  /** Derived bucket name per blueprint bucket. */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** The platform's model package group, when `registry.models`. */
  readonly modelPackageGroupName?: string;
}

/**
 * `spec.pipelines` → the AWS section's props: names derived from the platform (names are API),
 * the 5-field cron translated to EventBridge's `cron(...)`, and the rules of each trigger.
 * Pure: no cdktf at runtime, no AWS call.
 */
export function resolvePipelines(model: PlatformModel, ctx: PipelineContext): AwsPipelinesSpec | undefined {
  const pipelines = model.pipelines ?? [];
  if (pipelines.length === 0) return undefined;
  const watched = new Set<string>();
  const specs = pipelines.map((p) => resolvePipeline(model, p, ctx, watched));
  return { pipelines: specs, eventBridgeBuckets: [...watched].sort(), s3ViaService: `s3.${model.region}.${ctx.dnsSuffix}` };
}

function resolvePipeline(model: PlatformModel, p: PipelineModel, ctx: PipelineContext, watched: Set<string>): AwsPipelineSpec {
  const name = (item: string, rules: NameRules) => deriveName(model, `${p.name}${item}`, rules);
  let schedule: AwsPipelineSpec["schedule"];
  if (p.schedule !== undefined) {
    const cron = eventBridgeCron(p.schedule);
    // The rules reject both cases at validate; a model built around them is a bug.
    if (!cron.ok) throw new MlplatError("MLP_PIPELINE_CRON_UNSUPPORTED", cron.message, { path: ["spec", "pipelines"], hint: "restrict only one of the day fields." });
    schedule = { scheduleName: name("", EVENTS_NAME), roleName: name("-schedule", IAM_ROLE), expression: cron.expression };
  }
  const ids = new Set<string>();
  const unique = (id: string) => {
    let out = id;
    for (let n = 2; ids.has(out); n++) out = `${id}-${n}`;
    ids.add(out);
    return out;
  };
  const newData = p.triggers.flatMap((t) => {
    if (t.kind !== "newData") return [];
    const id = unique(t.bucket);
    watched.add(t.bucket);
    return [{ id, ruleName: name(`-data-${id}`, EVENTS_NAME), bucketName: ctx.bucketNames[t.bucket]!, prefix: t.prefix.replace(/^\/+/, "") }];
  });
  const alarms = p.triggers.flatMap((t) => {
    if (t.kind !== "alarm") return [];
    // Named like the endpoint, not looked up: the first deploy defers an endpoint whose image is
    // not pushed yet, and the rule (a name prefix) can wait for its alarms without changing.
    const endpointName = deriveName(model, t.endpoint, SAGEMAKER);
    const id = unique(t.endpoint);
    return [{ id, ruleName: name(`-alarm-${id}`, EVENTS_NAME), alarmNamePrefix: `${endpointName}-` }];
  });
  return {
    name: p.name,
    pipelineName: name("", SAGEMAKER),
    definition: p.definition.text,
    executionRoleName: name("-pipeline", IAM_ROLE),
    buckets: [...p.buckets],
    modelPackageGroupName: ctx.modelPackageGroupName,
    parameters: { ...p.parameters },
    schedule,
    eventsRoleName: newData.length || alarms.length ? name("-events", IAM_ROLE) : undefined,
    newData,
    alarms,
  };
}
