import type { TrackingSpec } from "../blueprint/schema/tracking.js";

export type TrackingSize = "small" | "medium" | "large";

/** Artifacts live under this prefix of the tracking bucket on every cloud. */
export const MLFLOW_ARTIFACT_PREFIX = "mlflow/";

/** v1.1 `spec.tracking`: an MLflow tracking server, artifacts under `mlflow/` in the bucket. */
export interface TrackingModel {
  readonly mlflow: {
    /** A declared bucket (checked by the tracking rule, MLP_TRACKING_BUCKET_UNKNOWN). */
    readonly bucket: string;
    readonly size: TrackingSize;
    /** `mlflow/`: the key prefix of the artifacts in the bucket. */
    readonly artifactPrefix: string;
  };
}

export function buildTracking(spec: TrackingSpec): TrackingModel {
  return { mlflow: { bucket: spec.mlflow.bucket, size: spec.mlflow.size, artifactPrefix: MLFLOW_ARTIFACT_PREFIX } };
}

/**
 * gcp: the Cloud SQL for PostgreSQL tier of the MLflow backend store per size (the gcp target
 * renders it, `mlplat cost` names it). Shared-core tiers are left out: they have no SLA.
 */
export const GCP_MLFLOW_DB_TIER: Readonly<Record<TrackingSize, string>> = {
  small: "db-custom-1-3840",
  medium: "db-custom-2-7680",
  large: "db-custom-4-15360",
};
