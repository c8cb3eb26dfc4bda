import type { GcpTrackingProps } from "../../../stacks/gcp/tracking.js";
import { deriveName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import { GCP_MLFLOW_DB_TIER, type TrackingModel, type TrackingSize } from "../../model/tracking.js";
import { GCP_NAME_RULES } from "./names.js";

/**
 * `spec.tracking.mlflow` on GCP: MLflow on Cloud Run with Cloud SQL (stacks/gcp/tracking.ts).
 * Pure: names, sizes and the image reference are computed here.
 *
 * Names are API: the Cloud SQL instance name cannot be reused for a week after a delete
 * (https://cloud.google.com/sql/docs/postgres/delete-instance), so it never changes with the size.
 */

/**
 * The MLflow server image: the MLflow project's image with its optional dependencies (PostgreSQL
 * driver, GCS client), pinned by tag, pulled through the remote repository (upstream ghcr.io).
 * https://github.com/mlflow/mlflow/pkgs/container/mlflow
 */
export const MLFLOW_IMAGE = { path: "mlflow/mlflow", tag: "v3.14.0-full" } as const;

/** Cloud Run size of the server per tracking size, and the database's availability. */
const SIZES: Readonly<Record<TrackingSize, { cpu: string; memory: string; min: number; max: number; availability: "ZONAL" | "REGIONAL" }>> = {
  small: { cpu: "1", memory: "2Gi", min: 0, max: 2, availability: "ZONAL" },
  medium: { cpu: "2", memory: "4Gi", min: 1, max: 4, availability: "ZONAL" },
  large: { cpu: "4", memory: "8Gi", min: 1, max: 8, availability: "REGIONAL" },
};

export function resolveTracking(model: PlatformModel, project: string, t: TrackingModel, bucketName: string): GcpTrackingProps {
  const size = SIZES[t.mlflow.size];
  const imageRepositoryId = deriveName(model, "ghcr", GCP_NAME_RULES.artifactRepository);
  return {
    serviceName: deriveName(model, "mlflow", GCP_NAME_RULES.cloudRunService),
    serviceAccountId: deriveName(model, "mlflow", GCP_NAME_RULES.serviceAccount),
    imageRepositoryId,
    image: `${model.region}-docker.pkg.dev/${project}/${imageRepositoryId}/${MLFLOW_IMAGE.path}:${MLFLOW_IMAGE.tag}`,
    bucketId: t.mlflow.bucket,
    artifactsDestination: `gs://${bucketName}/${t.mlflow.artifactPrefix}`,
    cpu: size.cpu,
    memory: size.memory,
    minInstances: size.min,
    maxInstances: size.max,
    database: {
      instanceName: deriveName(model, "mlflow", GCP_NAME_RULES.compute),
      tier: GCP_MLFLOW_DB_TIER[t.mlflow.size],
      availabilityType: size.availability,
      pscRangeName: deriveName(model, "psa", GCP_NAME_RULES.compute),
      secretId: deriveName(model, "mlflow-db-password", { maxLength: 255, separator: "-" }),
    },
    invokers: (model.workspaces?.users ?? []).map((u) => ({ id: u.name, member: `user:${u.identity}` })),
  };
}
