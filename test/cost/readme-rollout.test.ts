import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { loadCatalog } from "../../src/catalog/index.js";
import { rolloutLine } from "../../src/cli/commands/cost.js";
import { estimateCost } from "../../src/cost/estimate.js";

/**
 * The README's "What a rollout costs while it runs" example is generated, not remembered: it must
 * be what `mlplat cost blueprints/safe-rollout.yaml` prints (the lines without their notes). On
 * failure the message carries the block to paste.
 */
describe("README rollout cost example", () => {
  it("shows the current 'during a rollout' lines of safe-rollout", () => {
    const readme = readFileSync("README.md", "utf8");
    const begin = readme.indexOf("<!-- rollout-cost:begin");
    const end = readme.indexOf("<!-- rollout-cost:end -->");
    expect(begin).toBeGreaterThan(0);
    const quoted = readme.slice(begin, end).split("\n").filter((l) => l.startsWith("during a rollout: "));
    const { model } = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} });
    const now = (estimateCost(model, loadCatalog(), { today: "2026-12-07" }).rollouts ?? []).map((r) => rolloutLine(r).split("\n")[0]!);
    expect(now.length).toBe(2);
    expect(quoted, `README block is stale; replace its lines with\n${now.join("\n")}`).toEqual(now);
  });
});
