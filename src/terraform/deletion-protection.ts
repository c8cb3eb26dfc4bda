import { writeStackFile } from "../output/stack-files.js";
import { CONFIG_FILE, readConfig } from "./protection.js";

/**
 * Provider-side deletion guards: a resource attribute that, while true in the *state*, makes
 * the provider's delete fail ("Cannot destroy cluster because deletion_protection is set to
 * true"). Unlike `lifecycle.prevent_destroy` (a configuration check, src/terraform/protection.ts),
 * editing the configuration is not enough: an apply has to write `false` to the state before a
 * destroy can delete the resource. `mlplat destroy` does that with a targeted apply (see
 * src/engine/destroy.ts). Only the types mlplat synthesizes with the guard on are listed;
 * Cloud Run services are synthesized with it off.
 */
export const DELETION_GUARDS: Readonly<Record<string, string>> = {
  google_container_cluster: "deletion_protection",
  // The MLflow database (spec.tracking on gcp).
  google_sql_database_instance: "deletion_protection",
};

/** `type.name` of every resource in a stack's cdk.tf.json whose deletion guard is true. */
export function deletionGuardedResources(dir: string): string[] {
  const resources = (readConfig(dir).resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const out: string[] = [];
  for (const [type, attribute] of Object.entries(DELETION_GUARDS)) {
    for (const [name, body] of Object.entries(resources[type] ?? {})) {
      if (body?.[attribute] === true) out.push(`${type}.${name}`);
    }
  }
  return out.sort();
}

/**
 * Sets the deletion guard of the given `type.name`s to false in a stack's cdk.tf.json, returning
 * those it changed. Like `liftProtection`, it edits only this run's synth output: the next synth
 * writes the guard back, and the next deploy turns it on again in the state.
 */
export function liftDeletionGuards(dir: string, keys: readonly string[]): string[] {
  const config = readConfig(dir);
  const lifted: string[] = [];
  for (const key of keys) {
    const dot = key.indexOf(".");
    const [type, name] = [key.slice(0, dot), key.slice(dot + 1)];
    const attribute = DELETION_GUARDS[type];
    const body = config.resource?.[type]?.[name];
    if (attribute && body?.[attribute] === true) {
      body[attribute] = false;
      lifted.push(key);
    }
  }
  if (lifted.length > 0) writeStackFile(dir, CONFIG_FILE, JSON.stringify(config, null, 2));
  return lifted.sort();
}
