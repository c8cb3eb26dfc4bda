import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { Template } from "./template.js";

/** blueprints/continuous-training.yaml, the pipelines' reference blueprint, synthesized with an edit. */
export const ROOT = new URL("../../", import.meta.url).pathname;
export const CONTINUOUS_TRAINING = join(ROOT, "blueprints", "continuous-training.yaml");

type Spec = Record<string, any>;

/** Definition paths made absolute: the edited copy of the blueprint is written elsewhere. */
export function absoluteDefinitions(spec: Spec): void {
  for (const p of spec.pipelines ?? []) {
    if (typeof p.definition === "string") p.definition = join(ROOT, "blueprints", p.definition);
    else for (const k of Object.keys(p.definition)) p.definition[k] = join(ROOT, "blueprints", p.definition[k]);
  }
}

/** Synthesizes continuous-training on `env` with `edit` applied to its spec, into `dir`. */
export async function synthContinuousTraining(dir: string, env: string, edit: (spec: Spec) => void = () => {}): Promise<Template> {
  const stack = await synthEdited(CONTINUOUS_TRAINING, dir, (doc) => (absoluteDefinitions(doc.spec), edit(doc.spec)), env);
  return Template.fromJson(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}
