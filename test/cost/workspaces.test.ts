import { describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { HOURS_PER_MONTH, estimateCost } from "../../src/cost/estimate.js";
import { notebookHoursPerMonth } from "../../src/cost/workspaces.js";

/** `mlplat cost` for workspaces and tracking, on the reference blueprint data-science-team (three clouds). */
const catalog = loadCatalog();
const report = (env: string) => {
  const r = loadBlueprint("blueprints/data-science-team.yaml", { env });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return estimateCost(r.model!, catalog);
};
const hours = 22 * 9; // 22 workdays of 8 h + the 60-minute idle tail

describe("notebook hours from the idle shutdown", () => {
  it("assumes 22 workdays of 8 h plus the idle tail, or the whole month when shutdown is off", () => {
    expect(notebookHoursPerMonth(60, HOURS_PER_MONTH)).toBe(198);
    expect(notebookHoursPerMonth(120, HOURS_PER_MONTH)).toBe(220);
    expect(notebookHoursPerMonth(0, HOURS_PER_MONTH)).toBe(730);
    expect(notebookHoursPerMonth(10080, HOURS_PER_MONTH)).toBe(730);
  });
});

describe("cost of workspaces and tracking", () => {
  it("aws: prices T4 notebooks at the catalog's ml.g4dn.xlarge rate for the assumed hours, says what stands in and what is unpriced", () => {
    const c = report("default");
    const nb = c.items.filter((i) => i.kind === "notebook");
    expect(nb.map((i) => [i.name, i.instanceType, i.minMonthlyUsd])).toEqual([
      ["alice", "ml.t3.large", null],
      ["bob", "ml.g4dn.xlarge", Math.round(0.7364 * hours * 100) / 100],
      ["carol", "ml.t3.large", null],
      ["dan", "ml.g4dn.xlarge", Math.round(0.7364 * hours * 100) / 100],
      ["erin", "ml.t3.large", null],
    ]);
    expect(c.items.find((i) => i.kind === "tracking")).toMatchObject({ name: "mlflow", instanceType: "MLflow small", hourlyUsd: null });
    expect(c.notes).toContain(
      "notebooks: priced at 198 h a month each, assuming 22 workdays of 8 h and the idle shutdown stopping each notebook 60 min after the day's last activity; a notebook kept busy all month costs 730 h.",
    );
    expect(c.notes).toContain("notebooks (ml.g4dn.xlarge): priced at the catalog's SageMaker real-time inference rate of the same type, standing in for the Studio notebook rate.");
    expect(c.notes!.find((n) => n.startsWith("no price in the catalog for:"))).toBe(
      "no price in the catalog for: notebook alice, notebook carol, notebook erin, tracking mlflow; left out of the totals.",
    );
  });

  it("gcp: prices machine type + GPU from the catalog and names the Cloud SQL tier", () => {
    const c = report("gcp");
    const bob = c.items.find((i) => i.name === "bob")!;
    const row = catalog.gpuInstance("gcp", bob.instanceType!, "T4", 1)!;
    expect(bob.hourlyUsd).toBe(row.onDemandUsdPerHour);
    expect(bob.minMonthlyUsd).toBe(Math.round(row.onDemandUsdPerHour! * hours * 100) / 100);
    expect(c.items.find((i) => i.name === "alice")!.hourlyUsd).toBe(catalog.instance("gcp", "e2-standard-4")!.onDemandUsdPerHour);
    expect(c.items.find((i) => i.kind === "tracking")!.instanceType).toBe("Cloud SQL db-custom-1-3840");
  });

  it("azure: prices VM sizes from the catalog; the workspace's MLflow costs nothing extra", () => {
    const c = report("azure");
    const bob = c.items.find((i) => i.name === "bob")!;
    expect(bob.hourlyUsd).toBe(catalog.instance("azure", bob.instanceType!)!.onDemandUsdPerHour);
    expect(c.items.find((i) => i.kind === "tracking")).toMatchObject({ minMonthlyUsd: 0, maxMonthlyUsd: 0 });
    expect(c.notes).toContain("tracking: the Azure ML workspace's MLflow endpoint has no charge of its own.");
  });
});
