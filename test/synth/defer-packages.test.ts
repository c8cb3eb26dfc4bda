import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * stacks/common/defer-packages.ts (issue 19): synth no longer loads archiver (cdktf needs it only
 * to zip assets) nor semver (only a ValidateBinaryVersion uses it), and anything that does use
 * them still gets the real package. Runs the built CLI
 * and the compiled module in child processes, since Node's module cache is per process.
 */
const root = resolve(__dirname, "../..");
const hook = (dir: string) => {
  const file = join(dir, "exit-hook.cjs");
  writeFileSync(
    file,
    `process.on("exit", () => { const k = Object.keys(require("module")._cache); require("fs").writeFileSync(${JSON.stringify(join(dir, "loaded.json"))}, JSON.stringify(k)); });`,
  );
  return file;
};

describe("archiver and semver are loaded only when used", () => {
  it("a synth loads neither archiver, its dependencies nor semver, and writes the stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-archiver-"));
    const r = spawnSync(process.execPath, ["--require", hook(dir), join(root, "bin/mlplat.js"), "synth", join(root, "test/fixtures/spec-example.yaml"), "--out", join(dir, "out"), "--state-dir", join(dir, "state")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const loaded: string[] = JSON.parse(readFileSync(join(dir, "loaded.json"), "utf8"));
    expect(loaded.some((f) => f.includes("/node_modules/cdktf/lib/index.js"))).toBe(true); // cdktf itself did load
    // archiver/index.js is the stand-in's cache entry; nothing of the package or its tree was read.
    expect(loaded.filter((f) => /node_modules\/(archiver|archiver-utils|lodash|zip-stream|compress-commons|readdir-glob)\//.test(f) && !f.endsWith("/node_modules/archiver/index.js"))).toEqual([]);
    // semver/index.js is its stand-in; none of its 45 files was read.
    expect(loaded.filter((f) => /node_modules\/semver\//.test(f) && !f.endsWith("/node_modules/semver/index.js"))).toEqual([]);
    expect(existsSync(join(dir, "out", "stacks", "spec-example-default", "cdk.tf.json")) || readFileSync(join(dir, "out", "manifest.json"), "utf8").includes("cdk.tf.json")).toBe(true);
  });

  it("the stand-in hands over to the real archiver on first use, and cdktf's archiveSync still zips", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-archiver-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "a.txt"), "hello");
    const script = `
      const { deferPackages } = await import(${JSON.stringify(join(root, "dist/stacks/common/defer-packages.js"))});
      const { createRequire } = await import("node:module");
      deferPackages();
      const require = createRequire(${JSON.stringify(join(root, "package.json"))});
      const fsFile = require.resolve("cdktf/lib/private/fs.js");
      const archiverPath = createRequire(fsFile).resolve("archiver");
      const cdktfFs = require(fsFile);
      const before = Object.keys(require.cache).filter((f) => f.includes("/node_modules/archiver/")).length;
      const archive = require(archiverPath)("zip", {});
      const after = Object.keys(require.cache).filter((f) => f.includes("/node_modules/archiver/")).length;
      cdktfFs.archiveSync(${JSON.stringify(join(dir, "src"))}, ${JSON.stringify(join(dir, "out.zip"))});
      console.log(JSON.stringify({ before, after, pipe: typeof archive.pipe, directory: typeof archive.directory }));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(out.before).toBe(1); // only the stand-in's cache entry
    expect(out.after).toBeGreaterThan(1); // the real package and its files
    expect(out).toMatchObject({ pipe: "function", directory: "function" });
    expect(existsSync(join(dir, "out.zip"))).toBe(true);
    expect(readFileSync(join(dir, "out.zip")).subarray(0, 2).toString()).toBe("PK");
  });

  it("the semver stand-in hands over on first use: cdktf's ValidateBinaryVersion still compares versions", () => {
    const script = `
      const { deferPackages } = await import(${JSON.stringify(join(root, "dist/stacks/common/defer-packages.js"))});
      const { createRequire } = await import("node:module");
      deferPackages();
      const require = createRequire(${JSON.stringify(join(root, "package.json"))});
      const file = require.resolve("cdktf/lib/validations/validate-binary-version.js");
      const semverFiles = () => Object.keys(require.cache).filter((f) => f.includes("/node_modules/semver/")).length;
      const { ValidateBinaryVersion } = require(file);
      const before = semverFiles();
      const command = JSON.stringify(process.execPath) + " --version";
      const ok = new ValidateBinaryVersion("node", ">=1.0.0", command).validate();
      const tooOld = new ValidateBinaryVersion("node", ">=9999.0.0", command).validate();
      console.log(JSON.stringify({ before, after: semverFiles(), ok, tooOld }));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(out.before).toBe(1); // only the stand-in's cache entry
    expect(out.after).toBeGreaterThan(1); // the real package and its files
    expect(out.ok).toEqual([]);
    expect(out.tooOld).toHaveLength(1);
    expect(out.tooOld[0]).toMatch(/lower than the required version >=9999\.0\.0/);
  });
});
