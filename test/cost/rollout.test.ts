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
  it("notes each rollout's peak (twice max, the quota check's peak) and how long a rollout holds it", () => {
    const notes = estimateCost(model, catalog, { today: "2026-12-07" }).notes ?? [];
    const price = catalog.sagemakerInstance("ml.m5.xlarge")!.usdPerHour!;
    expect(notes).toContain(
      `endpoint scorer: a canary rollout runs the new fleet beside the old one: up to 12 × ml.m5.xlarge (${(12 * price).toFixed(2)} USD/h at the peak, ${(6 * price).toFixed(2)} USD/h outside rollouts) for up to 50 minutes per rollout (bakes + provisioning); not in the monthly totals.`,
    );
    expect(notes.find((n) => n.startsWith("endpoint ranker: a linear rollout"))).toContain("up to 8 × ml.c5.xlarge");
    expect(notes.find((n) => n.startsWith("endpoint ranker: a linear rollout"))).toContain("for up to 50 minutes per rollout");
    expect(notes).toContain("endpoint scorer: drift monitoring runs one ml.m5.xlarge processing job every day, billed per second while it runs; not priced here.");
    expect(resolveCapacities(model, catalog).filter((c) => c.kind === "endpoint").map((c) => [c.name, c.peak])).toEqual([["scorer", 12], ["ranker", 8]]);
  });

  it("adds no note to endpoints without a rollout", () => {
    const plain = loadBlueprintOrThrow("blueprints/aws-sagemaker-scoring.yaml", { today: "2026-12-07", vars: {} }).model;
    expect((estimateCost(plain, catalog, { today: "2026-12-07" }).notes ?? []).filter((n) => n.includes("rollout"))).toEqual([]);
  });

  it("the quota check counts the blue/green peak of the SageMaker instances", () => {
    const needs = quotaNeeds(model, resolveCapacities(model, catalog), loadQuotaTable()).items.filter((n) => n.service === "sagemaker");
    expect(needs.map((n) => [n.quota.name, n.requiredAtMax, n.requiredAtPeak])).toEqual([
      ["ml.c5.xlarge for endpoint usage", 4, 8],
      ["ml.m5.xlarge for endpoint usage", 6, 12],
    ]);
  });
});
