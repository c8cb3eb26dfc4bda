import { z } from "zod";
import { bucketRef, d } from "./common.js";

/** `spec.tracking` (v1.1): experiment tracking. */
export const TrackingSchema = z
  .strictObject({
    mlflow: z
      .strictObject({
        bucket: bucketRef("artifacts under the prefix mlflow/"),
        size: z.enum(["small", "medium", "large"]).default("small").meta(d("small | medium | large. @default small")),
      })
      .meta(d("An MLflow tracking server for experiments.")),
  })
  .meta(d("Experiment tracking (v1.1)."));

export type TrackingSpec = z.output<typeof TrackingSchema>;
