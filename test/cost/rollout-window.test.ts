import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { desiredPods, peakExtraPods, pausePods } from "../../src/cost/argo-canary.js";
import { estimateCost } from "../../src/cost/estimate.js";
import type { RolloutCost } from "../../src/cost/rollout-window.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { managedPrice, vmPrice } from "../helpers/shared-prices.js";

/**
 * `mlplat cost` during a rollout: per endpoint with `rollout`, the capacity that runs beside the
 * serving one, how long, per hour and per rollout. Prices come from ../shared/data (not from the
 * report), and each part of the formula is pinned: window, extra instances, instance-minutes.
 */
const catalog = loadCatalog();
const TODAY = "2026-12-07";
const dir = mkdtempSync(join(tmpdir(), "mlplat-rollout-cost-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(name: string, yaml: string): PlatformModel {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return loadBlueprintOrThrow(file, { today: TODAY, vars: {} }).model;
}
const lineOf = (model: PlatformModel, endpoint: string): RolloutCost | undefined => estimateCost(model, catalog, { today: TODAY }).rollouts?.find((r) => r.endpoint === endpoint);
const usd = (n: number) => Math.round(n * 100) / 100;
/** A `runtime: kubernetes` endpoint of these blueprints, its other fields (sizes, autoscaling, rollout) one YAML line each. */
const k8sEndpoint = (name: string, ...fields: string[]) =>
  [`      - name: ${name}`, "        runtime: kubernetes", "        image: serving:1.0.0", ...fields.map((f) => `        ${f}`)].map((l) => `${l}\n`).join("");

const HEAD = (cloud: string, region: string) => `apiVersion: mlplat/v1
kind: Platform
metadata:
  name: fraud
  owner: risk-ml@example.com
spec:
  cloud: ${cloud}
  region: ${region}
  aws: { accountId: "123456789012" }
  gcp: { project: fraud-demo, billingAccount: 000000-000000-000000 }
  azure: { subscriptionId: "00000000-0000-0000-0000-000000000000" }
  registry:
    images:
      - name: serving
`;

describe("SageMaker canary (blueprints/safe-rollout.yaml)", () => {
  const model = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: TODAY, vars: {} }).model;
  const report = estimateCost(model, catalog, { today: TODAY });

  it("scorer: a whole green fleet (min 2 – max 6 ml.m5.xlarge) for 2 bakes × 10 min + 30 min provisioning", () => {
    const r = report.rollouts!.find((x) => x.endpoint === "scorer")!;
    const price = managedPrice("aws", "sagemaker-realtime-inference", "ml.m5.xlarge");
    expect(r).toMatchObject({ runtime: "sagemaker", strategy: "canary", steps: [10, 100], bakeMinutes: 10, instanceType: "ml.m5.xlarge" });
    expect(r.windowMinutes).toBe(2 * 10 + 30);
    expect(r.window).toBe("2 bakes × 10 min + up to 30 min provisioning the new fleet");
    expect(r.peakExtra).toEqual({ min: 2, max: 6 });
    expect(r.extraInstanceMinutes).toEqual({ min: 2 * 50, max: 6 * 50 });
    expect(r.hourlyUsdEach).toBe(price);
    expect(r.peakHourlyUsd).toEqual({ min: usd(2 * price), max: usd(6 * price) });
    expect(r.perRolloutUsd).toEqual({ min: usd((2 * 50 * price) / 60), max: usd((6 * 50 * price) / 60) });
    expect(r.perRolloutUsd).toEqual({ min: 0.38, max: 1.15 });
    expect(r.notes[0]).toContain("https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html");
  });

  it("ranker: linear 25% is 4 bakes × 5 min + 30 min, min 2 – max 4 ml.c5.xlarge", () => {
    const r = report.rollouts!.find((x) => x.endpoint === "ranker")!;
    const price = managedPrice("aws", "sagemaker-realtime-inference", "ml.c5.xlarge");
    expect(r.steps).toEqual([25, 50, 75, 100]);
    expect(r.windowMinutes).toBe(4 * 5 + 30);
    expect(r.extraInstanceMinutes).toEqual({ min: 2 * 50, max: 4 * 50 });
    expect(r.perRolloutUsd).toEqual({ min: usd((100 * price) / 60), max: usd((200 * price) / 60) });
  });

  it("is not in the monthly totals: they are the sum of the items, and the same without any rollout", () => {
    const sum = usd(report.items.reduce((n, i) => n + (i.maxMonthlyUsd ?? 0), 0));
    expect(report.totalMaxMonthlyUsd).toBe(sum);
    const without = estimateCost({ ...model, endpoints: model.endpoints.map(({ rollout: _r, ...e }) => e) }, catalog, { today: TODAY });
    expect(without.rollouts).toBeUndefined();
    expect([without.totalMinMonthlyUsd, without.totalMaxMonthlyUsd]).toEqual([report.totalMinMonthlyUsd, report.totalMaxMonthlyUsd]);
    expect(report.notes).toContain(
      "during a rollout: the extra capacity each rollout runs (the `rollouts` lines) is per rollout and per hour while it lasts; it is not in the monthly totals, which depend on how often you ship.",
    );
  });
});

