/**
 * `serving.endpoints[].rollout` (v1.1) on every cloud and runtime.
 *
 * - SageMaker (aws, managed) shifts traffic between a blue and a green fleet: the canary must be
 *   at most 50% of the variant's instances and a linear step 10-50% of them
 *   (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html), so
 *   a one-instance fleet cannot be split: `autoscaling.min >= 2`. Waits are at most 3600 s per step
 *   (same page) and the whole deployment must fit the execution timeout: the API allows 28800 s
 *   (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_BlueGreenUpdatePolicy.html), the
 *   provider (hashicorp/aws 5.100) validates 600-14400 s
 *   (internal/service/sagemaker/endpoint.go, `maximum_execution_timeout_in_seconds`), so 4 hours.
 * - Every runtime: all bakes together at most 8 hours (the spec).
 * - `rollbackOnAlarms` exists only where the runtime rolls back on alarms (SageMaker): elsewhere a
 *   warning at its default, an error when set to true.
 * - SageMaker rolls back on the endpoint's alarms: asking for it with no alarm on the endpoint is an
 *   error; the default with no alarm is a warning (the rollout proceeds unguarded: say so, don't refuse
 *   a blueprint that asked for nothing).
 */
import { diag, type Diagnostic } from "../diagnostics.js";
import {
  canRollBackOnAlarms,
  MAX_ROLLOUT_MINUTES,
  rolloutBakeMinutes,
  SAGEMAKER_MAX_EXECUTION_MINUTES,
  SAGEMAKER_PROVISION_ALLOWANCE_MINUTES,
  trafficSteps,
} from "../../model/rollout.js";
import { rawAt, type Rule } from "./rule.js";


const RUNTIME_NAME = { gcp: "Cloud Run", azure: "Container Apps" } as const;

export const rolloutRules: Rule = ({ bp, raw }) => {
  const out: Diagnostic[] = [];
  const cloud = bp.spec.cloud;
  bp.spec.serving.endpoints.forEach((e, i) => {
    const r = e.rollout;
    if (!r) return;
    const path = ["spec", "serving", "endpoints", i, "rollout"];
    const sagemaker = cloud === "aws" && e.runtime === "managed";
    const steps = trafficSteps(r);
    const total = rolloutBakeMinutes(r);
    const budget = sagemaker ? SAGEMAKER_MAX_EXECUTION_MINUTES - SAGEMAKER_PROVISION_ALLOWANCE_MINUTES : MAX_ROLLOUT_MINUTES;
    if (total > budget) {
      const maxBake = Math.floor(budget / steps.length);
      out.push(
        diag({
          code: "MLP_ROLLOUT_TOO_LONG",
          message: sagemaker
            ? `this rollout bakes ${total} minutes (${steps.length} steps × ${r.bakeMinutes}); a SageMaker blue/green deployment may last at most 4 hours (the provider's limit), and ${SAGEMAKER_PROVISION_ALLOWANCE_MINUTES} minutes of them are kept for provisioning the new fleet.`
            : `this rollout bakes ${total} minutes (${steps.length} steps × ${r.bakeMinutes}); all steps together may last at most ${MAX_ROLLOUT_MINUTES} minutes (8 hours).`,
          path: [...path, "bakeMinutes"],
          found: `${total} minutes`,
          allowed: `at most ${budget} minutes`,
          hint: `lower bakeMinutes to ${maxBake}${r.strategy === "linear" ? ", or raise stepPercent for fewer steps" : ""}.`,
        }),
      );
    }
    if (sagemaker && r.strategy !== "allAtOnce" && e.autoscaling.min < 2) {
      const what = r.strategy === "canary" ? "the canary must be at most 50% of the instances" : "each linear step must be 10-50% of the instances";
      out.push(
        diag({
          code: "MLP_ROLLOUT_NEEDS_TWO_INSTANCES",
          message: `a ${r.strategy} rollout on SageMaker shifts traffic between instances and ${what}, so an endpoint that may run on one instance cannot be split.`,
          path: ["spec", "serving", "endpoints", i, "autoscaling", "min"],
          found: `autoscaling.min ${e.autoscaling.min}`,
          allowed: "autoscaling.min >= 2",
          hint: `set autoscaling.min to 2, or use \`strategy: allAtOnce\` (blue/green with a bake and alarm rollback).`,
        }),
      );
    }
    const explicit = rawAt(raw, [...path, "rollbackOnAlarms"]);
    if (!canRollBackOnAlarms(cloud, e.runtime)) {
      const where = e.runtime === "kubernetes" ? "runtime: kubernetes (Argo Rollouts aborts on failed readiness; these endpoints have no cloud alarms)" : `${RUNTIME_NAME[cloud as "gcp" | "azure"]} (no alarm-driven rollback exists; \`mlplat rollback\` moves traffic back)`;
      if (explicit === true) {
        out.push(
          diag({
            code: "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED",
            message: `rollbackOnAlarms cannot be honoured on ${where}.`,
            path: [...path, "rollbackOnAlarms"],
            found: "true",
            allowed: "false, or runtime: managed on aws (SageMaker rolls back on the endpoint's alarms)",
            hint: "remove rollbackOnAlarms (or set it to false) and roll back by hand with `mlplat rollback <file> <endpoint>` when an alarm fires.",
          }),
        );
      } else if (explicit === undefined) {
        out.push(
          diag({
            severity: "warning",
            code: "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED",
            message: `this rollout will not roll back when an alarm fires: ${where}.`,
            path,
            hint: "write `rollbackOnAlarms: false` to acknowledge it, or serve on aws with runtime: managed for alarm rollback.",
          }),
        );
      }
    } else {
      const hasAlarms = e.alarms.latencyP99Ms !== undefined || e.alarms.errorRatePercent !== undefined || !!e.monitoring?.drift;
      if (!hasAlarms && explicit !== false) {
        out.push(
          diag({
            severity: explicit === true ? "error" : "warning",
            code: "MLP_ROLLBACK_WITHOUT_ALARMS",
            message: `rollbackOnAlarms${explicit === true ? " is true" : " defaults to true"} but endpoint \`${e.name}\` has no alarm to roll back on: SageMaker would shift all traffic without a guard.`,
            path: explicit === true ? [...path, "rollbackOnAlarms"] : path,
            hint: "add `alarms: { latencyP99Ms: 200, errorRatePercent: 1 }` to the endpoint, or write `rollbackOnAlarms: false`.",
          }),
        );
      }
    }
  });
  return out;
};
