import { z } from "zod";
import { d } from "./common.js";

/** `serving.endpoints[].rollout` (v1.1): how a change of image, model or size reaches traffic. */
export const RolloutSchema = z
  .strictObject({
    strategy: z.enum(["allAtOnce", "canary", "linear"]).default("allAtOnce").meta(d("allAtOnce | canary | linear. @default allAtOnce")),
    canaryPercent: z.number().int().min(1).max(50).default(10).meta(d("canary: share of traffic for the first step, 1-50. @default 10")),
    stepPercent: z.number().int().min(10).max(50).default(25).meta(d("linear: share of traffic added per step, 10-50. @default 25")),
    bakeMinutes: z.number().int().min(1).max(60).default(10).meta(d("Wait between steps, 1-60 minutes; all steps together at most 8 hours. @default 10")),
    rollbackOnAlarms: z
      .boolean()
      .optional()
      .meta(d("Roll back when the endpoint's alarms fire. @default true where the runtime can (SageMaker); elsewhere a warning at the default, an error when true")),
  })
  .meta(d("Gradual rollout of a new version (v1.1)."));

export type RolloutSpec = z.output<typeof RolloutSchema>;