describe("Cloud Run linear", () => {
  const model = load(
    "gcp",
    `${HEAD("gcp", "us-central1")}  serving:
    endpoints:
      - name: scorer
        image: serving:1.0.0
        cpu: 2
        memoryGiB: 4
        autoscaling: { min: 1, max: 3 }
        rollout: { strategy: linear, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false }
      - name: plain
        image: serving:1.0.0
        cpu: 2
        memoryGiB: 4
        autoscaling: { min: 1, max: 3 }
`,
  );

  it("the new revision's min instances beside the previous one for the 3 bakes between 4 steps", () => {
    const r = lineOf(model, "scorer")!;
    const hourly = 2 * managedPrice("gcp", "cloud-run", "cpu-instance-based") + 4 * managedPrice("gcp", "cloud-run", "memory-instance-based");
    expect(r).toMatchObject({ runtime: "cloud-run", strategy: "linear", steps: [25, 50, 75, 100] });
    expect(r.windowMinutes).toBe(3 * 10);
    expect(r.peakExtra).toEqual({ min: 1, max: 1 });
    expect(r.extraInstanceMinutes).toEqual({ min: 30, max: 30 });
    expect(r.hourlyUsdEach).toBeCloseTo(hourly, 5);
    expect(r.perRolloutUsd).toEqual({ min: usd((30 * hourly) / 60), max: usd((30 * hourly) / 60) });
    expect(r.notes[0]).toContain("https://cloud.google.com/run/docs/configuring/min-instances");
  });

  it("an endpoint without rollout has no line", () => {
    expect(lineOf(model, "plain")).toBeUndefined();
    expect(estimateCost(model, catalog, { today: TODAY }).rollouts!.map((r) => r.endpoint)).toEqual(["scorer"]);
  });
});

describe("Container Apps canary", () => {
  const model = load(
    "azure",
    `${HEAD("azure", "eastus")}  serving:
    endpoints:
      - name: embed
        image: serving:1.0.0
        gpu: { type: T4, count: 1 }
        autoscaling: { min: 1, max: 2 }
        rollout: { strategy: canary, canaryPercent: 20, bakeMinutes: 15, rollbackOnAlarms: false }
`,
  );

  it("one more replica for the bake between the 2 steps, counted but not priced (the catalog has no Container Apps GPU price), and it stays until deactivated", () => {
    const r = lineOf(model, "embed")!;
    expect(r).toMatchObject({ runtime: "container-apps", steps: [20, 100], instanceType: "Consumption-GPU-NC8as-T4" });
    expect(r.windowMinutes).toBe(15);
    expect(r.peakExtra).toEqual({ min: 1, max: 1 });
    expect(r.extraInstanceMinutes).toEqual({ min: 15, max: 15 });
    expect([r.hourlyUsdEach, r.peakHourlyUsd, r.perRolloutUsd]).toEqual([null, null, null]);
    expect(r.notes.join("\n")).toContain("STAYS ACTIVE after the rollout until it is deactivated by hand");
    expect(r.notes.join("\n")).toContain("Azure Container Apps Consumption-GPU-NC8as-T4 prices are not in the catalog");
  });
});

