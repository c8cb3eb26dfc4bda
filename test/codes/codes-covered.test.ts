import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every MLP_* code in src/ and stacks/ is mentioned by a test (issue 20): a code no test names is
 * a diagnostic nobody has seen fire. Test files name the code where they trigger it and pin its
 * message (test/codes/*.test.ts for the ones no feature test covers). This file's own text does
 * not count as a mention.
 */
const root = new URL("../../", import.meta.url).pathname;
const SELF = "test/codes/codes-covered.test.ts";

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function codesIn(paths: readonly string[]): Map<string, string> {
  const where = new Map<string, string>();
  for (const f of paths) for (const m of readFileSync(join(root, f), "utf8").matchAll(/\bMLP_[A-Z0-9_]+\b/g)) if (!where.has(m[0])) where.set(m[0], f);
  return where;
}

describe("MLP_* codes", () => {
  const sources = [...files("src", (f) => f.endsWith(".ts")), ...files("stacks", (f) => f.endsWith(".ts"))];
  const defined = codesIn(sources);
  const tests = files("test", (f) => /\.(ts|mjs|js)$/.test(f)).filter((f) => f !== SELF);
  const mentioned = new Set(codesIn(tests).keys());

  it("finds the codes (the scan itself works)", () => {
    expect(defined.size).toBeGreaterThan(100);
    expect(defined.get("MLP_TIERING_ORDER")).toBe("src/blueprint/rules/storage.ts");
  });

  it("are each mentioned by a test", () => {
    const untested = [...defined].filter(([code]) => !mentioned.has(code)).map(([code, file]) => `${code} (${file})`).sort();
    expect(untested, `codes no test mentions; trigger each through validate/synth/the CLI and pin its message`).toEqual([]);
  });
});
