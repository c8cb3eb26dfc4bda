import { readStackText, writeStackFile } from "../output/stack-files.js";

/** The synthesized configuration of a stack. */
export const CONFIG_FILE = "cdk.tf.json";

type Json = Record<string, any>;

/** A stack's cdk.tf.json, parsed. */
export function readConfig(dir: string): Json {
  return JSON.parse(readStackText(dir, CONFIG_FILE)) as Json;
}

/** `type.name` of every resource in a stack's cdk.tf.json with `lifecycle.prevent_destroy` true. */
export function protectedResources(dir: string): string[] {
  const resources = (readConfig(dir).resource ?? {}) as Record<string, Record<string, Json>>;
  const out: string[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName ?? {})) {
      if (body?.lifecycle?.prevent_destroy === true) out.push(`${type}.${name}`);
    }
  }
  return out.sort();
}

/**
 * Removes `prevent_destroy` from every resource of a stack's cdk.tf.json, returning what was
 * unprotected. Used only by `destroy --allow-data-loss`: it edits this run's synth output, which
 * the next synth replaces as a whole, so the blueprint and every later run keep the protection.
 * (Re-synthesizing with protection off would need a synth option just for this, and would
 * print a different configuration than the one the user reviewed in `plan`.)
 */
export function liftProtection(dir: string): string[] {
  const config = readConfig(dir);
  const lifted: string[] = [];
  for (const [type, byName] of Object.entries((config.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [name, body] of Object.entries(byName ?? {})) {
      if (body?.lifecycle?.prevent_destroy === true) {
        delete body.lifecycle.prevent_destroy;
        if (Object.keys(body.lifecycle).length === 0) delete body.lifecycle;
        lifted.push(`${type}.${name}`);
      }
    }
  }
  if (lifted.length > 0) writeStackFile(dir, CONFIG_FILE, JSON.stringify(config, null, 2));
  return lifted.sort();
}
