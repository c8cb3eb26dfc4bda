import type { TrackingSpec } from "../blueprint/schema/tracking.js";

export type TrackingSize = "small" | "medium" | "large";

/** v1.1 `spec.tracking`: an MLflow tracking server, artifacts under `mlflow/` in the bucket. */
export interface TrackingModel {
  readonly mlflow: { readonly bucket: string; readonly size: TrackingSize };
}

export function buildTracking(spec: TrackingSpec): TrackingModel {
  return { mlflow: { bucket: spec.mlflow.bucket, size: spec.mlflow.size } };
}
