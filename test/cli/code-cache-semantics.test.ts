import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { entryName } from "../../src/cli/code-cache.js";

/**
 * src/cli/code-cache.ts compiles the CommonJS files a command loads from node_modules/cdktf,
 * node_modules/constructs and dist/vendor itself (its Module.prototype._compile). A module must
 * not be able to tell: these run a small bundle through the built launcher
 * (dist/bundle/launch.cjs) with the cache on (first and second run) and off, and require the same
 * result as Node's own loader gives.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const LAUNCH = join(ROOT, "dist", "bundle", "launch.cjs");
const work = mkdtempSync(join(tmpdir(), "mlplat-code-cache-semantics-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Lays out `files` under a new folder (the bundle is bundle/main.cjs, its vendor folder vendor/) and returns a runner. */
function fixture(name: string, files: Record<string, string>) {
  const root = join(work, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const launcher = join(root, "launcher.cjs");
  writeFileSync(launcher, `require(${JSON.stringify(LAUNCH)}).runBundle(require("node:path").join(__dirname, "bundle", "main.cjs"));\n`);
  return (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [launcher, ...args], {
      env: { ...process.env, MLPLAT_CACHE_DIR: join(root, "cache"), MLPLAT_NO_CODE_CACHE: "", MLPLAT_DEBUG_CODE_CACHE: "", NODE_OPTIONS: "", ...env },
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** Off, first run (writes the cache), second run (uses it). */
function threeWays(run: ReturnType<typeof fixture>, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return [run(args, { ...env, MLPLAT_NO_CODE_CACHE: "1" }), run(args, env), run(args, env)];
}

describe("files compiled through the code cache see what Node's loader gives them", () => {
  it("require.main is the process's main module, not the module itself", () => {
    const run = fixture("main", {
      "vendor/probe.js": `module.exports = { isMain: require.main === module, main: require.main && require.main.filename };\n`,
      "bundle/main.cjs": `const p = require("../vendor/probe.js");\nprocess.stdout.write(JSON.stringify({ ...p, bundleIsMain: require.main === module, same: require.main === process.mainModule }));\n`,
    });
    const runs = threeWays(run);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ isMain: false, main: join(work, "main", "launcher.cjs"), bundleIsMain: false, same: true });
    }
  });

  it("cdktf's lib/private/fs.js (loaded with TerraformAsset) never runs as a CLI and writes into the file named by argv[3]", () => {
    const run = fixture("cdktf-fs", {
      "bundle/main.cjs": `require(${JSON.stringify(join(ROOT, "node_modules", "cdktf", "lib", "private", "fs.js"))});\nprocess.stdout.write("loaded");\n`,
      "src/a.txt": "a\n",
      "victim.yaml": "kind: blueprint\n",
    });
    const victim = join(work, "cdktf-fs", "victim.yaml");
    for (const r of threeWays(run, [join(work, "cdktf-fs", "src"), victim])) {
      expect([r.code, r.stdout], r.stderr).toEqual([0, "loaded"]);
      expect(readFileSync(victim, "utf8")).toBe("kind: blueprint\n");
    }
  });

  it("a file Node loads as an ES module (package type module) stays one", () => {
    const run = fixture("format", {
      "esm/package.json": `{ "type": "module" }\n`,
      "esm/flag.js": `globalThis.kind = typeof require;\n`,
      "bundle/main.cjs": `require("../esm/flag.js");\nprocess.stdout.write(String(globalThis.kind));\n`,
    });
    for (const r of threeWays(run, [], { NODE_NO_WARNINGS: "1" })) expect([r.code, r.stdout], r.stderr).toEqual([0, "undefined"]);
  });

  it("with --enable-source-maps, a trace through a cached file is mapped as Node maps it", () => {
    const map = Buffer.from(JSON.stringify({ version: 3, sources: ["thrower.ts"], names: [], mappings: "AAAA" })).toString("base64");
    const run = fixture("maps", {
      "node_modules/cdktf/thrower.js": `module.exports = function boom() { throw new Error("boom"); };\n//# sourceMappingURL=data:application/json;base64,${map}\n`,
      "bundle/main.cjs": `try { require("../node_modules/cdktf/thrower.js")(); } catch (e) { process.stdout.write(e.stack.split("\\n")[1]); }\n`,
    });
    const runs = threeWays(run, [], { NODE_OPTIONS: "--enable-source-maps" });
    expect(runs[0]!.stdout).toContain("thrower.ts");
    for (const r of runs) expect([r.code, r.stdout], r.stderr).toEqual([0, runs[0]!.stdout]);
  });

  it("an entry compiled from another wrapper of the same bundle (another launcher) is never run", () => {
    const source = `process.stdout.write(typeof exports);\n`;
    const run = fixture("wrapper", { "bundle/main.cjs": source });
    // What a launcher with a same-length wrapper (one parameter renamed) would cache for this
    // bundle, at the name of an entry keyed by the bundle's bytes alone. V8 checks only the length.
    const other = `(function (exportz, require, module, __filename, __dirname) {\n${source}\n})`;
    const make = `const { Script } = require("node:vm"); const s = new Script(${JSON.stringify(other)}, { filename: "x" }); const d = s.createCachedData(); const c = Buffer.alloc(4); c.writeUInt32LE(require("node:zlib").crc32(d)); process.stdout.write(Buffer.concat([c, d]).toString("base64"));`;
    const data = spawnSync(process.execPath, ["-e", make], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } }).stdout;
    mkdirSync(join(work, "wrapper", "cache"), { recursive: true, mode: 0o700 });
    writeFileSync(join(work, "wrapper", "cache", entryName(source, "-")), Buffer.from(data, "base64"), { mode: 0o600 });
    for (const r of [run([]), run([])]) expect([r.code, r.stdout], r.stderr).toEqual([0, "object"]);
  });

  it("works on a Node 20 whose zlib has no crc32 (before 20.15; package.json allows >=20.0.0)", () => {
    const run = fixture("no-crc32", {
      "vendor/dep.js": `module.exports = 42;\n`,
      "bundle/main.cjs": `process.stdout.write(String(require("../vendor/dep.js")));\n`,
      "preload.cjs": `delete require("node:zlib").crc32;\n`,
    });
    const env = { NODE_OPTIONS: `--require ${join(work, "no-crc32", "preload.cjs")}`, MLPLAT_DEBUG_CODE_CACHE: "1" };
    const runs = [run([], env), run([], env)];
    for (const r of runs) expect([r.code, r.stdout], r.stderr).toEqual([0, "42"]);
    expect(runs[1]!.stderr).toMatch(/^mlplat: code cache used/);
  });
});
