import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { estimateCost } from "../../src/cost/estimate.js";
import { resolveCapacities } from "../../src/model/capacity.js";
import { loadQuotaTable } from "../../src/quota/data.js";
import { quotaNeeds } from "../../src/quota/needs.js";

const catalog = loadCatalog();
const model = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} }).model;

describe("cost of SageMaker rollouts and drift monitoring", () => {
  it("prices each rollout as its own line (test/cost/rollout-window.test.ts), with the green fleet at the quota check's peak, and notes drift monitoring", () => {
    const report = estimateCost(model, catalog, { today: "2026-12-07" });
    // The green fleet beside the blue one at max is the quota check's peak (twice max).
    const peaks = resolveCapacities(model, catalog).filter((c) => c.kind === "endpoint").map((c) => [c.name, c.peak]);
    expect(peaks).toEqual([["scorer", 12], ["ranker", 8]]);
    expect(report.rollouts!.map((r) => [r.endpoint, r.peakExtra.max * 2])).toEqual(peaks);
    expect(report.notes).toContain("endpoint scorer: drift monitoring runs one ml.m5.xlarge processing job every day, billed per second while it runs; not priced here.");
  });

  it("adds no rollout line or note to endpoints without a rollout", () => {
    const plain = loadBlueprintOrThrow("blueprints/aws-sagemaker-scoring.yaml", { today: "2026-12-07", vars: {} }).model;
    const report = estimateCost(plain, catalog, { today: "2026-12-07" });
    expect(report.rollouts).toBeUndefined();
    expect((report.notes ?? []).filter((n) => n.includes("rollout"))).toEqual([]);
  });

  it("the quota check counts the blue/green peak of the SageMaker instances", () => {
    const needs = quotaNeeds(model, resolveCapacities(model, catalog), loadQuotaTable()).items.filter((n) => n.service === "sagemaker");
    expect(needs.map((n) => [n.quota.name, n.requiredAtMax, n.requiredAtPeak])).toEqual([
      ["ml.c5.xlarge for endpoint usage", 4, 8],
      ["ml.m5.xlarge for endpoint usage", 6, 12],
    ]);
  });
});
