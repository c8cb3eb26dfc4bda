import { describe, expect, it } from "vitest";
import { buildTable, createCatalog, loadCatalog } from "../../src/catalog/index.js";
import { managedPrice, vmPrice } from "../helpers/shared-prices.js";
import { HOURS_PER_MONTH, estimateCost, type CostReport } from "../../src/cost/estimate.js";
import type { ClusterModel, EndpointModel, NodePoolModel, PlatformModel } from "../../src/model/platform.js";

const catalog = loadCatalog();

function pool(p: Partial<NodePoolModel> & Pick<NodePoolModel, "name" | "instanceType">): NodePoolModel {
  return { spot: false, min: 0, max: 1, diskGiB: 100, labels: {}, taints: [], ...p };
}

function endpoint(e: Partial<EndpointModel> & Pick<EndpointModel, "name">): EndpointModel {
  return {
    runtime: "managed",
    image: { kind: "repository", repository: "serving", tag: "1" },
    cpu: 4,
    memoryGiB: 16,
    autoscaling: { min: 1, max: 2 },
    alarms: {},
    ...e,
  };
}

function model(m: Partial<PlatformModel> & { cluster?: ClusterModel } = {}): PlatformModel {
  return {
    name: "fraud",
    env: "default",
    stackName: "fraud-default",
    owner: "ml@example.com",
    labels: {},
    cloud: "aws",
    region: "us-east-1",
    aws: { accountId: "123456789012" },
    network: { cidr: "10.0.0.0/16", privateCluster: true, adminCidrs: [] },
    buckets: [],
    registry: { images: [], models: false },
    endpoints: [],
    observability: { logRetentionDays: 30, alertEmails: [] },
    state: { backend: "local", dir: "/tmp/state" },
    ...m,
  };
}

function cluster(nodePools: NodePoolModel[], systemPool = { instanceType: "m6i.large", min: 1, max: 3 }, version = "1.34"): ClusterModel {
  return { version, admins: [], systemPool, nodePools };
}

const byName = (r: CostReport, name: string) => r.items.find((i) => i.name === name)!;

