import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The package as a user gets it: `npm pack` of this checkout (built by `npm test`), installed into
 * an empty project with `npm install <tarball>` and globally with `npm install -g`, then the CLI run
 * from there. Dependencies come from the npm cache that `npm ci` filled (`--prefer-offline`).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-pack-"));
let tarball: string;
const npm = (args: string[], cwd: string) =>
  spawnSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_loglevel: "error" } });

beforeAll(() => {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { encoding: "utf8" });
  tarball = join(work, (JSON.parse(out) as { filename: string }[])[0]!.filename);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm pack", () => {
  it("ships what the CLI needs at run time and nothing else", () => {
    const files = (JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], { encoding: "utf8" })) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const needed of ["bin/mlplat.js", "dist/bundle/main.cjs", "dist/bundle/launch.cjs", "bin/package.json", "dist/vendor/package.json", "dist/vendor/@cdktf/provider-aws/lib/eks-cluster/index.js", "src/catalog/data/instances.json", "src/catalog/data/quotas.json", "blueprints/llm-serving.yaml", "blueprints/blueprint.schema.json", "LICENSE", "README.md"])
      expect(files, needed).toContain(needed);
    // blueprints/pipelines/: the pipeline definitions continuous-training names, which `mlplat init`
    // copies (npm adds the READMEs of the folders it ships from).
    expect(files).toContain("blueprints/pipelines/retrain-fraud.sagemaker.json");
    expect(files.filter((f) => /^(test|bench|scripts|examples\/(?!(pipelines\/[\w.-]+\.(json|yaml)|(pipelines\/)?README\.md)$)|stacks|src\/(?!catalog\/data\/))/.test(f) || f.endsWith(".ts") || f.endsWith(".map"))).toEqual([]);
  });

  it("passes npm publish --dry-run", () => {
    const r = spawnSync("npm", ["publish", "--dry-run", "--ignore-scripts"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain("mlplat@");
  });
});

describe("installed from the tarball", () => {
  it("into an empty project: npx mlplat --version, init, validate, synth", () => {
    const proj = join(work, "project");
    mkdirSync(proj);
    writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "platform-team", version: "1.0.0", private: true }));
    const install = npm(["install", tarball], proj);
    expect(install.status, install.stderr).toBe(0);
    const npx = (...args: string[]) => spawnSync("npx", ["--no-install", "mlplat", ...args], { cwd: proj, encoding: "utf8", env: { ...process.env, CI: "true" }, timeout: 120_000 });
    expect(npx("--version").stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(npx("init", "plat", "--template", "llm-serving").status).toBe(0);
    const v = npx("validate", "plat/platform.yaml");
    expect(v.status, v.stderr).toBe(0);
    const s = npx("synth", "plat/platform.yaml", "--out", "out");
    expect(s.status, s.stderr).toBe(0);
    expect(existsSync(join(proj, "out", "stacks", "llm-serving-default", "cdk.tf.json"))).toBe(true);
  });

  it("globally (npm install -g): the mlplat command runs", () => {
    const prefix = join(work, "global");
    const install = npm(["install", "-g", "--prefix", prefix, tarball], work);
    expect(install.status, install.stderr).toBe(0);
    const bin = resolve(prefix, "bin", "mlplat");
    const r = spawnSync(bin, ["catalog", "gpus", "--gpu", "L4", "--cloud", "gcp"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("g2-standard-4");
    expect(readdirSync(join(prefix, "lib", "node_modules"))).toContain("mlplat");
  });
});
