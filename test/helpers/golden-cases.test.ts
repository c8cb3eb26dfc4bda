import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GOLDEN_CASES, goldenPath, ROOT } from "./golden.js";

/**
 * The golden rule (issue 20): every reference blueprint in blueprints/ and each of its
 * environments has a golden case (the list in golden.ts is explicit; this test is what scans),
 * and every golden file on disk belongs to a case.
 */
describe("golden cases", () => {
  it("cover every reference blueprint × environment in blueprints/", () => {
    const wanted = readdirSync(join(ROOT, "blueprints"))
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) => {
        const doc = parse(readFileSync(join(ROOT, "blueprints", f), "utf8")) as { environments?: Record<string, unknown> };
        return ["default", ...Object.keys(doc.environments ?? {})].map((env) => `blueprints/${f} --env ${env}`);
      })
      .sort();
    const have = GOLDEN_CASES.map((g) => `${g.blueprint} --env ${g.env}`);
    expect(wanted.length).toBeGreaterThan(20);
    expect(wanted.filter((w) => !have.includes(w)), "add these to GOLDEN_CASES in test/helpers/golden.ts, then run `npm run goldens`").toEqual([]);
    expect(new Set(have).size).toBe(have.length);
  });

  it("name each golden file on disk, and nothing else is there", () => {
    const onDisk = ["aws", "gcp", "azure"].flatMap((cloud) => readdirSync(join(ROOT, "test", cloud, "golden")).map((f) => `test/${cloud}/golden/${f}`)).sort();
    expect(onDisk).toEqual(GOLDEN_CASES.map(goldenPath).sort());
  });
});