describe("estimateCost", () => {
  it("prices a spot L4 pool of max 4 at 0 at min and 4 × spot × 730 at max", () => {
    // The price from ../shared/data/gpus.csv, not from the catalog the estimate reads.
    const spot = vmPrice("aws", "g6.xlarge").spot!;
    expect(spot).toBe(0.349);
    const report = estimateCost(
      model({ cluster: cluster([pool({ name: "infer", instanceType: "g6.xlarge", gpu: { type: "L4", count: 1 }, spot: true, min: 0, max: 4 })]) }),
      catalog,
    );
    expect(byName(report, "infer")).toEqual({
      kind: "node-pool",
      name: "infer",
      instanceType: "g6.xlarge",
      count: 4,
      hourlyUsd: spot,
      minMonthlyUsd: 0,
      maxMonthlyUsd: Math.round(4 * spot * HOURS_PER_MONTH * 100) / 100,
      spot: true,
    });
    expect(byName(report, "infer").maxMonthlyUsd).toBeCloseTo(4 * 0.349 * 730, 1);
  });

  it("has exactly the JSON shape the CLI documents", () => {
    const report = estimateCost(model({ budget: { monthlyUsd: 100, alertAtPercent: [80, 100], emails: [] } }), catalog);
    expect(Object.keys(report).sort()).toEqual(["budgetMonthlyUsd", "currency", "items", "notes", "overBudget", "totalMaxMonthlyUsd", "totalMinMonthlyUsd"]);
    expect(report.currency).toBe("USD");
    for (const i of report.items) expect(Object.keys(i).sort()).toEqual(["count", "hourlyUsd", "instanceType", "kind", "maxMonthlyUsd", "minMonthlyUsd", "name", "spot"]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("adds the control plane, the system pool at min and max, and one NAT gateway per zone on AWS", () => {
    const r = estimateCost(model({ cluster: cluster([]) }), catalog);
    expect(r.items.map((i) => [i.kind, i.name, i.instanceType, i.count])).toEqual([
      ["control-plane", "cluster", null, 1],
      ["system-pool", "system", "m6i.large", 3],
      // us-east-1: the AWS network spans three zones, one NAT gateway each
      ["nat-gateway", "network", null, 3],
    ]);
    expect(byName(r, "cluster").maxMonthlyUsd).toBe(73);
    expect(byName(r, "system")).toMatchObject({ minMonthlyUsd: 70.08, maxMonthlyUsd: 210.24 });
    expect(byName(r, "network").maxMonthlyUsd).toBe(98.55);
    // The same numbers from the shared CSVs: EKS standard support, m6i.large on demand, one NAT gateway-hour.
    const month = (usd: number) => Math.round(usd * 730 * 100) / 100;
    expect(byName(r, "cluster").maxMonthlyUsd).toBe(month(managedPrice("aws", "eks", "cluster-standard-support")));
    expect(byName(r, "system")).toMatchObject({ minMonthlyUsd: month(vmPrice("aws", "m6i.large").onDemand), maxMonthlyUsd: month(3 * vmPrice("aws", "m6i.large").onDemand) });
    expect(byName(r, "network").maxMonthlyUsd).toBe(month(3 * managedPrice("aws", "nat-gateway", "gateway-hour")));
    expect(r.totalMinMonthlyUsd).toBe(241.63);
    expect(r.totalMaxMonthlyUsd).toBe(381.79);
  });

  it("bills an EKS version past standard support at the extended rate", () => {
    const r = estimateCost(model({ cluster: cluster([], undefined, "1.31") }), catalog, { today: "2026-11-25" });
    expect(byName(r, "cluster").hourlyUsd).toBe(0.6);
    expect(managedPrice("aws", "eks", "cluster-extended-support")).toBe(0.6);
    expect(r.notes).toContainEqual(expect.stringMatching(/EKS 1\.31 is past standard support/));
    expect(byName(estimateCost(model({ cluster: cluster([], undefined, "1.34") }), catalog, { today: "2026-11-25" }), "cluster").hourlyUsd).toBe(0.1);
  });

  it("notes the surcharges it cannot price for GKE and AKS versions past standard support", () => {
    const gke = estimateCost(model({ cloud: "gcp", region: "us-central1", cluster: cluster([], { instanceType: "e2-standard-4", min: 1, max: 1 }, "1.31") }), catalog, { today: "2026-01-15" });
    expect(gke.notes).toContainEqual(expect.stringMatching(/^GKE 1\.31 is in extended support on 2026-01-15/));
    const aks = estimateCost(model({ cloud: "azure", region: "eastus", cluster: cluster([], { instanceType: "Standard_D4s_v5", min: 1, max: 1 }, "1.31") }), catalog, { today: "2026-01-15" });
    expect(aks.notes).toContainEqual(expect.stringMatching(/^AKS 1\.31 is past its end of life on 2026-01-15: long-term support needs the Premium tier/));
  });

  it("prices SageMaker endpoints at their autoscaling min and max", () => {
    const r = estimateCost(model({ endpoints: [endpoint({ name: "scorer", instanceType: "ml.g4dn.xlarge", gpu: { type: "T4", count: 1 }, autoscaling: { min: 1, max: 3 } })] }), catalog);
    expect(byName(r, "scorer")).toMatchObject({ kind: "endpoint", instanceType: "ml.g4dn.xlarge", count: 3, hourlyUsd: 0.7364, minMonthlyUsd: 537.57, maxMonthlyUsd: 1612.72, spot: false });
    expect(managedPrice("aws", "sagemaker-realtime-inference", "ml.g4dn.xlarge")).toBe(0.7364);
  });

  it("leaves kubernetes-runtime endpoints to their pool and says so", () => {
    const r = estimateCost(model({ endpoints: [endpoint({ name: "chat", runtime: "kubernetes", pool: "infer" })] }), catalog);
    expect(r.items.some((i) => i.name === "chat")).toBe(false);
    expect(r.notes).toContain("endpoint chat runs on node pool infer; its cost is in that pool.");
  });

  it("prices GCP attached GPUs as host plus accelerator, Cloud Run L4 per instance-hour, and Cloud NAT per VM", () => {
    const r = estimateCost(
      model({
        cloud: "gcp",
        region: "us-central1",
        gcp: { project: "p" },
        cluster: cluster([pool({ name: "t4", instanceType: "n1-highmem-4", gpu: { type: "T4", count: 1, acceleratorId: "nvidia-tesla-t4" }, min: 1, max: 2 })], {
          instanceType: "e2-standard-4",
          min: 1,
          max: 3,
        }),
        endpoints: [endpoint({ name: "llm", gpu: { type: "L4", count: 1 }, cpu: 4, memoryGiB: 16, autoscaling: { min: 0, max: 2 } })],
      }),
      catalog,
    );
    expect(byName(r, "t4").hourlyUsd).toBe(0.58661);
    // 1 L4 without zonal redundancy (the stack turns it off for GPU services) + 4 vCPU + 16 GiB.
    expect(byName(r, "llm")).toMatchObject({ instanceType: null, hourlyUsd: 1.04652, minMonthlyUsd: 0, maxMonthlyUsd: 1527.92 });
    expect(r.notes).toContain("endpoint llm: Cloud Run L4 priced without zonal redundancy, which mlplat turns off for GPU services; with it the GPU would cost 1.04724 USD/h.");
    expect(byName(r, "network")).toMatchObject({ kind: "nat-gateway", count: 5, hourlyUsd: 0.0014, minMonthlyUsd: 2.04, maxMonthlyUsd: 5.11 });
    expect(byName(r, "cluster").hourlyUsd).toBe(0.1);
    expect(r.notes?.some((n) => n.startsWith("prices are"))).toBe(false);
  });

  it("lists Container Apps endpoints without a price, says so, and leaves them out of the totals", () => {
    const r = estimateCost(
      model({
        cloud: "azure",
        region: "westeurope",
        azure: { subscriptionId: "0", resourceGroup: "fraud-default" },
        endpoints: [endpoint({ name: "scorer", instanceType: "Consumption-GPU-NC8as-T4", gpu: { type: "T4", count: 1 } })],
      }),
      catalog,
    );
    expect(byName(r, "scorer")).toMatchObject({ hourlyUsd: null, minMonthlyUsd: null, maxMonthlyUsd: null });
    expect(r.totalMaxMonthlyUsd).toBe(32.85); // the NAT gateway only
    expect(r.notes?.[0]).toBe("prices are eastus's (the catalog's reference region for azure); westeurope has none in the catalog and its prices may differ.");
    expect(r.notes).toContain("no price in the catalog for: endpoint scorer; left out of the totals.");
  });

  it("compares the max total with the budget", () => {
    const big = model({
      cluster: cluster([pool({ name: "train", instanceType: "p4de.24xlarge", gpu: { type: "A100-80GB", count: 8 }, min: 0, max: 2 })]),
      budget: { monthlyUsd: 25000, alertAtPercent: [80], emails: [] },
    });
    const r = estimateCost(big, catalog);
    expect(r.budgetMonthlyUsd).toBe(25000);
    expect(r.totalMaxMonthlyUsd).toBeGreaterThan(25000);
    expect(r.overBudget).toBe(true);
    expect(estimateCost({ ...big, budget: { ...big.budget!, monthlyUsd: 100000 } }, catalog).overBudget).toBe(false);
    expect(estimateCost({ ...big, budget: undefined }, catalog)).toMatchObject({ budgetMonthlyUsd: null, overBudget: false });
  });

  it("prices a spot pool without a spot price at on-demand, and an unknown type not at all, with notes", () => {
    const r = estimateCost(
      model({
        cluster: cluster([
          pool({ name: "h100", instanceType: "p5.4xlarge", gpu: { type: "H100", count: 1 }, spot: true, max: 1 }),
          pool({ name: "odd", instanceType: "x9.huge", max: 2 }),
        ]),
      }),
      catalog,
    );
    expect(byName(r, "h100").hourlyUsd).toBe(6.88);
    expect(byName(r, "odd").hourlyUsd).toBeNull();
    expect(r.notes).toContainEqual(expect.stringMatching(/no spot price for p5\.4xlarge; priced at on-demand/));
    expect(r.notes).toContainEqual(expect.stringMatching(/x9\.huge is not in the catalog/));
  });

  it("is a pure function of the model and the catalog it is given", () => {
    const tiny = createCatalog(
      buildTable({
        instances: [{ cloud: "aws", instanceType: "m6i.large", acceleratorCount: 0, onDemandUsdPerHour: 1, referenceRegion: "us-east-1", regions: [] }],
      }),
    );
    const r = estimateCost(model({ cluster: cluster([]) }), tiny);
    expect(byName(r, "system")).toMatchObject({ hourlyUsd: 1, minMonthlyUsd: 730, maxMonthlyUsd: 2190 });
    expect(byName(r, "cluster").hourlyUsd).toBeNull();
    expect(r.totalMaxMonthlyUsd).toBe(2190);
  });
});
