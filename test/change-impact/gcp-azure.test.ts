import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISRUPTIVE_TYPES } from "../../src/engine/disruption.js";
import { DATA_BEARING_TYPES } from "../../src/engine/summary.js";
import { synthEdited } from "./blueprint-edits.js";
import { expectedDisruptions, LLM_SERVING_EDITS, type Cloud } from "./corpus.js";
import { FORCE_NEW, jsonImpact } from "./force-new.js";

/**
 * The change-impact corpus on GCP and Azure, where no provider binary is available: each edit
 * of llm-serving (`--env gcp`, `--env azure`) is synthesized, diffed against v1's synthesized
 * JSON through the ForceNew tables (force-new.ts), and what the disruption guard would flag is
 * asserted, in the same terms as the AWS tier (aws.test.ts) reads from the real plan.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const BLUEPRINT = join(ROOT, "blueprints", "llm-serving.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-json-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function synthJson(env: Cloud, name: string, edit: (spec: Record<string, any>, cloud: Cloud) => void): Promise<Record<string, unknown>> {
  // The environment's overlay applies on top of the edited base: an edit the overlay
  // overrides (the Azure pool's GPU) changes nothing there, as it would for a user.
  const stack = await synthEdited(BLUEPRINT, join(work, env, name), (doc) => edit(doc.spec, env), env);
  return JSON.parse(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

/** What the disruption guard would flag from the JSON diff: `<kind> <action>`, data-bearing types left to the data-loss guard. */
function flagged(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return jsonImpact(before, after)
    .filter((i) => DISRUPTIVE_TYPES[i.type] && !DATA_BEARING_TYPES.has(i.type))
    .map((i) => `${DISRUPTIVE_TYPES[i.type]} ${i.action}`)
    .sort();
}

describe.each(["gcp", "azure"] as const)("day-2 edits of llm-serving on %s, as a synthesized-JSON diff with the ForceNew tables", (cloud) => {
  let v1: Record<string, unknown>;
  beforeAll(async () => {
    v1 = await synthJson(cloud, "v1", () => {});
  }, 120_000);

  it("has a ForceNew table entry, with a source, for every guarded type this cloud's stack emits", () => {
    const types = Object.keys((v1.resource ?? {}) as object).filter((t) => DISRUPTIVE_TYPES[t]);
    expect(types.length).toBeGreaterThan(3);
    for (const t of types) expect(FORCE_NEW[t]?.source, t).toMatch(/^https:\/\/github\.com\/hashicorp\/terraform-provider-/);
  });

  it.each(LLM_SERVING_EDITS.filter((e) => !e.clouds || e.clouds.includes(cloud)).map((e) => [e.name, e] as const))("%s", async (name, e) => {
    const after = await synthJson(cloud, name.replace(/[^a-z0-9]+/gi, "-"), e.edit);
    expect(flagged(v1, after), JSON.stringify(jsonImpact(v1, after))).toEqual(expectedDisruptions(e, cloud));
  }, 120_000);
});