describe("Argo Rollouts canary (runtime kubernetes)", () => {
  const model = load(
    "k8s",
    `${HEAD("aws", "us-east-1")}  cluster:
    version: "1.34"
    nodePools:
      - name: gpu
        gpu: { type: L4, count: 1 }
        max: 4
  serving:
    endpoints:
${k8sEndpoint("chat", "gpu: { type: L4, count: 1 }", "autoscaling: { min: 1, max: 4 }", "rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15, rollbackOnAlarms: false }")}`,
  );

  it("at 10% of 1 or of 4 replicas both ReplicaSets round up: one pod (one g6.xlarge node) more for the first pause, none at 100%", () => {
    const r = lineOf(model, "chat")!;
    const node = vmPrice("aws", "g6.xlarge").onDemand;
    expect(r).toMatchObject({ runtime: "argo-rollouts", steps: [10, 100], instanceType: "g6.xlarge", unit: "g6.xlarge nodes" });
    expect([pausePods(1, 10), pausePods(1, 100), pausePods(4, 10), pausePods(4, 100)]).toEqual([1, 0, 1, 0]);
    expect(r.windowMinutes).toBe(2 * 15);
    expect(r.peakExtra).toEqual({ min: 1, max: 1 });
    expect(r.extraInstanceMinutes).toEqual({ min: 15, max: 15 });
    expect(r.hourlyUsdEach).toBe(node);
    expect(r.perRolloutUsd).toEqual({ min: usd((15 * node) / 60), max: usd((15 * node) / 60) });
  });

  it("counts pods like the Argo controller (utils/replicaset/canary.go examples)", () => {
    // replicas 10, weight 30, maxUnavailable 0, surge 3 → newRS 3, stableRS 10: 3 pods over.
    expect(peakExtraPods(10, [30, 100])).toBe(3);
    // replicas 1, weight 5, surge 1 → newRS 1, stableRS 1.
    expect(peakExtraPods(1, [5, 100])).toBe(1);
    // Weights that divide the replicas run no pod over during the pauses.
    expect([25, 50, 75, 100].map((w) => pausePods(4, w))).toEqual([0, 0, 0, 0]);
  });

  it("a pause's pods are the split closest to the weight, as v1.9.1's approximateWeightedCanaryStableReplicaCounts picks it (R or R+1 pods in all)", () => {
    // 3 of 10 (30%) is 3 points from 33%; 4+7 of 11 (36.4%) is 3.4: no pod over.
    expect(pausePods(10, 33)).toBe(0);
    // 1 of 6 (16.7%) is 3.3 points from 20%; 1+6 of 7 (14.3%) 5.7: none over. 80% of 6: 5 of 6 (83.3%), none over.
    expect([pausePods(6, 20), pausePods(6, 80)]).toEqual([0, 0]);
    // 2+2 of 4 is exactly 50% of 3 replicas (one over); 1+1 of 2 is 50% of 1 (one over).
    expect([pausePods(3, 50), pausePods(1, 50)]).toEqual([1, 1]);
    // 90% of 6: 6 canary pods are not allowed without a surge (ceil must stay below R), 6+1 of 7 (85.7%) is closest: one over.
    expect(pausePods(6, 90)).toBe(1);
    // Surge is maxSurge (25%, rounded up), not one more: 10 replicas at 35% add 3 (maxSurge), not 4.
    expect(peakExtraPods(10, [35, 100])).toBe(3);
  });
});

