import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { estimateCost } from "../../src/cost/estimate.js";
import { EXIT } from "../../src/util/errors.js";

/**
 * The README's figures are generated, not remembered: each table is checked against the code that
 * produces it, and a failure prints the row as it should read.
 */
const README = readFileSync("README.md", "utf8");
/** The same date the reference blueprints' cost headers are checked at (test/blueprints/reference.test.ts). */
const TODAY = "2026-11-25";
const usd = (n: number) => Math.round(n).toLocaleString("en-US");

describe("README figures", () => {
  it("'Choosing a blueprint' shows what `mlplat cost` says for each blueprint's default environment", () => {
    const rows = [...README.matchAll(/^\| [^|]+ \| \[`([a-z0-9-]+)`\]\(blueprints\/[a-z0-9-]+\.yaml\) \| [^|]+ \| ([\d,]+)–([\d,]+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const catalog = loadCatalog();
    const stale: string[] = [];
    for (const [line, name, min, max] of rows) {
      const { model } = loadBlueprint(`blueprints/${name}.yaml`, { today: TODAY, vars: {} });
      const r = estimateCost(model!, catalog, { today: TODAY });
      const want = `${usd(r.totalMinMonthlyUsd)}–${usd(r.totalMaxMonthlyUsd)}`;
      if (`${min}–${max}` !== want) stale.push(`${line}\n  → should end with | ${want} |`);
    }
    expect(stale, "update these README rows").toEqual([]);
  });

  it("the exit-code table lists exactly the codes mlplat exits with", () => {
    const section = README.slice(README.indexOf("### Exit codes"));
    const codes = [...section.slice(0, section.indexOf("\n## ")).matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT));
  });

  it("every command in the commands table exists in the CLI, and every CLI command is in the table", async () => {
    const { buildProgram } = await import("../../src/cli/program.js");
    const cli = buildProgram()
      .commands.map((c) => c.name())
      .filter((n) => !n.startsWith("__"))
      .sort();
    const section = README.slice(README.indexOf("## Commands"));
    const table = [...new Set([...section.slice(0, section.indexOf("\n### ")).matchAll(/^\| `mlplat ([a-z]+)/gm)].map((m) => m[1]!))].sort();
    expect(table).toEqual(cli);
  });
});
