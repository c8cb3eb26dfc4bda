/**
 * Cost notes of the v1.1 `monitoring` section on SageMaker (an entry of src/cost/estimate.ts):
 * each Model Monitor execution is a processing job on one ml.m5.xlarge, billed per second while
 * it runs; captured data is billed as S3 storage in the capture bucket. Not priced.
 * What a `rollout` costs while it runs is src/cost/rollout-window.ts.
 */
import type { PlatformModel } from "../model/platform.js";

export function monitoringCostNotes(model: PlatformModel): string[] {
  if (model.cloud !== "aws") return [];
  return model.endpoints
    .filter((ep) => ep.runtime === "managed" && ep.monitoring?.drift)
    .map(
      (ep) =>
        `endpoint ${ep.name}: drift monitoring runs one ml.m5.xlarge processing job ${ep.monitoring!.drift!.schedule === "hourly" ? "every hour" : "every day"}, billed per second while it runs; not priced here.`,
    );
}
