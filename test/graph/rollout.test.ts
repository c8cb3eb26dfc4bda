import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { buildPlatformGraph } from "../../src/graph/platform-graph.js";
import { renderMermaid } from "../../src/graph/mermaid.js";
import { rolloutLines } from "../../src/graph/rollout.js";

const model = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} }).model;
const g = buildPlatformGraph(model);

describe("rollout and monitoring in the platform graph", () => {
  it("puts each endpoint's rollout on its node", () => {
    expect(g.nodes.find((n) => n.id === "endpoint_scorer")!.lines.at(-1)).toBe("rollout canary 10% · bake 10 min · rolls back on alarms");
    expect(g.nodes.find((n) => n.id === "endpoint_ranker")!.lines.at(-1)).toBe("rollout linear 25% steps · bake 5 min · rolls back on alarms");
  });

  it("draws capture, baseline and the drift alarm as dashed arrows", () => {
    expect(g.edges.filter((e) => e.from === "endpoint_scorer" && e.dashed).map((e) => `${e.to}: ${e.label}`)).toEqual([
      "managed: runs on",
      "observability: alarms",
      "bucket_captures: captures 20%",
      "bucket_baselines: drift baseline (daily)",
      "observability: drift alarm",
    ]);
    expect(renderMermaid(g)).toContain("captures 20%");
  });

  it("says no alarm rollback where the runtime has none (Cloud Run, Container Apps, kubernetes)", () => {
    const e = { ...model.endpoints[0]!, rollout: { strategy: "canary" as const, canaryPercent: 5, stepPercent: 25, bakeMinutes: 15, rollbackOnAlarms: false } };
    expect(rolloutLines("gcp", e)).toEqual(["rollout canary 5% · bake 15 min"]);
    expect(rolloutLines("aws", { ...e, runtime: "kubernetes" })).toEqual(["rollout canary 5% · bake 15 min"]);
    expect(rolloutLines("aws", { ...e, rollout: undefined })).toEqual([]);
  });
});