describe("Argo Rollouts linear on a CPU pool", () => {
  const model = load(
    "k8s-cpu",
    `${HEAD("aws", "us-east-1")}  cluster:
    version: "1.34"
    nodePools:
      - name: cpu
        instanceType: m5.xlarge
        max: 6
  serving:
    endpoints:
${k8sEndpoint("ranker", "cpu: 1", "memoryGiB: 2", "autoscaling: { min: 2, max: 6 }", "rollout: { strategy: linear, stepPercent: 10, bakeMinutes: 5, rollbackOnAlarms: false }")}`,
  );

  it("counts a pod over for each pause whose weight does not divide the replicas, priced as one more m5.xlarge node at most (4 such pods fit one)", () => {
    const r = lineOf(model, "ranker")!;
    const node = vmPrice("aws", "m5.xlarge").onDemand;
    const weights = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(r.steps).toEqual(weights);
    expect(r.windowMinutes).toBe(10 * 5);
    // 2 replicas: every weight but 50 and 100 is closest with a pod over; 6 replicas: 20% (1 of 6) and 80% (5 of 6) are closest without.
    const over = (replicas: number) => weights.filter((w) => pausePods(replicas, w) > 0).length;
    expect([over(2), over(6)]).toEqual([8, 6]);
    // One extra pod needs at most one more node (4 pods of 1 vCPU / 2 GiB per 4 vCPU / 16 GiB node).
    expect(r.extraInstanceMinutes).toEqual({ min: 8 * 5, max: 6 * 5 });
    expect(r.peakExtra).toEqual({ min: 1, max: 1 });
    expect(r.perRolloutUsd).toEqual({ min: usd((40 * node) / 60), max: usd((30 * node) / 60) });
    expect(r.notes[1]).toContain("(4 pods per node): an upper bound");
  });
});

describe("mlplat cost output", () => {
  it("the aws reference without rollouts has no `rollouts` lines", () => {
    const plain = loadBlueprintOrThrow("blueprints/aws-sagemaker-scoring.yaml", { today: TODAY, vars: {} }).model;
    expect(estimateCost(plain, catalog, { today: TODAY }).rollouts).toBeUndefined();
  });
});

describe("Argo Rollouts: the endpoint's own pool, its spot price, pods per node; allAtOnce costs nothing", () => {
  const model = load(
    "k8s-pools",
    `${HEAD("aws", "us-east-1")}  cluster:
    version: "1.34"
    nodePools:
      - name: cpu
        instanceType: m5.xlarge
        max: 6
      - name: quad
        gpu: { type: L4, count: 4 }
        spot: true
        max: 4
  serving:
    endpoints:
` +
      k8sEndpoint("chat", "gpu: { type: L4, count: 1 }", "autoscaling: { min: 6, max: 6 }", "rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15, rollbackOnAlarms: false }") +
      k8sEndpoint("cpu-bound", "cpu: 2", "memoryGiB: 4", "autoscaling: { min: 12, max: 12 }", "rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15, rollbackOnAlarms: false }") +
      k8sEndpoint("memory-bound", "cpu: 1", "memoryGiB: 8", "autoscaling: { min: 12, max: 12 }", "rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15, rollbackOnAlarms: false }") +
      k8sEndpoint("batch", "cpu: 1", "memoryGiB: 2", "autoscaling: { min: 1, max: 2 }", "rollout: { strategy: allAtOnce }"),
  );

  it("a GPU endpoint on the second pool is priced with that pool's node at its spot price; 4 one-GPU pods fit one 4-GPU node", () => {
    const r = lineOf(model, "chat")!;
    const spot = vmPrice("aws", "g6.12xlarge").spot!;
    expect(r).toMatchObject({ instanceType: "g6.12xlarge", unit: "g6.12xlarge nodes", hourlyUsdEach: spot });
    // 6 replicas at 10%: maxSurge 2 pods at the step, one pod over during the pause: one node either way.
    expect(peakExtraPods(6, [10, 100])).toBe(2);
    expect(r.peakExtra).toEqual({ min: 1, max: 1 });
    expect(r.extraInstanceMinutes).toEqual({ min: 15, max: 15 });
    expect(r.perRolloutUsd).toEqual({ min: usd((15 * spot) / 60), max: usd((15 * spot) / 60) });
  });

  it("a CPU endpoint's pods per node is bound by the node's vCPUs or its memory, whichever fits fewer", () => {
    // m5.xlarge (4 vCPU, 16 GiB): 2 pods of 2 vCPU / 4 GiB, 2 pods of 1 vCPU / 8 GiB. 12 replicas at 10%: 3 pods at the step, 2 nodes.
    expect(peakExtraPods(12, [10, 100])).toBe(3);
    for (const name of ["cpu-bound", "memory-bound"]) {
      const r = lineOf(model, name)!;
      expect(r.peakExtra).toEqual({ min: 2, max: 2 });
      expect(r.notes[1]).toContain("(2 pods per node)");
    }
  });

  it("allAtOnce is a Deployment rolling update: no extra node, no window, nothing to pay", () => {
    const r = lineOf(model, "batch")!;
    expect(r).toMatchObject({ windowMinutes: 0, window: "none (all at once)", peakExtra: { min: 0, max: 0 }, extraInstanceMinutes: { min: 0, max: 0 }, perRolloutUsd: { min: 0, max: 0 }, peakHourlyUsd: { min: 0, max: 0 } });
  });
});

