import type { PlatformModel } from "../../model/platform.js";
import type { TrackingSize } from "../../model/tracking.js";
import { deriveName } from "../../model/names.js";
import type { AwsTrackingSpec } from "../../../stacks/aws/platform-stack.js";
import { IAM_ROLE, SAGEMAKER, internal } from "./names.js";

/** Blueprint size → `tracking_server_size` (Small/Medium/Large: about 25/50/100 users, AWS docs). */
export const MLFLOW_SERVER_SIZE: Readonly<Record<TrackingSize, "Small" | "Medium" | "Large">> = { small: "Small", medium: "Medium", large: "Large" };

/** `tracking.mlflow` → the props of stacks/aws/tracking.ts. Names are API. */
export function resolveTracking(model: PlatformModel, x: { bucketNames: Readonly<Record<string, string>>; region: string; dnsSuffix: string }): AwsTrackingSpec | undefined {
  const t = model.tracking;
  if (!t) return undefined;
  const bucketName = x.bucketNames[t.mlflow.bucket];
  if (!bucketName) throw internal(`tracking: bucket ${t.mlflow.bucket} is not declared (the rule should have refused it)`);
  return {
    bucket: t.mlflow.bucket,
    bucketName,
    trackingServerName: deriveName(model, "mlflow", SAGEMAKER),
    trackingServerSize: MLFLOW_SERVER_SIZE[t.mlflow.size],
    roleName: deriveName(model, "mlflow", IAM_ROLE),
    artifactPrefix: t.mlflow.artifactPrefix,
    s3ViaService: `s3.${x.region}.${x.dnsSuffix}`,
  };
}
