/**
 * `rollout` of a SageMaker endpoint → its blue/green deployment configuration (pure).
 *
 * Each step's bake is the wait interval; SageMaker waits it after every traffic shift, the last
 * one included (the "final baking period",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html), so a
 * rollout bakes `trafficSteps × bakeMinutes` (src/model/rollout.ts) and the old fleet is retired right
 * after (termination wait 0). The execution timeout is that plus the time to provision the new fleet,
 * within 600-14400 s (the provider's range; the API allows 28800), and the rules refuse a rollout that cannot fit.
 */
import { rolloutBakeMinutes, SAGEMAKER_MAX_EXECUTION_MINUTES, SAGEMAKER_PROVISION_ALLOWANCE_MINUTES, type RolloutModel } from "../../model/rollout.js";
import type { EndpointRolloutProps } from "../../../stacks/aws/managed-endpoint.js";

const TYPE = { allAtOnce: "ALL_AT_ONCE", canary: "CANARY", linear: "LINEAR" } as const;

/** `alarmNames`: the endpoint's own alarms (latency, errors, drift), in that order. */
export function resolveRollout(r: RolloutModel, alarmNames: readonly string[]): EndpointRolloutProps {
  const executionMinutes = rolloutBakeMinutes(r) + SAGEMAKER_PROVISION_ALLOWANCE_MINUTES;
  return {
    type: TYPE[r.strategy],
    sizePercent: r.strategy === "canary" ? r.canaryPercent : r.strategy === "linear" ? r.stepPercent : undefined,
    waitIntervalSeconds: r.bakeMinutes * 60,
    terminationWaitSeconds: 0,
    maximumExecutionTimeoutSeconds: Math.min(SAGEMAKER_MAX_EXECUTION_MINUTES * 60, Math.max(600, executionMinutes * 60)),
    rollbackAlarmNames: r.rollbackOnAlarms ? [...alarmNames] : [],
  };
}
