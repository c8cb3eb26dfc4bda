import type { MonitoringSpec } from "../blueprint/schema/monitoring.js";
import type { RolloutSpec } from "../blueprint/schema/rollout.js";
import type { Cloud, EndpointRuntime } from "./platform.js";

export type RolloutStrategy = "allAtOnce" | "canary" | "linear";

/** v1.1 `serving.endpoints[].rollout`, defaults applied. */
export interface RolloutModel {
  readonly strategy: RolloutStrategy;
  readonly canaryPercent: number;
  readonly stepPercent: number;
  readonly bakeMinutes: number;
  /** Resolved: the blueprint's value, else true only where the runtime rolls back on alarms (SageMaker). */
  readonly rollbackOnAlarms: boolean;
}

/** v1.1 `serving.endpoints[].monitoring` (SageMaker managed endpoints). */
export interface MonitoringModel {
  readonly capture?: { readonly samplePercent: number; readonly bucket: string };
  readonly drift?: { readonly schedule: "hourly" | "daily"; readonly baseline: { readonly bucket: string; readonly path: string } };
}

/** True where the runtime itself rolls back on alarms: SageMaker blue/green (aws, managed). */
export function canRollBackOnAlarms(cloud: Cloud, runtime: EndpointRuntime): boolean {
  return cloud === "aws" && runtime === "managed";
}

export function buildRollout(r: RolloutSpec, cloud: Cloud, runtime: EndpointRuntime): RolloutModel {
  return {
    strategy: r.strategy,
    canaryPercent: r.canaryPercent,
    stepPercent: r.stepPercent,
    bakeMinutes: r.bakeMinutes,
    rollbackOnAlarms: r.rollbackOnAlarms ?? canRollBackOnAlarms(cloud, runtime),
  };
}

export function buildMonitoring(m: MonitoringSpec): MonitoringModel {
  return { capture: m.capture, drift: m.drift };
}
