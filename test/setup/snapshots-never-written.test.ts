import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * A vitest run with the plugin vitest.config.ts uses, outside CI, on a test whose inline
 * snapshot is missing: it must fail and leave the test file as it was.
 */
const dir = mkdtempSync(join(tmpdir(), "mlplat-snapshots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("snapshots", () => {
  it("are never written by a plain run: a missing inline snapshot fails", () => {
    const plugin = resolve("test/setup/snapshots-never-written.ts");
    writeFileSync(join(dir, "vitest.config.mjs"), `import { snapshotsNeverWritten } from ${JSON.stringify(plugin)};\nexport default { plugins: [snapshotsNeverWritten], test: { globals: true, include: ["*.test.js"] } };\n`);
    const test = `it("pins", () => {\n  expect({ a: 1 }).toMatchInlineSnapshot();\n});\n`;
    writeFileSync(join(dir, "pins.test.js"), test);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    for (const k of ["CI", "GITHUB_ACTIONS", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID", "UPDATE_SNAPSHOT"]) delete env[k];
    const r = spawnSync(process.execPath, [resolve("node_modules/vitest/vitest.mjs"), "run", "--root", dir, "--config", join(dir, "vitest.config.mjs")], { env, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain("Snapshot `pins 1` mismatched");
    expect(readFileSync(join(dir, "pins.test.js"), "utf8")).toBe(test);
  }, 60_000);
});
