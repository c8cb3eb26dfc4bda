import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { CONTINUOUS_TRAINING, provideDefinitions, ROOT } from "../helpers/pipeline-blueprint.js";
import type { Expected } from "./corpus.js";
import { describeDay2Tier, expectDisruptions, tierWorkDir, type Doc } from "./day2-tier.js";

/**
 * Day-2 edits of `spec.pipelines` on AWS (issue 17): blueprints/continuous-training.yaml is
 * "deployed" once (mock apply healed by the real provider, README.md here), then each edit is
 * planned against it with the real hashicorp/aws provider, offline. Nothing is replaced: a
 * schedule, parameters, a definition or a trigger change in place or add/remove their own
 * resources (stacks/aws/README.md, "Pipelines").
 */
const work = tierWorkDir("mlplat-change-impact-pipelines-aws-");

const P = "pipelines_retrain-fraud";
const pipeline = (doc: Doc) => doc.spec.pipelines[0];
/** A re-exported definition: the example with one more step. */
function newDefinition(): string {
  const def = JSON.parse(readFileSync(join(ROOT, "blueprints/pipelines/retrain-fraud.sagemaker.json"), "utf8"));
  def.Steps.push({ Name: "NotifyDone", Type: "Fail", Arguments: { ErrorMessage: "stop here" } });
  // Beside the edited blueprint (work/edits): a definition must lie inside the blueprint's folder.
  writeFileSync(join(work, "edits", "pipelines", "retrain-fraud.v2.json"), JSON.stringify(def, null, 2));
  return "pipelines/retrain-fraud.v2.json";
}

export const PIPELINE_AWS_EDITS: readonly { name: string; edit: (doc: Doc) => void; expect: Expected }[] = [
  { name: "nothing (v1 again)", edit: () => {}, expect: { noop: true } },
  {
    name: "change the schedule: the schedule, in place",
    edit: (doc) => (pipeline(doc).schedule = "30 4 * * 2"),
    expect: { update: [`aws_scheduler_schedule.${P}_schedule`] },
  },
  {
    name: "change the parameters: the schedule's and the rules' targets, in place",
    edit: (doc) => (pipeline(doc).parameters.max_depth = "8"),
    expect: { update: [`aws_scheduler_schedule.${P}_schedule`, `aws_cloudwatch_event_target.${P}_data-datasets-target`, `aws_cloudwatch_event_target.${P}_alarm-scorer-target`] },
  },
  {
    name: "add a newData trigger on another bucket: its rule, target and the bucket's EventBridge notifications",
    edit: (doc) => pipeline(doc).triggers.push({ newData: { bucket: "models", prefix: "incoming/" } }),
    expect: { create: [`aws_cloudwatch_event_rule.${P}_data-models`, `aws_cloudwatch_event_target.${P}_data-models-target`, "aws_s3_bucket_notification.pipelines_notify-models"] },
  },
  {
    name: "remove the schedule: the schedule and its role go",
    edit: (doc) => delete pipeline(doc).schedule,
    expect: { delete: [`aws_scheduler_schedule.${P}_schedule`, `aws_iam_role.${P}_schedule-role`, `aws_iam_role_policy.${P}_schedule-role-policy`] },
  },
  {
    name: "a re-exported definition: the pipeline, in place",
    edit: (doc) => (pipeline(doc).definition.aws = newDefinition()),
    expect: { update: [`aws_sagemaker_pipeline.${P}`] },
  },
];

describeDay2Tier("day-2 edits of continuous-training's pipelines (real hashicorp/aws, offline)", {
  blueprint: CONTINUOUS_TRAINING,
  work,
  edits: PIPELINE_AWS_EDITS,
  label: "change-impact (pipelines, aws)",
  setup: () => provideDefinitions(join(work, "edits")),
  v1Check: (v1) => expect(v1.state.resources.some((r) => r.type === "aws_sagemaker_pipeline")).toBe(true),
  check: (e, changes) => expectDisruptions(e.name, changes, []),
});
