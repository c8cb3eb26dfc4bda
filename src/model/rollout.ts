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

/** All the bakes of one rollout together may last at most this long (the spec). */
export const MAX_ROLLOUT_MINUTES = 8 * 60;
/** Minutes SageMaker needs to provision the green fleet, kept free inside its execution timeout. */
export const SAGEMAKER_PROVISION_ALLOWANCE_MINUTES = 30;
/**
 * The longest SageMaker blue/green deployment the provider accepts: `maximum_execution_timeout_in_seconds`
 * 600-14400 in hashicorp/aws 5.100 (internal/service/sagemaker/endpoint.go); the API allows 28800.
 */
export const SAGEMAKER_MAX_EXECUTION_MINUTES = 4 * 60;

/** True where the runtime itself rolls back on alarms: SageMaker blue/green (aws, managed). */
export function canRollBackOnAlarms(cloud: Cloud, runtime: EndpointRuntime): boolean {
  return cloud === "aws" && runtime === "managed";
}

/** True where `monitoring` is offered: SageMaker managed endpoints (Model Monitor). */
export function canMonitor(cloud: Cloud, runtime: EndpointRuntime): boolean {
  return cloud === "aws" && runtime === "managed";
}

/**
 * The share of traffic on the new version after each step, ending at 100: canary
 * `[canaryPercent, 100]`, linear `[step, 2·step, …, 100]`, allAtOnce `[100]`. Every step is
 * followed by one bake (the last one before the old version is retired). Shared by the
 * SageMaker rules, the Cloud Run / Container Apps step engine and the Argo Rollouts steps.
 */
export function trafficSteps(r: Pick<RolloutModel, "strategy" | "canaryPercent" | "stepPercent">): number[] {
  if (r.strategy === "canary") return r.canaryPercent >= 100 ? [100] : [r.canaryPercent, 100];
  if (r.strategy === "linear") {
    if (r.stepPercent <= 0) throw new Error(`linear rollout needs a positive stepPercent, got ${r.stepPercent}`);
    const out: number[] = [];
    for (let p = r.stepPercent; p < 100; p += r.stepPercent) out.push(p);
    return [...out, 100];
  }
  return [100];
}

/** Minutes of baking in one rollout: one bake after every step. */
export function rolloutBakeMinutes(r: Pick<RolloutModel, "strategy" | "canaryPercent" | "stepPercent" | "bakeMinutes">): number {
  return trafficSteps(r).length * r.bakeMinutes;
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

/** Baseline paths are prefixes: `""` (the bucket's root) or ending in `/`. */
export function baselinePrefix(path: string): string {
  const p = path.replace(/^\/+/, "");
  return p === "" || p.endsWith("/") ? p : `${p}/`;
}

export function buildMonitoring(m: MonitoringSpec): MonitoringModel {
  return {
    ...(m.capture ? { capture: { samplePercent: m.capture.samplePercent, bucket: m.capture.bucket } } : {}),
    ...(m.drift ? { drift: { schedule: m.drift.schedule, baseline: { bucket: m.drift.baseline.bucket, path: baselinePrefix(m.drift.baseline.path) } } } : {}),
  };
}
