/**
 * `serving.endpoints[].monitoring` (v1.1). Offered on SageMaker managed endpoints only (data
 * capture + Model Monitor); elsewhere a located error that names the alternative. Its buckets must
 * be declared, drift needs capture (Model Monitor reads the captured requests), and the region needs
 * a Model Monitor analyzer image (src/catalog/data/model-monitor.json).
 *
 * Model Monitor closed to new customers on 2026-07-30: accounts that never used it cannot create
 * schedules (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html),
 * so drift on aws is a warning that says so; capture alone is unaffected.
 */
import { diag, type Diagnostic } from "../diagnostics.js";
import { closest } from "../did-you-mean.js";
import { modelMonitorImage, modelMonitorRegions } from "../../catalog/model-monitor.js";
import { canMonitor } from "../../model/rollout.js";
import type { Rule } from "./rule.js";

export const MODEL_MONITOR_AVAILABILITY_URL = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html";

const ALTERNATIVE = {
  gcp: "Cloud Run has no request capture or drift monitoring; log requests from the service to BigQuery and run Vertex AI Model Monitoring outside mlplat, or serve on aws with runtime: managed (SageMaker Model Monitor)",
  azure: "Container Apps has no request capture or drift monitoring; use Azure ML managed online endpoints' data collector and model monitoring outside mlplat, or serve on aws with runtime: managed (SageMaker Model Monitor)",
} as const;

export const monitoringRules: Rule = ({ bp }) => {
  const out: Diagnostic[] = [];
  const cloud = bp.spec.cloud;
  const buckets = bp.spec.storage.buckets.map((b) => b.name);
  bp.spec.serving.endpoints.forEach((e, i) => {
    const m = e.monitoring;
    if (!m) return;
    const path = ["spec", "serving", "endpoints", i, "monitoring"];
    if (!canMonitor(cloud, e.runtime)) {
      out.push(
        diag({
          code: "MLP_MONITORING_UNSUPPORTED",
          message:
            e.runtime === "kubernetes"
              ? "monitoring is not offered for runtime: kubernetes endpoints in v1.1 (on any cloud); it is offered for runtime: managed on aws (SageMaker data capture and Model Monitor)."
              : `monitoring is not offered on ${cloud}: ${ALTERNATIVE[cloud as "gcp" | "azure"]}.`,
          path,
          found: `cloud ${cloud}, runtime ${e.runtime}`,
          allowed: "cloud aws with runtime: managed",
          hint: "remove monitoring from this endpoint (or from this environment's overlay).",
        }),
      );
      return;
    }
    const refs: [string | undefined, (string | number)[]][] = [
      [m.capture?.bucket, [...path, "capture", "bucket"]],
      [m.drift?.baseline.bucket, [...path, "drift", "baseline", "bucket"]],
    ];
    for (const [name, at] of refs) {
      if (name === undefined || buckets.includes(name)) continue;
      const guess = closest(name, buckets);
      out.push(
        diag({
          code: "MLP_MONITORING_BUCKET_UNKNOWN",
          message: `bucket \`${name}\` is not declared in spec.storage.buckets.`,
          path: at,
          found: name,
          allowed: buckets.length ? buckets.join(", ") : "none declared",
          hint: guess ? `did you mean \`${guess}\`?` : "declare the bucket under spec.storage.buckets.",
        }),
      );
    }
    if (m.drift && !m.capture) {
      out.push(
        diag({
          code: "MLP_DRIFT_NEEDS_CAPTURE",
          message: "drift monitoring compares captured requests with the baseline, and this endpoint captures none.",
          path: [...path, "drift"],
          hint: "add `capture: { samplePercent: 20, bucket: <a declared bucket> }` beside drift.",
        }),
      );
    }
    if (m.drift) {
      if (!modelMonitorImage(bp.spec.region)) {
        out.push(
          diag({
            code: "MLP_MODEL_MONITOR_REGION",
            message: `the catalog has no SageMaker Model Monitor image for ${bp.spec.region}.`,
            path: [...path, "drift"],
            found: bp.spec.region,
            allowed: modelMonitorRegions().join(", "),
            hint: "serve from one of those regions, or keep capture and leave drift out.",
          }),
        );
      }
      out.push(
        diag({
          severity: "warning",
          code: "MLP_MODEL_MONITOR_EXISTING_CUSTOMERS",
          message: `SageMaker Model Monitor is closed to new customers since 2026-07-30 (${MODEL_MONITOR_AVAILABILITY_URL}): deploy fails to create the drift schedule in an account that has not used it before.`,
          path: [...path, "drift"],
          hint: "keep drift where the account already uses Model Monitor; otherwise keep capture and analyse the captured data with your own job.",
        }),
      );
    }
  });
  return out;
};
