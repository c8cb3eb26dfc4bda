import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthEdited } from "./blueprint-edits.js";
import { FORCE_NEW, jsonImpact } from "./force-new.js";

/**
 * Day-2 edits of a Cloud Run / Container Apps endpoint under a stepped rollout (issue 18), on
 * llm-serving's managed endpoint `embed` (`--env gcp`, `--env azure`) with `rollout: canary`: each
 * edit's synthesized JSON against the base's, through the ForceNew tables (force-new.ts), as
 * gcp-azure.test.ts does for the shared corpus. What must hold: the service is updated in place
 * (a new pinned revision beside the previous one), never replaced; the traffic split is an input,
 * so a rollback (or any step) changes no configuration at all.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const BLUEPRINT = join(ROOT, "blueprints", "llm-serving.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-rollout-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Json = Record<string, any>;
const SERVICE = { gcp: "google_cloud_run_v2_service", azure: "azurerm_container_app" } as const;
const REVISION = { gcp: (s: Json) => s.template.revision, azure: (s: Json) => s.template.revision_suffix } as const;

const embed = (spec: Json): Json => spec.serving.endpoints.find((e: Json) => e.name === "embed");
const withRollout = (rollout: Json) => (spec: Json) => {
  embed(spec).rollout = { rollbackOnAlarms: false, ...rollout };
};

async function synthJson(cloud: "gcp" | "azure", name: string, edit: (spec: Json) => void): Promise<Json> {
  const stack = await synthEdited(BLUEPRINT, join(work, cloud, name), (doc) => edit(doc.spec), cloud);
  return JSON.parse(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

/** The one service of the endpoint: logical id and config. */
function service(json: Json, cloud: "gcp" | "azure"): [string, Json] {
  const all = Object.entries((json.resource?.[SERVICE[cloud]] ?? {}) as Record<string, Json>);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** Top-level attributes of the service whose configuration differs. */
function changedAttributes(before: Json, after: Json): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

describe.each(["gcp", "azure"] as const)("day-2 edits of a stepped-rollout endpoint on %s", (cloud) => {
  let base: Json;
  beforeAll(async () => {
    base = await synthJson(cloud, "base", withRollout({ strategy: "canary", canaryPercent: 10, bakeMinutes: 10 }));
  }, 120_000);

  // Container Apps: the traffic weights name the new suffix (latest_revision), so ingress changes too, in place.
  const changes = cloud === "gcp" ? ["template"] : ["ingress", "template"];
  const edits: [string, (spec: Json) => void, string[]][] = [
    ["image change under canary", (s) => {
      withRollout({ strategy: "canary", canaryPercent: 10, bakeMinutes: 10 })(s);
      embed(s).image = "embeddings:1.9.0";
    }, changes],
    ["image change under linear", (s) => {
      withRollout({ strategy: "linear", stepPercent: 25, bakeMinutes: 5 })(s);
      embed(s).image = "embeddings:1.9.0";
    }, changes],
    ["size change (CPU and memory) under canary", (s) => {
      withRollout({ strategy: "canary", canaryPercent: 10, bakeMinutes: 10 })(s);
      Object.assign(embed(s), { cpu: 8, memoryGiB: 32 });
    }, changes],
  ];

  it.each(edits)("%s: the service is updated in place with a new pinned revision, nothing replaced", async (name, edit, attributes) => {
    const after = await synthJson(cloud, name.replace(/[^a-z0-9]+/gi, "-"), edit);
    expect(jsonImpact(base, after)).toEqual([]);
    const [id, before] = service(base, cloud);
    const [idAfter, next] = service(after, cloud);
    expect(idAfter).toBe(id);
    expect(changedAttributes(before, next)).toEqual(attributes);
    expect(REVISION[cloud](next)).not.toBe(REVISION[cloud](before));
    // The new revision is the variable's default: a plain apply would send it everything, deploy sends it steps.
    expect(after.variable.mlplat_traffic_embed.default).toEqual([{ revision: REVISION[cloud](next), percent: 100 }]);
  }, 120_000);

  it("adding a rollout to a running endpoint pins its revision and moves traffic to the variable, in place", async () => {
    const plain = await synthJson(cloud, "no-rollout", () => {});
    expect(jsonImpact(plain, base)).toEqual([]);
    const [, before] = service(plain, cloud);
    const [, next] = service(base, cloud);
    expect(changedAttributes(before, next)).toEqual(cloud === "gcp" ? ["dynamic", "template"] : ["ingress", "revision_mode", "template"]);
    // None of what changes is ForceNew for the provider.
    for (const k of changedAttributes(before, next)) expect(FORCE_NEW[SERVICE[cloud]]!.paths.some((p) => p === k || p.startsWith(`${k}.`))).toBe(false);
  }, 120_000);

  it("a rollback, like every step, is an input only: the configuration is the same and no ForceNew path reads the traffic variable", async () => {
    const again = await synthJson(cloud, "base-again", withRollout({ strategy: "canary", canaryPercent: 10, bakeMinutes: 10 }));
    expect(again.resource).toEqual(base.resource);
    const [, svc] = service(base, cloud);
    for (const p of FORCE_NEW[SERVICE[cloud]]!.paths) expect(JSON.stringify(p.split(".").reduce<any>((o, k) => o?.[k], svc) ?? null)).not.toContain("mlplat_traffic_");
    expect(JSON.stringify(svc)).toContain("var.mlplat_traffic_embed");
  }, 120_000);
});
