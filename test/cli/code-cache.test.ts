import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheDir, commandOf, entryName } from "../../src/cli/code-cache.js";
import { BIN } from "../helpers/cli.js";

/**
 * src/cli/code-cache.ts: the built CLI runs its bundle through a V8 code cache. These run the
 * built CLI with the cache in a private temporary folder and look at what it wrote and used
 * (MLPLAT_DEBUG_CODE_CACHE=1 says it on stderr).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-code-cache-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const BLUEPRINT = new URL("../../blueprints/aws-sagemaker-scoring.yaml", import.meta.url).pathname;

function run(dir: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: "true", NO_COLOR: "1", MLPLAT_CACHE_DIR: dir, MLPLAT_DEBUG_CODE_CACHE: "1", MLPLAT_NO_CODE_CACHE: "", ...extra },
    encoding: "utf8",
  });
  const use = /mlplat: code cache (\w+)/.exec(r.stderr)?.[1];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^mlplat: code cache .*\n/m, ""), use };
}

const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8"));

describe("the code cache of the built CLI", () => {
  it("is written after the first successful run of a command, private, and used by the next with the same output", () => {
    const dir = join(work, "fresh");
    const first = run(dir, ["validate", BLUEPRINT]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.use).toBe("none");
    expect(entries(dir)).toEqual([expect.stringMatching(/^validate-[0-9a-f]{32}\.v8$/)]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, entries(dir)[0]!)).mode & 0o777).toBe(0o600);
    const second = run(dir, ["validate", BLUEPRINT]);
    expect(second.use).toBe("used");
    expect([second.code, second.stdout, second.stderr]).toEqual([first.code, first.stdout, first.stderr]);
    // Another command has its own entry.
    expect(run(dir, ["catalog", "gpus"]).use).toBe("none");
    expect(entries(dir).map((f) => f.split("-")[0]).sort()).toEqual(["catalog", "validate"]);
  });

  it("removes a temporary file a killed run left more than an hour ago when it writes an entry, and keeps a recent one", () => {
    const dir = join(work, "leftovers");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const old = join(dir, `.validate-${"a".repeat(32)}.v8.4242.0badc0de.tmp`);
    const recent = join(dir, `.validate-${"b".repeat(32)}.v8.4243.0badc0de.tmp`);
    const other = join(dir, ".notes.tmp"); // not a name the cache writes: never touched
    for (const f of [old, recent, other]) writeFileSync(f, "partial", { mode: 0o600 });
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const f of [old, other]) utimesSync(f, hoursAgo, hoursAgo);
    expect(run(dir, ["validate", BLUEPRINT]).use).toBe("none");
    expect([existsSync(old), existsSync(recent), existsSync(other)]).toEqual([false, true, true]);
  });

  it("writes nothing after a failing run", () => {
    const dir = join(work, "failing");
    const r = run(dir, ["validate", join(work, "missing.yaml")]);
    expect(r.code).not.toBe(0);
    expect(existsSync(dir) ? entries(dir) : []).toEqual([]);
  });

  it("rejects a damaged entry, still runs correctly, and rewrites it", () => {
    const dir = join(work, "damaged");
    const clean = run(dir, ["validate", BLUEPRINT]);
    const [entry] = entries(dir);
    const bytes = readFileSync(join(dir, entry!));
    bytes.fill(7, 64, 4096); // same length, different content
    writeFileSync(join(dir, entry!), bytes);
    const r = run(dir, ["validate", BLUEPRINT]);
    expect(r.use).toBe("rejected");
    expect([r.code, r.stdout, r.stderr]).toEqual([clean.code, clean.stdout, clean.stderr]);
    expect(run(dir, ["validate", BLUEPRINT]).use).toBe("used");
  });

  it("lets V8 reject an entry compiled with other V8 flags, and rewrites it", () => {
    const dir = join(work, "flags");
    const clean = run(dir, ["validate", BLUEPRINT]);
    const other = run(dir, ["validate", BLUEPRINT], { NODE_OPTIONS: "--max-semi-space-size=8" });
    expect(other.use).toBe("rejected");
    expect([other.code, other.stdout, other.stderr]).toEqual([clean.code, clean.stdout, clean.stderr]);
    expect(run(dir, ["validate", BLUEPRINT], { NODE_OPTIONS: "--max-semi-space-size=8" }).use).toBe("used");
  });

  it.skipIf(process.platform === "win32" || process.getuid?.() === undefined)("never uses a folder others can write, a linked folder, or an entry with another name", () => {
    const open = join(work, "open");
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o777);
    expect(run(open, ["validate", BLUEPRINT]).use).toBe("unsafe");
    expect(entries(open)).toEqual([]);

    const real = join(work, "real");
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(work, "linked"));
    expect(run(join(work, "linked"), ["validate", BLUEPRINT]).use).toBe("unsafe");
    expect(entries(real)).toEqual([]);

    // An entry hard-linked from elsewhere (two names) is not read.
    const dir = join(work, "hardlinked");
    run(dir, ["validate", BLUEPRINT]);
    const [entry] = entries(dir);
    linkSync(join(dir, entry!), join(work, "elsewhere.v8"));
    expect(run(dir, ["validate", BLUEPRINT]).use).toBe("none");
  });

  it("caches the files a synth loads from node_modules and dist/vendor in one pack, keeping another cloud's", () => {
    const dir = join(work, "deps");
    const root = new URL("../../", import.meta.url).pathname;
    const synth = (bp: string) => run(dir, ["synth", join(root, "blueprints", bp), "--out", join(work, "deps-out", bp), "--state-dir", join(work, "deps-state")]);
    const first = synth("aws-sagemaker-scoring.yaml");
    expect(first.code, first.stderr).toBe(0);
    const pack = () => readdirSync(dir).find((f) => f.endsWith(".deps.v8"))!;
    expect(pack()).toMatch(/^synth-[0-9a-f]{32}\.deps\.v8$/);
    const packed = () => readFileSync(join(dir, pack())).toString("latin1");
    expect(packed()).toContain("/dist/vendor/@cdktf/provider-aws/lib/");
    expect(packed()).toContain("/node_modules/cdktf/lib/");
    const entry = () => join(dir, readdirSync(dir).find((f) => /^synth-[0-9a-f]{32}\.v8$/.test(f))!);
    const awsEntry = statSync(entry()).size;
    // A GCP synth adds its providers and keeps AWS's, and rewrites the command's entry with the
    // GCP code it ran besides AWS's; the next AWS and GCP synths rewrite nothing.
    const gcp = synth("gcp-platform.yaml");
    expect([gcp.code, gcp.use]).toEqual([0, "used"]);
    expect(packed()).toContain("/dist/vendor/@cdktf/provider-google/lib/");
    expect(packed()).toContain("/dist/vendor/@cdktf/provider-aws/lib/");
    expect(statSync(entry()).size).toBeGreaterThan(awsEntry);
    const before = [statSync(join(dir, pack())).mtimeMs, statSync(entry()).mtimeMs];
    for (const bp of ["aws-sagemaker-scoring.yaml", "gcp-platform.yaml"]) {
      const again = synth(bp);
      expect([again.code, again.use]).toEqual([0, "used"]);
    }
    expect([statSync(join(dir, pack())).mtimeMs, statSync(entry()).mtimeMs]).toEqual(before);
  });

  it("is off with MLPLAT_NO_CODE_CACHE=1", () => {
    const dir = join(work, "off");
    const r = run(dir, ["validate", BLUEPRINT], { MLPLAT_NO_CODE_CACHE: "1" });
    expect([r.code, r.use]).toEqual([0, "off"]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("bin/mlplat.js without a build", () => {
  it("says how to build, exit 70, no trace", () => {
    const root = join(work, "unbuilt");
    mkdirSync(join(root, "bin"), { recursive: true });
    for (const f of ["mlplat.js", "package.json"]) writeFileSync(join(root, "bin", f), readFileSync(new URL(`../../bin/${f}`, import.meta.url)));
    const r = spawnSync(process.execPath, [join(root, "bin", "mlplat.js"), "--help"], { encoding: "utf8" });
    expect(r.status).toBe(70);
    expect(r.stderr).toBe("mlplat: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the mlplat folder.\n");
  });
});

describe("cache keys", () => {
  it("name an entry by command and by the bundle's bytes, not only its length", () => {
    expect(entryName("a = 1", "synth")).toMatch(/^synth-[0-9a-f]{32}\.v8$/);
    expect(entryName("a = 1", "synth")).not.toBe(entryName("a = 2", "synth"));
    expect(entryName("a = 1", "synth")).not.toBe(entryName("a = 1", "validate"));
    expect(commandOf(["node", "mlplat", "synth", "x.yaml"])).toBe("synth");
    expect(commandOf(["node", "mlplat", "--help"])).toBe("-");
    expect(commandOf(["node", "mlplat", "../../etc"])).toBe("-");
  });

  it("take the folder from MLPLAT_CACHE_DIR, else XDG_CACHE_HOME", () => {
    expect(cacheDir({ MLPLAT_CACHE_DIR: join(work, "env-dir") })).toBe(join(work, "env-dir"));
    expect(cacheDir({ XDG_CACHE_HOME: join(work, "xdg") })).toBe(join(work, "xdg", "mlplat"));
    expect(cacheDir({ MLPLAT_NO_CODE_CACHE: "1", MLPLAT_CACHE_DIR: join(work, "never") })).toBeUndefined();
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});
