import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { estimateCost } from "../../src/cost/estimate.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { mlplat } from "../helpers/cli.js";

/**
 * Every blueprint in blueprints/ (the reference blueprints users fork, including the per-cloud
 * ones other issues add) must validate with no error and synthesize, for the base and for every
 * environment it defines. A blueprint that stops validating after a rule or catalog change is
 * a broken promise to everyone who forked it.
 */
const root = new URL("../../", import.meta.url).pathname;
const dir = join(root, "blueprints");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const TODAY = "2026-11-25";
const work = mkdtempSync(join(tmpdir(), "mlplat-reference-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environments a blueprint defines, plus the base (`default`). */
function envsOf(file: string): string[] {
  const doc = parse(readFileSync(join(dir, file), "utf8")) as { environments?: Record<string, unknown> };
  return ["default", ...Object.keys(doc.environments ?? {})];
}

const cases = files.flatMap((file) => envsOf(file).map((env) => ({ file, env })));

/** References `${type.name…}` that name a resource or data source the stack does not declare. */
function danglingReferences(json: Record<string, any>): string[] {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName as object)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName as object)) declared.add(`data.${type}.${name}`);
  const missing = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const expr of v.matchAll(/\$\{([^}]*)\}/g)) {
        for (const m of expr[1]!.matchAll(/(?<![\w.])(data\.)?((?:aws|google|azurerm|azapi)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) {
          const ref = `${m[1] ?? ""}${m[2]}.${m[3]}`;
          if (!declared.has(ref)) missing.add(ref);
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(json.resource);
  visit(json.output);
  return [...missing].sort();
}

describe("reference blueprints", () => {
  it("there are at least five, among them the README quickstart's llm-serving", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files).toContain("llm-serving.yaml");
  });

  it("the README quickstart synthesizes llm-serving through the CLI with none of its variables set", () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const v of ["MLPLAT_OWNER", "AWS_ACCOUNT_ID", "GCP_PROJECT", "GCP_BILLING_ACCOUNT", "AZURE_SUBSCRIPTION_ID"]) delete env[v];
    const r = mlplat(["synth", join(dir, "llm-serving.yaml"), "--out", join(work, "quickstart")], { cwd: work, env });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(work, "quickstart/stacks/llm-serving-default/cdk.tf.json"), "utf8"));
    // The ${env:…:-fallback} placeholders took their fallbacks.
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
    expect(json.provider.aws[0].default_tags[0].tags.owner).toBe("ml-platform@example.com");
  });

  it.each(files)("%s starts with the $schema modeline pointing at the committed schema", (file) => {
    const first = readFileSync(join(dir, file), "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=./blueprint.schema.json");
  });

  it("at least three carry environments for all three clouds", () => {
    const portable = files.filter((file) => {
      const doc = parse(readFileSync(join(dir, file), "utf8")) as { environments?: Record<string, { spec?: { cloud?: string } }> };
      const clouds = new Set(Object.values(doc.environments ?? {}).map((e) => e?.spec?.cloud));
      return ["aws", "gcp", "azure"].every((c) => clouds.has(c));
    });
    expect(portable.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)("$file validates with no error in environment $env", ({ file, env }) => {
    const r = loadBlueprint(join(dir, file), { env, today: TODAY, vars: {} });
    const errors = r.diagnostics.filter(isError);
    expect(errors.map((d) => renderDiagnostic(d))).toEqual([]);
    expect(r.model?.env).toBe(env);
  });

  it.each(cases)("$file synthesizes offline in environment $env", async ({ file, env }) => {
    const out = join(work, `${file}-${env}`);
    const r = await synthesizeBlueprint(join(dir, file), { env, outDir: out, stateDir: join(work, "state"), offline: true });
    expect(r.stacks.map((s) => s.name)).toContain(r.model.stackName);
    const json = JSON.parse(readFileSync(join(out, "stacks", r.model.stackName, "cdk.tf.json"), "utf8"));
    const providers = Object.keys(json.provider ?? {});
    expect(providers).toContain({ aws: "aws", gcp: "google", azure: "azurerm" }[r.model.cloud]);
    expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(5);
    expect(danglingReferences(json)).toEqual([]);
  });
});

/**
 * The cost lines in each header are documentation users budget from: they must still say what
 * `mlplat cost --env <e>` says, within 10% (or 50 USD): estimator refinements move the figures a
 * little, a stale header that is off by more is a lie. On failure the message carries the
 * regenerated block to paste over the old one.
 */
describe("reference blueprint cost headers", () => {
  const withHeader = files.filter((f) => readFileSync(join(dir, f), "utf8").includes("\n# Monthly cost"));
  const catalog = loadCatalog();
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const close = (quoted: number, now: number) => Math.abs(quoted - now) <= Math.max(50, 0.1 * now);

  /** The header block as it should read today: `env min–max` per environment, wrapped at 96 columns. */
  function expectedBlock(file: string, estimates: { env: string; min: number; max: number; unpriced: boolean }[]): string {
    const lines = ["# Monthly cost (`mlplat cost --env <e>`, USD list prices, min–max):"];
    let cur = "#  ";
    for (const e of estimates) {
      const part = `${e.env} ${fmt(e.min)}–${fmt(e.max)}${e.unpriced ? "*" : ""}`;
      const next = `${cur} ${part} ·`;
      if (next.length > 96) {
        lines.push(cur.replace(/ ·$/, ""));
        cur = `#   ${part} ·`;
      } else cur = next;
    }
    lines.push(cur.replace(/ ·$/, ""));
    if (estimates.some((e) => e.unpriced)) lines.push("#   (* Container Apps usage is not priced by the catalog: see the Azure pricing page)");
    return `${file}:\n${lines.join("\n")}`;
  }

  it("the use-case blueprints carry one", () => {
    expect(withHeader).toEqual(expect.arrayContaining(["llm-serving.yaml", "batch-training.yaml", "realtime-scoring.yaml", "data-science-workspace.yaml", "multi-env-platform.yaml"]));
  });

  it.each(withHeader)("%s quotes the current min–max estimate of every environment", (file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const header = text.slice(text.indexOf("# Monthly cost"), text.indexOf("\napiVersion:"));
    const quoted = new Map([...header.matchAll(/([a-z][a-z0-9-]*) ([\d,]+)–([\d,]+)/g)].map((m) => [m[1]!, { min: Number(m[2]!.replace(/,/g, "")), max: Number(m[3]!.replace(/,/g, "")) }]));
    const estimates = envsOf(file).map((env) => {
      const { model } = loadBlueprint(join(dir, file), { env, today: TODAY, vars: {} });
      const r = estimateCost(model!, catalog, { today: TODAY });
      return { env, min: r.totalMinMonthlyUsd, max: r.totalMaxMonthlyUsd, unpriced: r.items.some((i) => i.hourlyUsd === null) };
    });
    const stale = estimates.filter((e) => {
      const q = quoted.get(e.env);
      return !q || !close(q.min, e.min) || !close(q.max, e.max);
    });
    expect(stale.map((e) => e.env), `stale cost header; replace it with\n${expectedBlock(file, estimates)}`).toEqual([]);
  });
});
