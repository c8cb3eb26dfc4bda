import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { Template } from "./template.js";

/** blueprints/continuous-training.yaml, the pipelines' reference blueprint, synthesized with an edit. */
export const ROOT = new URL("../../", import.meta.url).pathname;
export const CONTINUOUS_TRAINING = join(ROOT, "blueprints", "continuous-training.yaml");

type Spec = Record<string, any>;

/**
 * The definitions the blueprint names (blueprints/pipelines/) copied into `work`, where the edited
 * copy of the blueprint is written: a definition must lie inside the blueprint's folder.
 */
export function provideDefinitions(work: string): void {
  cpSync(join(ROOT, "blueprints", "pipelines"), join(work, "pipelines"), { recursive: true });
}

/** Synthesizes continuous-training on `env` with `edit` applied to its spec, into `dir`. */
export async function synthContinuousTraining(dir: string, env: string, edit: (spec: Spec) => void = () => {}): Promise<Template> {
  provideDefinitions(dir);
  const stack = await synthEdited(CONTINUOUS_TRAINING, dir, (doc) => edit(doc.spec), env);
  return Template.fromJson(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}
