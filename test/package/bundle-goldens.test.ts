import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { GOLDEN_CASES, ROOT, goldenName, goldenPath, type GoldenCase } from "../helpers/golden.js";

/**
 * The golden tests synthesize from the sources, with the provider classes from node_modules. The
 * built CLI runs other files: the esbuild bundle, cdktf through its lazy index, and minified
 * copies of the provider submodules (dist/vendor, scripts/bundle.mjs). This renders every golden
 * case through `bin/mlplat.js synth` and requires the same cdk.tf.json, and checks that no provider
 * file is read from node_modules (the copies are really the ones used).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-bundle-goldens-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The variables the blueprints interpolate are unset, as in the golden tests (test/helpers/golden.ts).
const texts = [...new Set(GOLDEN_CASES.map((g) => g.blueprint))].map((f) => readFileSync(join(ROOT, f), "utf8"));
const interpolated = new Set(texts.flatMap((t) => [...t.matchAll(/\$\{env:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !interpolated.has(k)));

// Records every CommonJS file the CLI loads (Module.prototype.load: the code cache compiles some itself).
const hook = join(work, "module-files.cjs");
writeFileSync(
  hook,
  `const M = require("node:module"); const seen = []; const l = M.prototype.load;
M.prototype.load = function (file) { seen.push(file); return l.call(this, file); };
process.on("exit", () => require("node:fs").writeFileSync(process.env.MLPLAT_TEST_MODULE_LOG, seen.join("\\n")));`,
);

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly stack: string | undefined;
  readonly files: string[];
}

function synth(g: GoldenCase): Promise<Run> {
  const dir = join(work, goldenName(g));
  const log = join(dir + ".modules");
  const args = ["-r", hook, BIN, "synth", join(ROOT, g.blueprint), "--out", join(dir, "out"), "--state-dir", join(dir, "state")];
  if (g.env !== "default") args.push("--env", g.env);
  if (g.offline) args.push("--offline");
  if (g.strict) args.push("--strict");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...env, CI: "true", NO_COLOR: "1", MLPLAT_TODAY: "2026-11-25", MLPLAT_TEST_MODULE_LOG: log }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const stackDir = join(dir, "out", "stacks");
      const name = existsSync(stackDir) ? readdirSync(stackDir)[0] : undefined;
      resolve({
        code,
        stderr,
        stack: name ? readFileSync(join(stackDir, name, "cdk.tf.json"), "utf8") : undefined,
        files: existsSync(log) ? readFileSync(log, "utf8").split("\n") : [],
      });
    });
  });
}

/** Two at a time: the machine has two cores. */
async function all<T, R>(items: readonly T[], f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe("the built CLI renders every golden case as the sources do", () => {
  it("gives each golden case's cdk.tf.json, with the provider classes from dist/vendor", async () => {
    const runs = await all(GOLDEN_CASES, synth);
    GOLDEN_CASES.forEach((g, i) => {
      const r = runs[i]!;
      expect(r.code, `${g.blueprint} --env ${g.env}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stack!), `${goldenPath(g)} differs from the built CLI's synth`).toEqual(JSON.parse(readFileSync(join(ROOT, goldenPath(g)), "utf8")));
      const providers = r.files.filter((f) => f.includes("/@cdktf/provider-"));
      expect(providers.length, goldenName(g)).toBeGreaterThan(0);
      expect(providers.filter((f) => !f.includes("/dist/vendor/@cdktf/provider-")), goldenName(g)).toEqual([]);
    });
  }, 300_000);
});
