import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthContinuousTraining } from "../helpers/pipeline-blueprint.js";
import { jsonImpact } from "./force-new.js";

/**
 * Day-2 edits of spec.pipelines on GCP and Azure (issue 17), where no provider binary can plan:
 * continuous-training (`--env gcp`, `--env azure`) is synthesized before and after each edit and
 * diffed through the ForceNew tables (force-new.ts, force-new-pipelines.ts). Listed: every
 * replacement and deletion, as `address action (forcing paths)`; anything else is an in-place
 * update or a creation.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-pipelines-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
type Spec = Record<string, any>;
const pipeline = (spec: Spec) => spec.pipelines[0];

interface PipelineEdit {
  readonly name: string;
  readonly edit: (spec: Spec) => void;
  readonly expect: Readonly<Record<"gcp" | "azure", readonly string[]>>;
  /** Resources the edit creates (at least), per cloud. */
  readonly creates?: Readonly<Partial<Record<"gcp" | "azure", readonly string[]>>>;
}

const P = "pipelines_retrain-fraud";
export const PIPELINE_EDITS: readonly PipelineEdit[] = [
  { name: "change the schedule", edit: (s) => (pipeline(s).schedule = "30 4 * * 2"), expect: { gcp: [], azure: [] } },
  {
    name: "change the parameters",
    edit: (s) => (pipeline(s).parameters.max_depth = "8"),
    // The job body is an object in a bucket: new content is a new object (nothing else moves).
    expect: { gcp: [`google_storage_bucket_object.${P}_job replace (content)`], azure: [] },
  },
  {
    name: "add a newData trigger on another bucket",
    edit: (s) => pipeline(s).triggers.push({ newData: { bucket: "models", prefix: "incoming/" } }),
    expect: { gcp: [], azure: [] },
    creates: { gcp: [`google_eventarc_trigger.${P}_new-data-models`], azure: [`azurerm_eventgrid_system_topic_event_subscription.${P}_new-data-2`] },
  },
  {
    name: "add a schedule-only pipeline",
    edit: (s) => s.pipelines.push({ ...structuredClone(pipeline(s)), name: "nightly-eval", triggers: [], schedule: "0 1 * * *" }),
    expect: { gcp: [], azure: [] },
    creates: { gcp: ["google_workflows_workflow.pipelines_nightly-eval", "google_cloud_scheduler_job.pipelines_nightly-eval_schedule"], azure: ["azapi_resource.pipelines_nightly-eval_schedule"] },
  },
  {
    name: "remove the alarm trigger",
    edit: (s) => (pipeline(s).triggers = pipeline(s).triggers.filter((t: Spec) => !t.alarm)),
    expect: {
      gcp: [
        `google_eventarc_trigger.${P}_alarm-trigger delete`,
        `google_monitoring_notification_channel.${P}_alarm delete`,
        `google_pubsub_topic.${P}_alarm_topic delete`,
        `google_pubsub_topic_iam_member.${P}_alarm_publisher delete`,
      ],
      azure: [`azurerm_monitor_action_group.${P}_alarm delete`],
    },
  },
];

describe.each(["gcp", "azure"] as const)("day-2 edits of continuous-training's pipeline on %s (JSON diff, ForceNew tables)", (cloud) => {
  let v1: Record<string, any>;
  beforeAll(async () => {
    v1 = (await synthContinuousTraining(join(work, cloud, "v1"), cloud)).json;
  }, 120_000);

  it.each(PIPELINE_EDITS.map((e) => [e.name, e] as const))("%s", async (name, e) => {
    const after = (await synthContinuousTraining(join(work, cloud, name.replace(/[^a-z0-9]+/gi, "-")), cloud, e.edit)).json;
    const impact = jsonImpact(v1, after).map((i) => `${i.address} ${i.action}${i.replacePaths.length ? ` (${i.replacePaths.join(", ")})` : ""}`);
    expect(impact.sort()).toEqual([...e.expect[cloud]].sort());
    for (const address of e.creates?.[cloud] ?? []) {
      const [type, id] = address.split(".") as [string, string];
      expect(after.resource?.[type]?.[id], `${address} created`).toBeDefined();
      expect(v1.resource?.[type]?.[id], `${address} new`).toBeUndefined();
    }
  }, 120_000);
});
