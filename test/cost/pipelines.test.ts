import { describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { estimateCost } from "../../src/cost/estimate.js";

/** `mlplat cost` for pipelines, on the reference blueprint continuous-training (three clouds). */
const catalog = loadCatalog();
const report = (env?: string) => {
  const r = loadBlueprint("blueprints/continuous-training.yaml", { env, vars: {}, today: "2026-11-25" });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return estimateCost(r.model!, catalog);
};

describe("cost of pipelines", () => {
  it("adds no item, says the triggers cost about 0 and that the runs' compute is not priced, per cloud", () => {
    for (const [env, service] of [[undefined, "EventBridge Scheduler"], ["gcp", "Cloud Scheduler"], ["azure", "Azure ML schedule"]] as const) {
      const c = report(env);
      expect(c.items.map((i) => i.kind)).not.toContain("pipeline");
      const notes = (c.notes ?? []).filter((n) => n.startsWith("pipelines"));
      expect(notes).toHaveLength(2);
      expect(notes[0]).toContain(`pipelines (retrain-fraud): `);
      expect(notes[0]).toContain(service);
      expect(notes[0]).toContain("about 0");
      expect(notes[1]).toBe("pipelines: the compute of each run (the training and processing jobs its definition names) is billed per second while it runs and is not priced here.");
    }
  });

  it("says nothing about pipelines when there are none", () => {
    const r = loadBlueprint("blueprints/aws-sagemaker-scoring.yaml", { vars: {}, today: "2026-11-25" });
    expect((estimateCost(r.model!, catalog).notes ?? []).some((n) => n.startsWith("pipelines"))).toBe(false);
  });
});
