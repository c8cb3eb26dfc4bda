import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from "yaml";
import { copyNoFollow, existsNoFollow } from "./write-no-follow.js";

/**
 * Pipeline definitions a template names (`spec.pipelines[].definition`, a path or a map keyed by
 * cloud, in the base and in each environment), relative to the template's folder. `mlplat init`
 * copies each into `<dir>/pipelines/` and points the starter at the copy, so the new
 * platform.yaml validates where it is written (the reference blueprints name files under
 * `pipelines/` beside them, blueprints/pipelines/, which the package ships for this).
 */
export const PIPELINES_FOLDER = "pipelines";

export interface DefinitionCopy {
  /** As written in the template. */
  readonly written: string;
  /** Absolute source path. */
  readonly from: string;
  /** Relative to the starter: `pipelines/<file>`. */
  readonly to: string;
}

export function definitionCopies(text: string, templateDir: string): DefinitionCopy[] {
  const doc = parseDocument(text);
  const written = new Set<string>();
  const specs: unknown[] = [doc.getIn(["spec", "pipelines"], true)];
  const envs = doc.get("environments", true);
  if (isMap(envs)) for (const pair of envs.items) if (isMap(pair.value)) specs.push((pair.value as YAMLMap).getIn(["spec", "pipelines"], true));
  for (const list of specs) {
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const def = item.get("definition", true) as Node | undefined;
      if (isScalar(def) && typeof def.value === "string") written.add(def.value);
      else if (isMap(def)) for (const p of def.items) if (isScalar(p.value) && typeof p.value.value === "string") written.add(p.value.value);
    }
  }
  return [...written].filter((w) => !isAbsolute(w)).map((w) => ({ written: w, from: resolve(templateDir, w), to: `${PIPELINES_FOLDER}/${basename(w)}` }));
}

/**
 * Copies the definitions into `dir` (an existing copy is kept unless `force`: it may be the
 * team's own export) and returns the starter text pointing at them. Links at the targets are
 * refused before (init.ts, refuseLinks) and when opening (O_NOFOLLOW).
 */
export function copyDefinitions(text: string, copies: readonly DefinitionCopy[], dir: string, force: boolean): string {
  let out = text;
  for (const c of copies) {
    if (!existsSync(c.from)) continue; // validate reports the missing file at its field
    const target = join(dir, c.to);
    mkdirSync(dirname(target), { recursive: true });
    if (force || !existsNoFollow(target)) copyNoFollow(c.from, target);
    out = out.split(c.written).join(c.to);
  }
  return out;
}
