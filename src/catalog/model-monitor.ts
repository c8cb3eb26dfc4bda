/**
 * The SageMaker Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`), per region: the
 * registry account differs by region. Hand-kept in `data/model-monitor.json` from AWS's "Docker
 * Registry Paths and Example Code" pages and the SageMaker Python SDK's image table (both named
 * in the file). China regions are left out, as in `regions.json`. Pure data, read once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { packageRoot } from "../util/package-root.js";

const buildSchema = () =>
  z.strictObject({
    version: z.string(),
    repository: z.literal("sagemaker-model-monitor-analyzer"),
    tag: z.string().min(1),
    sources: z.array(z.url()).min(1),
    registries: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/), z.string().regex(/^\d{12}$/)),
  });
let schema: ReturnType<typeof buildSchema> | undefined;
/** Built on first use, not when a synth loads the module. */
export function modelMonitorImagesSchema(): ReturnType<typeof buildSchema> {
  return (schema ??= buildSchema());
}

export type ModelMonitorImages = z.infer<ReturnType<typeof buildSchema>>;

let cached: ModelMonitorImages | undefined;

export function loadModelMonitorImages(): ModelMonitorImages {
  cached ??= modelMonitorImagesSchema().parse(JSON.parse(readFileSync(join(packageRoot(), "src", "catalog", "data", "model-monitor.json"), "utf8")));
  return cached;
}

/** `<account>.dkr.ecr.<region>.<dns suffix>/sagemaker-model-monitor-analyzer:<tag>`, or undefined where the catalog has no registry. */
export function modelMonitorImage(region: string, dnsSuffix = "amazonaws.com", table = loadModelMonitorImages()): string | undefined {
  const account = table.registries[region];
  return account ? `${account}.dkr.ecr.${region}.${dnsSuffix}/${table.repository}:${table.tag}` : undefined;
}

/** The regions with an analyzer image. */
export function modelMonitorRegions(table = loadModelMonitorImages()): string[] {
  return Object.keys(table.registries).sort();
}
