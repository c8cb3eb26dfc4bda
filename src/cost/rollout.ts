/**
 * Cost of the v1.1 `rollout` and `monitoring` sections on SageMaker (an entry of
 * src/cost/estimate.ts): notes, no monthly items.
 *  - Peak: a blue/green update provisions the new fleet beside the old one and keeps both until
 *    the last bake ends (https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html),
 *    so during a rollout the endpoint runs up to twice its max instances (src/model/capacity.ts,
 *    the same peak the quota check counts). The note gives that hourly peak and how long a rollout
 *    holds it (its bakes plus provisioning), not a monthly figure: it depends on how often you ship.
 *  - Drift: each Model Monitor execution is a processing job on one ml.m5.xlarge, billed per second
 *    while it runs; captured data is billed as S3 storage in the capture bucket.
 */
import type { Catalog } from "../catalog/types.js";
import { resolveCapacities } from "../model/capacity.js";
import type { PlatformModel } from "../model/platform.js";
import { rolloutBakeMinutes, SAGEMAKER_PROVISION_ALLOWANCE_MINUTES } from "../model/rollout.js";

const usd = (n: number) => n.toFixed(2);

export function rolloutCostNotes(model: PlatformModel, catalog: Catalog): string[] {
  if (model.cloud !== "aws") return [];
  const notes: string[] = [];
  const capacities = resolveCapacities(model, catalog);
  for (const ep of model.endpoints) {
    if (ep.runtime !== "managed") continue;
    const cap = capacities.find((c) => c.kind === "endpoint" && c.name === ep.name);
    if (ep.rollout && cap?.instanceType) {
      const hourly = catalog.sagemakerInstance(cap.instanceType)?.usdPerHour;
      const minutes = rolloutBakeMinutes(ep.rollout) + SAGEMAKER_PROVISION_ALLOWANCE_MINUTES;
      notes.push(
        `endpoint ${ep.name}: a ${ep.rollout.strategy} rollout runs the new fleet beside the old one: up to ${cap.peak} × ${cap.instanceType}` +
          (hourly === undefined ? "" : ` (${usd(cap.peak * hourly)} USD/h at the peak, ${usd(cap.max * hourly)} USD/h outside rollouts)`) +
          ` for up to ${minutes} minutes per rollout (bakes + provisioning); not in the monthly totals.`,
      );
    }
    if (ep.monitoring?.drift) {
      notes.push(`endpoint ${ep.name}: drift monitoring runs one ml.m5.xlarge processing job ${ep.monitoring.drift.schedule === "hourly" ? "every hour" : "every day"}, billed per second while it runs; not priced here.`);
    }
  }
  return notes;
}
