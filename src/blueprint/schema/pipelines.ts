import { z } from "zod";
import { bucketRef, d } from "./common.js";

/** `spec.pipelines[]` (v1.1): retraining pipelines defined elsewhere, run on a schedule or on events. */
const definitionPath = z.string().min(1).meta(d("A file relative to the blueprint."));

export const PipelineTriggerSchema = z
  .union([
    z
      .strictObject({
        newData: z
          .strictObject({
            bucket: bucketRef("watched for new objects"),
            prefix: z.string().default("").meta(d("Only objects under this prefix. @default the whole bucket")),
          })
          .meta(d("Run when an object is created under the prefix.")),
      })
      .meta(d("newData trigger.")),
    z
      .strictObject({
        alarm: z
          .strictObject({ endpoint: z.string().min(1).meta(d("A declared serving endpoint.")) })
          .meta(d("Run when any alarm of that endpoint (latency, errors, drift) fires.")),
      })
      .meta(d("alarm trigger.")),
  ])
  .meta(d("`newData: { bucket, prefix }` or `alarm: { endpoint }`."));

export const PipelineSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/, { message: "must be 1-31 characters: a lowercase letter, then lowercase letters, digits or '-'" })
      .meta(d("Pipeline name, unique among pipelines.")),
    definition: z
      .union([
        definitionPath,
        z
          .strictObject({ aws: definitionPath.optional(), gcp: definitionPath.optional(), azure: definitionPath.optional() })
          .meta(d("A definition per cloud; the resolved cloud's entry is required.")),
      ])
      .meta(d("SageMaker pipeline definition JSON (aws), compiled KFP pipeline spec YAML/JSON (gcp), Azure ML REST pipeline job (JobBase) JSON referencing registered azureml: components (azure): a path relative to the blueprint, or a map keyed by cloud. Parsed and checked at validate.")),
    schedule: z.string().min(1).optional().meta(d("5-field cron, UTC, e.g. \"0 3 * * 1\".")),
    parameters: z.record(z.string(), z.string()).default({}).meta(d("String parameters passed to every run.")),
    buckets: z.array(bucketRef("read and write for the pipeline")).default([]).meta(d("Declared buckets the pipeline's identity may read and write.")),
    triggers: z.array(PipelineTriggerSchema).default([]).meta(d("Events that start a run, besides the schedule.")),
  })
  .meta(d("A retraining pipeline (v1.1)."));

export type PipelineSpec = z.output<typeof PipelineSchema>;
export type PipelineTriggerSpec = z.output<typeof PipelineTriggerSchema>;
