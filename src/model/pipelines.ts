import { resolve } from "node:path";
import type { PipelineSpec } from "../blueprint/schema/pipelines.js";
import type { Cloud } from "./platform.js";

export type PipelineTriggerModel =
  | { readonly kind: "newData"; readonly bucket: string; readonly prefix: string }
  | { readonly kind: "alarm"; readonly endpoint: string };

/** v1.1 `spec.pipelines[]`: a pipeline defined with the team's SDK, run on a schedule or events. */
export interface PipelineModel {
  readonly name: string;
  /** The resolved cloud's definition file: absolute path and its text (read and checked at validate). */
  readonly definition: { readonly path: string; readonly text: string };
  /** 5-field cron, UTC. */
  readonly schedule?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly buckets: readonly string[];
  readonly triggers: readonly PipelineTriggerModel[];
}

/** The definition path of `cloud` (a plain path, or the map's entry), resolved against the blueprint's folder. */
export function definitionPathOf(p: PipelineSpec, cloud: Cloud, blueprintDir: string): string | undefined {
  const rel = typeof p.definition === "string" ? p.definition : p.definition[cloud];
  return rel === undefined ? undefined : resolve(blueprintDir, rel);
}

export function buildPipeline(p: PipelineSpec, cloud: Cloud, blueprintDir: string, readText: (path: string) => string): PipelineModel {
  const path = definitionPathOf(p, cloud, blueprintDir) ?? "";
  return {
    name: p.name,
    definition: { path, text: path ? readText(path) : "" },
    schedule: p.schedule,
    parameters: p.parameters,
    buckets: p.buckets,
    triggers: p.triggers.map((t) => ("newData" in t ? { kind: "newData", bucket: t.newData.bucket, prefix: t.newData.prefix } : { kind: "alarm", endpoint: t.alarm.endpoint })),
  };
}
