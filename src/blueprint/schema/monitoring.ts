import { z } from "zod";
import { bucketRef, d } from "./common.js";

/** `serving.endpoints[].monitoring` (v1.1): request capture and data-quality drift. */
export const MonitoringSchema = z
  .strictObject({
    capture: z
      .strictObject({
        samplePercent: z.number().int().min(1).max(100).default(20).meta(d("Share of requests captured, 1-100. @default 20")),
        bucket: bucketRef("captured requests and responses"),
      })
      .optional()
      .meta(d("Request/response capture.")),
    drift: z
      .strictObject({
        schedule: z.enum(["hourly", "daily"]).default("daily").meta(d("hourly | daily. @default daily")),
        baseline: z
          .strictObject({
            bucket: bucketRef("the baseline"),
            path: z.string().default("").meta(d("Prefix holding constraints.json and statistics.json from a baselining job (not the raw dataset).")),
          })
          .meta(d("The baseline's constraints and statistics.")),
      })
      .optional()
      .meta(d("Data-quality drift against a baseline, with an alarm.")),
  })
  .meta(d("Drift monitoring of a deployed model (v1.1; managed endpoints on aws)."));

export type MonitoringSpec = z.output<typeof MonitoringSchema>;
