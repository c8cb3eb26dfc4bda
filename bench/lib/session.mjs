/**
 * The bench's shared state and helpers (bench/run.mjs creates one session and hands it to every
 * section in lib/sections/): the temporary folder, the runner, the snapshot of the build the
 * bench times, the reference blueprints, and the tables the report is written from (rows,
 * ratios, loads, notes).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { basename, join } from "node:path";
import { compareStacks, writeFloorProgram } from "./floor.mjs";
import { Runner, detectGnuTime } from "./measure.mjs";

/**
 * Sets up a run: builds (unless `build` is false), snapshots the build, stages the reference
 * blueprints. Exits the process when the CLI does not start, as nothing could be measured.
 */
export function createSession({ ROOT, BENCH, build, quick, RUNS, warmup, SCALE_SIZES, log, LOUD }) {
  const NODE = process.execPath;
  // The CLI the bench times: a snapshot of the build (see below), so that a rebuild by someone
  // else in the same checkout during the run cannot time a half-written dist/.
  let MLPLAT = join(ROOT, "bin", "mlplat.js");
  const tmp = mkdtempSync(join(os.tmpdir(), "mlplat-bench-"));
  const gnuTime = detectGnuTime();
  const runner = new Runner({ tmp, gnuTime });
  const projectRequire = createRequire(join(ROOT, "package.json"));
  const notes = [];
  const rows = []; // measurements
  const loads = []; // what each command loads
  const ratios = []; // comparisons
  const loadStart = os.loadavg();

  log(`mlplat bench: ${quick ? "quick" : "full"} (${JSON.stringify(RUNS)}), temp ${tmp}`);
  log(`peak memory: ${gnuTime ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS of every Node process (no GNU time)"}`);

  if (build) {
    log("building (npm run build) so the bench times the current sources …");
    const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) {
      const out = (r.stdout + r.stderr).trim().split("\n");
      notes.push(`\`npm run build\` failed (exit ${r.status}); the bench ran on what dist/ held: ${out.slice(0, 3).join(" / ")}`);
      LOUD(`npm run build failed (exit ${r.status}); timing whatever dist/ holds`);
      log(out.slice(0, 10).join("\n"));
    }
  }
  if (spawnSync(NODE, [MLPLAT, "--version"], { encoding: "utf8" }).status !== 0) {
    LOUD("bin/mlplat.js does not start: run `npm run build`");
    process.exit(1);
  }
  // Snapshot of the built package (bin, dist, package.json, cdktf.json, the catalog data it reads
  // at run time) with a link to the project's node_modules: `npm run build` empties dist/bundle
  // first, and a build started by anyone else mid-run would otherwise fail every later row.
  const APP = join(tmp, "app");
  for (const rel of ["bin", "dist", "package.json", "cdktf.json", join("src", "catalog", "data")]) cpSync(join(ROOT, rel), join(APP, rel), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(APP, "node_modules"));
  MLPLAT = join(APP, "bin", "mlplat.js");
  if (spawnSync(NODE, [MLPLAT, "--version"], { encoding: "utf8" }).status !== 0) {
    LOUD("the snapshot of the build does not start (was dist/ being rebuilt?): rerun the bench");
    process.exit(1);
  }

  const blueprintsDir = join(tmp, "blueprints");
  mkdirSync(blueprintsDir, { recursive: true });
  /** Copies a blueprint into the temp folder, so no run writes beside the repository's files. */
  function stage(file, name = basename(file)) {
    const to = join(blueprintsDir, name);
    copyFileSync(file, to);
    return to;
  }
  function reference(cloud) {
    const dir = join(ROOT, "blueprints");
    const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`${cloud}-`) && f.endsWith(".yaml")).sort() : [];
    if (found.length) return join(dir, found[0]);
    if (cloud === "aws") return join(ROOT, "test", "fixtures", "spec-example.yaml");
    return undefined;
  }
  const REFS = Object.fromEntries(["aws", "gcp", "azure"].map((c) => [c, reference(c)]).filter(([, f]) => f));

  /** The one stack folder under a synth output. */
  function stackOf(outDir) {
    const stacks = readdirSync(join(outDir, "stacks"));
    return { name: stacks[0], json: join(outDir, "stacks", stacks[0], "cdk.tf.json") };
  }

  /** A folder for a floor program, with the project's node_modules, as in any cdktf project. */
  function floorDir(id) {
    const dir = join(tmp, "floor", id);
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    return dir;
  }

  /**
   * A floor program of a synthesized stack (lib/floor.mjs), run once and checked to render the
   * same cdk.tf.json as mlplat (the bench fails loudly otherwise). `kind`: "bare" (the provider
   * classes), "generic" (cdktf's generic TerraformResource / TerraformDataSource /
   * TerraformProvider for every element, so no provider package is loaded or constructed: issue
   * 19) or "no token stacks" (bare, with cdktf's per-token stack traces off as mlplat runs cdktf).
   * Returns the program's `steps` for measureInterleaved and what writeFloorProgram returned.
   */
  const FLOOR_KINDS = {
    bare: { opts: {}, out: "out" },
    generic: { opts: { genericOnly: true }, out: "out-generic" },
    "no token stacks": { opts: { noTokenStacks: true }, out: "out-no-token-stacks" },
  };
  async function checkedFloor(stack, fdir, kind) {
    const { opts, out: outName } = FLOOR_KINDS[kind];
    const floor = await writeFloorProgram({ stackJsonPath: stack.json, stackName: stack.name, dir: fdir, projectRequire, ...opts });
    const out = join(fdir, outName);
    const steps = () => [{ cmd: NODE, args: [floor.program, out], cwd: fdir, label: `floor (${kind})` }];
    runner.step(steps()[0]);
    const diff = compareStacks(stack.json, join(out, "stacks", stack.name, "cdk.tf.json"));
    if (diff) throw new Error(`the ${kind} floor of ${stack.name} does not render the same Terraform as mlplat: ${diff}`);
    return { steps, floor };
  }

  // mlplat's compiled-code cache (src/cli/code-cache.ts) lives in the bench's temp folder: the
  // untimed first run of each command writes it, the measured runs use it, as a user's do after
  // their first run. Rows "no code cache" measure the other case.
  const mlplat = (args, extra = {}) => ({ cmd: NODE, args: [MLPLAT, ...args], cwd: tmp, label: `mlplat ${args[0]}`, ...extra, env: { MLPLAT_CACHE_DIR: join(tmp, "code-cache"), ...extra.env } });

  function record(section, name, stats, extra = {}) {
    rows.push({ section, name, ...stats, ...extra });
    return stats;
  }
  /** A ratio of two measurements, on wall time (the target's measure) and on CPU time. */
  const over = (a, b, key = "ms") => (a?.[key] === undefined || b?.[key] === undefined ? undefined : a[key] / b[key]);
  const ratio = (a, b) => ({ value: over(a, b), cpu: over(a, b, "cpuMs") });
  function compare(name, { value, cpu } = {}, target, { higherIsBetter = false, unit = "x", note } = {}) {
    const ok = (v) => (v === undefined || target === undefined ? undefined : higherIsBetter ? v >= target : v <= target);
    ratios.push({ name, value, cpu, target, higherIsBetter, unit, met: ok(value), metCpu: ok(cpu), note });
  }

  async function guard(name, fn) {
    try {
      await fn();
    } catch (err) {
      LOUD(`${name} failed: ${err.message.split("\n")[0]}`);
      log(err.message);
      notes.push(`**${name} failed**: ${err.message.split("\n").slice(0, 6).join(" / ")}`);
    }
  }

  return {
    ROOT, BENCH, NODE, MLPLAT, APP, tmp, gnuTime, runner, projectRequire, notes, rows, loads, ratios, loadStart,
    RUNS, warmup, SCALE_SIZES, quick, log, LOUD, REFS, blueprintsDir,
    stage, stackOf, floorDir, checkedFloor, mlplat, record, over, ratio, compare, guard,
  };
}
