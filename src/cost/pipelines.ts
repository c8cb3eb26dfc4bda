/**
 * Cost of the v1.1 `pipelines` section (an entry of src/cost/estimate.ts): notes only, no items.
 *  - What starts the runs costs about nothing at a retraining cadence, and is not itemized: on aws
 *    EventBridge Scheduler (14 million invocations a month free) and EventBridge rules on AWS
 *    service events (no charge); on gcp Cloud Scheduler (3 jobs free per billing account) and the
 *    Workflows steps and Eventarc events of a run; on azure the Azure ML schedule (no charge), Event
 *    Grid operations and a Logic App (Consumption) run per event.
 *  - What the runs do is not priced: the training and processing jobs of a run are billed per
 *    second of the instances the DEFINITION names (not the blueprint), for as long as they run.
 * https://aws.amazon.com/eventbridge/pricing/ · https://cloud.google.com/scheduler/pricing ·
 * https://cloud.google.com/vertex-ai/pricing#pipelines · https://azure.microsoft.com/pricing/details/event-grid/
 */
import type { PlatformModel } from "../model/platform.js";

const TRIGGERS = {
  aws: "EventBridge Scheduler and EventBridge rules cost about 0 at this cadence (14 million scheduler invocations a month are free; rules on AWS service events have no charge)",
  gcp: "Cloud Scheduler, Workflows and Eventarc cost about 0 at this cadence (3 scheduler jobs per billing account are free; a run is a few workflow steps); Vertex AI Pipelines adds a small fee per run",
  azure: "the Azure ML schedule has no charge; Event Grid operations and Logic App runs cost about 0 at this cadence",
} as const;

export function pipelineCostNotes(model: PlatformModel): string[] {
  const pipelines = model.pipelines ?? [];
  if (pipelines.length === 0) return [];
  return [
    `pipelines (${pipelines.map((p) => p.name).join(", ")}): ${TRIGGERS[model.cloud]}; not itemized.`,
    "pipelines: the compute of each run (the training and processing jobs its definition names) is billed per second while it runs and is not priced here.",
  ];
}
