import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformEnv } from "../helpers/terraform.js";
import { CONTINUOUS_TRAINING, provideDefinitions, ROOT } from "../helpers/pipeline-blueprint.js";
import { synthEdited } from "./blueprint-edits.js";
import { findDisruptions } from "../../src/engine/disruption.js";
import type { ChangeAction } from "../../src/terraform/plan-stream.js";
import type { Expected } from "./corpus.js";
import { expectImpact } from "./expect-impact.js";
import { deployV1, planImpact, type DeployedV1 } from "./plan.js";

/**
 * Day-2 edits of `spec.pipelines` on AWS (issue 17): blueprints/continuous-training.yaml is
 * "deployed" once (mock apply healed by the real provider, README.md here), then each edit is
 * planned against it with the real hashicorp/aws provider, offline. Nothing is replaced: a
 * schedule, parameters, a definition or a trigger change in place or add/remove their own
 * resources (stacks/aws/README.md, "Pipelines").
 */
type Doc = Record<string, any>;
const tf = terraformEnv();
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-pipelines-aws-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

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

describe.skipIf(!tf.available)("day-2 edits of continuous-training's pipelines (real hashicorp/aws, offline)", () => {
  let v1: DeployedV1;
  const started = Date.now();
  provideDefinitions(join(work, "edits"));
  const synth = (edit: (doc: Doc) => void) => synthEdited(CONTINUOUS_TRAINING, join(work, "edits"), (doc) => edit(doc));

  beforeAll(async () => {
    const stack = await synth(() => {});
    v1 = await deployV1(stack.dir, stack.statePath, join(work, "mock"));
  }, 600_000);

  afterAll(() => {
    process.stderr.write(`change-impact (pipelines, aws): v1 deployed and ${PIPELINE_AWS_EDITS.length} edits planned in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it("deploys v1 into a state that v1 itself plans no change against", () => {
    expect(v1.residual.map((c) => `${c.actions.join("+")} ${c.address} ${c.replacePaths.join(",")}`)).toEqual([]);
    expect(v1.state.resources.some((r) => r.type === "aws_sagemaker_pipeline")).toBe(true);
  });

  it.each(PIPELINE_AWS_EDITS.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
    const stack = await synth(e.edit);
    const changes = await planImpact(stack.dir, stack.statePath, v1.state);
    expectImpact(e.name, changes, e.expect);
    const planned = changes.map((c) => ({ address: c.address, mode: "managed" as const, type: c.type, name: c.address.split(".")[1]!, action: (c.actions.length === 2 ? "replace" : c.actions[0]) as ChangeAction }));
    expect(findDisruptions(planned).map((d) => `${d.kind} ${d.action}`), e.name).toEqual([]);
  }, 300_000);
});
