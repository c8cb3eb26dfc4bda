import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { ClusterSchema } from "../../src/blueprint/schema.js";
import { loadCatalog } from "../../src/catalog/index.js";
import type { Catalog } from "../../src/catalog/types.js";
import { CLUSTER_AUTOSCALER_VERSIONS } from "../../src/k8s/versions.js";
import { CLOUDS, type Cloud } from "../../src/model/platform.js";
import { EKS_ADDON_VERSIONS } from "../../src/targets/aws/index.js";

/**
 * No date bombs in what mlplat ships: every reference blueprint (in every environment) and every
 * default Kubernetes version must stay in the cloud's standard support for at least 60 more days
 * from TODAY (the real date, on purpose: this test is the alarm that the versions need a bump).
 * Update src/catalog/data (scripts/generate-catalog.mjs) and blueprints/*.yaml together.
 */
const MARGIN_DAYS = 60;
const REAL_TODAY = new Date().toISOString().slice(0, 10);
const root = new URL("../../", import.meta.url).pathname;
const catalog = loadCatalog();

/** Days from `today` to the end of standard support; undefined when the catalog has no row. */
function standardSupportDaysLeft(cat: Catalog, cloud: Cloud, version: string, today: string): number | undefined {
  const row = cat.kubernetesVersions(cloud).find((r) => r.version === version);
  if (!row) return undefined;
  return Math.round((Date.parse(row.endOfStandardSupport) - Date.parse(today)) / 86_400_000);
}

function problem(cloud: Cloud, version: string, today: string): string | undefined {
  const left = standardSupportDaysLeft(catalog, cloud, version, today);
  if (left === undefined) return `${cloud} ${version}: not in the catalog`;
  if (left < MARGIN_DAYS) return `${cloud} ${version}: ${left} days of standard support left on ${today} (need ${MARGIN_DAYS})`;
  return undefined;
}

const blueprints = readdirSync(join(root, "blueprints")).filter((f) => f.endsWith(".yaml"));
const cases = blueprints.flatMap((f) => {
  const file = join(root, "blueprints", f);
  const envs = loadBlueprint(file, { vars: {}, today: REAL_TODAY }).environments;
  return ["default", ...envs].map((env) => [f, env] as const);
});

describe(`Kubernetes versions shipped with mlplat, on ${REAL_TODAY}`, () => {
  it("covers the reference blueprints", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)("%s (%s) is in standard support for 60 more days", (f, env) => {
    const { model, diagnostics } = loadBlueprint(join(root, "blueprints", f), { env, vars: {}, today: REAL_TODAY });
    expect(model, diagnostics.map((d) => d.message).join("\n")).toBeDefined();
    if (!model!.cluster) return;
    expect(problem(model!.cloud, model!.cluster.version, REAL_TODAY)).toBeUndefined();
    // And validate says nothing about the version either.
    expect(diagnostics.filter((d) => d.code.startsWith("MLP_K8S_VERSION"))).toEqual([]);
  });

  it("the default version is in standard support for 60 more days on every cloud, and buildable", () => {
    const version = ClusterSchema.parse({}).version;
    for (const cloud of CLOUDS) expect(problem(cloud, version, REAL_TODAY)).toBeUndefined();
    expect(Object.keys(EKS_ADDON_VERSIONS)).toContain(version);
    expect(Object.keys(CLUSTER_AUTOSCALER_VERSIONS)).toContain(version);
  });
});

describe("the 60-day check (fixed dates)", () => {
  it("passes a version with time left and fails one close to its end, or unknown", () => {
    // EKS 1.35 leaves standard support on 2027-03-27.
    expect(problem("aws", "1.35", "2026-12-06")).toBeUndefined();
    expect(problem("aws", "1.35", "2027-01-27")).toBe("aws 1.35: 59 days of standard support left on 2027-01-27 (need 60)");
    expect(problem("aws", "1.34", "2026-12-06")).toMatch(/-4 days/);
    expect(problem("aws", "1.99", "2026-12-06")).toBe("aws 1.99: not in the catalog");
  });
});

describe("the catalog's Kubernetes dates", () => {
  it("carry each cloud's own calendar as source, and extended support after standard", () => {
    const hosts: Record<Cloud, string> = { aws: "docs.aws.amazon.com", gcp: "cloud.google.com", azure: "learn.microsoft.com" };
    for (const cloud of CLOUDS) {
      const rows = catalog.kubernetesVersions(cloud);
      expect(rows.length).toBeGreaterThan(3);
      for (const r of rows) {
        expect(new URL(r.source).host, `${cloud} ${r.version}`).toBe(hosts[cloud]);
        if (r.endOfExtendedSupport) expect(r.endOfExtendedSupport > r.endOfStandardSupport, `${cloud} ${r.version}`).toBe(true);
      }
    }
  });

  it("hold the dates of the calendars as read (EKS 1.36, AKS month-end rule)", () => {
    const row = (cloud: Cloud, v: string) => catalog.kubernetesVersions(cloud).find((r) => r.version === v);
    expect(row("aws", "1.36")).toMatchObject({ endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" });
    expect(row("azure", "1.35")).toMatchObject({ endOfStandardSupport: "2027-03-31", endOfExtendedSupport: "2028-03-31" });
    expect(row("azure", "1.30")).toMatchObject({ endOfStandardSupport: "2025-08-22" });
  });
});
