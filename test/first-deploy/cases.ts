import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import type { Cloud, PlatformModel } from "../../src/model/platform.js";
import { platformImageEndpoints } from "../../src/registry-images/image-ref.js";

/** What the three first-deploy tiers share: the reference cases of a cloud and the first deploy's model. */
export const blueprintsDir = join(new URL("../../", import.meta.url).pathname, "blueprints");
export const synthCtx = { offline: true, localStatePath: "../../../state/x.tfstate" };

export interface ReferenceCase {
  readonly file: string;
  readonly env: string | undefined;
  readonly model: PlatformModel;
}

function envsOf(file: string): Array<string | undefined> {
  const doc = parse(readFileSync(join(blueprintsDir, file), "utf8")) as { environments?: Record<string, unknown> };
  return [undefined, ...Object.keys(doc.environments ?? {})];
}

/** Every reference blueprint × environment (the base included) that resolves to `cloud`. */
export function referenceCases(cloud: Cloud): ReferenceCase[] {
  return readdirSync(blueprintsDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((file) => envsOf(file).map((env) => ({ file, env, model: loadBlueprintOrThrow(join(blueprintsDir, file), { env, vars: {} }).model })))
    .filter((c) => c.model.cloud === cloud);
}

/** The model of the first deploy: endpoints on a not-yet-pushed platform image are deferred (src/engine/image-phase.ts). */
export function firstDeploy(model: PlatformModel): PlatformModel {
  const deferred = new Set(platformImageEndpoints(model.endpoints).map((e) => e.name));
  return { ...model, endpoints: model.endpoints.filter((e) => !deferred.has(e.name)) };
}

export const caseLabel = (c: ReferenceCase): string => `${c.file} (${c.env ?? "default"})`;
