import type { Rule } from "./rule.js";
import { unknownBucket } from "./workspaces.js";

/** `spec.tracking` (v1.1): the MLflow artifact bucket is declared. Azure's need for the ML workspace is its own rule. */
export const tracking: Rule = ({ bp }) => {
  const t = bp.spec.tracking;
  if (!t) return [];
  const buckets = bp.spec.storage.buckets.map((b) => b.name);
  if (buckets.includes(t.mlflow.bucket)) return [];
  return [unknownBucket("MLP_TRACKING_BUCKET_UNKNOWN", `MLflow artifact bucket \`${t.mlflow.bucket}\``, t.mlflow.bucket, buckets, ["spec", "tracking", "mlflow", "bucket"])];
};