describe("Cloud Run allAtOnce", () => {
  const model = load(
    "run-all-at-once",
    `${HEAD("gcp", "us-central1")}  serving:
    endpoints:
      - name: scorer
        runtime: managed
        image: serving:1.0.0
        autoscaling: { min: 2, max: 4 }
        rollout: { strategy: allAtOnce }
`,
  );

  it("runs no revision beside the serving one: no extra instance and no window", () => {
    const r = lineOf(model, "scorer")!;
    expect(r).toMatchObject({ runtime: "cloud-run", windowMinutes: 0, window: "none (all at once)", peakExtra: { min: 0, max: 0 }, extraInstanceMinutes: { min: 0, max: 0 } });
    expect(r.notes[0]).toMatch(/^allAtOnce: /);
  });
});

describe("desiredPods: the canary and stable pods of a pause (approximateWeightedCanaryStableReplicaCounts, maxSurge 25%)", () => {
  it("never scales the canary to zero at a non-zero weight, nor the stable at a weight under 100 (utils/replicaset/canary_test.go cases with maxSurge 1)", () => {
    expect(desiredPods(1, 20)).toEqual({ canary: 1, stable: 1 });
    expect(desiredPods(1, 90)).toEqual({ canary: 1, stable: 1 });
    expect(desiredPods(6, 10)).toEqual({ canary: 1, stable: 6 });
  });

  it("0% is all stable, 100% all canary, no replicas no pods; a weight that divides the replicas splits them exactly", () => {
    expect(desiredPods(4, 0)).toEqual({ canary: 0, stable: 4 });
    expect(desiredPods(4, 100)).toEqual({ canary: 4, stable: 0 });
    expect(desiredPods(0, 50)).toEqual({ canary: 0, stable: 0 });
    expect(desiredPods(10, 20)).toEqual({ canary: 2, stable: 8 });
  });

  it("a weight that splits the replicas at exactly half a pod takes the surge pod: 50% of 3 is 2 and 2", () => {
    expect(desiredPods(3, 50)).toEqual({ canary: 2, stable: 2 });
    expect(desiredPods(5, 30)).toEqual({ canary: 2, stable: 4 });
  });
});

describe("Argo Rollouts on a pool the catalog has no price for", () => {
  const model = load(
    "k8s-unpriced",
    `${HEAD("aws", "us-east-1")}  cluster:
    version: "1.34"
    nodePools:
      - name: small
        instanceType: t3.medium
        max: 6
  serving:
    endpoints:
${k8sEndpoint("ranker", "cpu: 1", "memoryGiB: 2", "autoscaling: { min: 4, max: 4 }", "rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15, rollbackOnAlarms: false }")}`,
  );

  it("counts the extra nodes (one pod per node without the node's size), prices nothing and names the gap", () => {
    const r = lineOf(model, "ranker")!;
    // 4 replicas at 10%: maxSurge 1 pod at the step and one over during the pause; pods per node unknown: 1 node each.
    expect(r).toMatchObject({ instanceType: "t3.medium", peakExtra: { min: 1, max: 1 }, extraInstanceMinutes: { min: 15, max: 15 } });
    expect(r).toMatchObject({ hourlyUsdEach: null, peakHourlyUsd: null, perRolloutUsd: null });
    expect(r.notes).toContain("no price in the catalog for the nodes of pool small.");
  });
});
