import { diag } from "../diagnostics.js";
import type { Cloud } from "../../model/platform.js";
import type { Rule } from "./rule.js";

/** The retention values each cloud accepts. */
const AWS_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const LIMITS: Record<Cloud, { min: number; max: number; values?: readonly number[]; what: string }> = {
  aws: { min: 1, max: 3653, values: AWS_RETENTION, what: "CloudWatch Logs" },
  gcp: { min: 1, max: 3650, what: "Cloud Logging buckets" },
  azure: { min: 30, max: 730, what: "Log Analytics workspaces" },
};

/** `logRetentionDays` rounded up to the nearest value the cloud accepts, or undefined when none is. */
export function fitRetention(cloud: Cloud, days: number): number | undefined {
  const l = LIMITS[cloud];
  if (days > l.max) return undefined;
  if (l.values) return l.values.find((v) => v >= days);
  return Math.max(l.min, days);
}

export const logRetention: Rule = ({ bp }) => {
  const cloud = bp.spec.cloud;
  const days = bp.spec.observability.logRetentionDays;
  const fitted = fitRetention(cloud, days);
  const l = LIMITS[cloud];
  const path = ["spec", "observability", "logRetentionDays"];
  const allowed = l.values ? l.values.join(", ") : `${l.min} to ${l.max}`;
  if (fitted === undefined) {
    return [diag({ code: "MLP_LOG_RETENTION_TOO_LONG", message: `${l.what} keep logs at most ${l.max} days.`, path, found: String(days), allowed, hint: `set logRetentionDays to ${l.max} or less, and export logs to a bucket for longer retention.` })];
  }
  if (fitted !== days) {
    return [diag({ severity: "warning", code: "MLP_LOG_RETENTION_ROUNDED", message: `${l.what} do not accept ${days} days; ${fitted} is used.`, path, found: String(days), allowed, hint: `write ${fitted} to silence this warning.` })];
  }
  return [];
};
