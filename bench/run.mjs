#!/usr/bin/env node
/**
 * mlplat benchmark (`npm run bench`): medians over several runs and ratios against baselines
 * measured in the same run, interleaved, on the same machine. Writes bench/results.md.
 *
 *   node bench/run.mjs [--quick] [--runs N] [--only loads,validate,synth,scale,plan] [--no-build] [--keep] [--help]
 *
 * --quick      1-2 runs per item (checks that everything works; numbers are rough)
 * --runs N     runs of the fast items (default 7; slow items scale with it)
 * --only LIST  run some sections only (results.md is then not written unless --write)
 * --no-build   do not compile dist/ first (the bench times bin/mlplat.js, which runs dist/)
 * --keep       keep the temporary folder (generated blueprints, floor programs, outputs)
 * --help       print this and exit
 *
 * A run that writes results.md also writes the ratios into bench/README.md and the figures of
 * README.md's "Performance" section (lib/readme-figures.mjs; test/readme/bench-figures.test.ts).
 * See bench/README.md for what each row measures and why the baselines are fair.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareStacks, writeFloorProgram } from "./lib/floor.mjs";
import { Runner, detectGnuTime, fmtMB, fmtMs, measureInterleaved, runVariant } from "./lib/measure.mjs";
import { analyzeLoads, readModuleLog } from "./lib/loads.mjs";
import { scaleBlueprint } from "./lib/scale-blueprint.mjs";
import { readmeFigures, withReadmeFigures } from "./lib/readme-figures.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, "..");
// The CLI the bench times: a snapshot of the build (see below), so that a rebuild by someone
// else in the same checkout during the run cannot time a half-written dist/.
let MLPLAT = join(ROOT, "bin", "mlplat.js");
const NODE = process.execPath;
const CDKTF_CLI_VERSION = JSON.parse(readFileSync(join(BENCH, "package.json"), "utf8")).dependencies["cdktf-cli"];
const started = Date.now();

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (flag("--help") || flag("-h")) {
  const src = readFileSync(fileURLToPath(import.meta.url), "utf8");
  process.stdout.write(src.slice(src.indexOf("/**") + 3, src.indexOf("*/")).replace(/^ \* ?/gm, "").trim() + "\n");
  process.exit(0);
}
const quick = flag("--quick");
const fastRuns = Number(value("--runs") ?? (quick ? 2 : 7));
const RUNS = {
  fast: fastRuns, // validate, node -e 0, synth and floor of the reference blueprints
  cli: Math.max(1, Math.round(fastRuns * 3 / 7)), // cdktf-cli synth (~5 s each)
  scaleSmall: Math.max(1, Math.round(fastRuns * 5 / 7)), // 10 and 100 items
  scaleLarge: Math.max(1, Math.round(fastRuns * 3 / 7)), // 300 items
  plan: Math.max(1, Math.round(fastRuns * 3 / 7)), // terraform init + plan (~10 s each)
};
const warmup = 1;
const only = value("--only")?.split(",");
const section = (name) => !only || only.includes(name);
const writeResults = !only || flag("--write");
const SCALE_SIZES = [10, 100, 300];

const log = (s = "") => process.stderr.write(s + "\n");
const LOUD = (s) => log(`\n${"!".repeat(78)}\n!! ${s}\n${"!".repeat(78)}\n`);

// ---------------------------------------------------------------- setup
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

if (!flag("--no-build")) {
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
 * The generic-class floor of a synthesized stack (issue 19): the same program with cdktf's
 * generic TerraformResource / TerraformDataSource / TerraformProvider for every element, so no
 * provider package is loaded or constructed. Checked to render the same cdk.tf.json.
 */
async function genericFloor(stack, fdir) {
  const floor = await writeFloorProgram({ stackJsonPath: stack.json, stackName: stack.name, dir: fdir, projectRequire, genericOnly: true });
  const out = join(fdir, "out-generic");
  const steps = () => [{ cmd: NODE, args: [floor.program, out], cwd: fdir, label: "generic floor" }];
  runner.step(steps()[0]);
  const diff = compareStacks(stack.json, join(out, "stacks", stack.name, "cdk.tf.json"));
  if (diff) throw new Error(`the generic-class floor of ${stack.name} does not render the same Terraform as mlplat: ${diff}`);
  return { steps, floor };
}

const mlplat = (args, extra = {}) => ({ cmd: NODE, args: [MLPLAT, ...args], cwd: tmp, label: `mlplat ${args[0]}`, ...extra });

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

// ---------------------------------------------------------------- cdktf-cli
function ensureCdktfCli() {
  const pkg = join(BENCH, "node_modules", "cdktf-cli", "package.json");
  const installed = () => existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).version === CDKTF_CLI_VERSION;
  if (!installed()) {
    log(`installing cdktf-cli@${CDKTF_CLI_VERSION} into bench/node_modules (npm install --prefix bench) …`);
    const r = spawnSync("npm", ["install", "--prefix", BENCH, "--no-audit", "--no-fund"], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0 || !installed()) {
      const msg = `cdktf-cli@${CDKTF_CLI_VERSION} could not be installed (npm install --prefix bench exited ${r.status}); the cdktf-cli baseline is MISSING from this run`;
      LOUD(msg);
      log((r.stderr || "").trim().split("\n").slice(-8).join("\n"));
      notes.push(`**${msg}.** npm said: ${(r.stderr || "").trim().split("\n").slice(-3).join(" / ")}`);
      return undefined;
    }
  }
  const bin = JSON.parse(readFileSync(pkg, "utf8")).bin.cdktf;
  return join(BENCH, "node_modules", "cdktf-cli", bin);
}

// ---------------------------------------------------------------- 0. what each command loads
if (section("loads")) {
  await guard("loading check", async () => {
    log("\n== what each command loads (one run each, with a module log)");
    const moduleLog = join(tmp, "modules.txt");
    const logged = (args) => {
      rmSync(moduleLog, { force: true });
      const r = spawnSync(NODE, ["--import", new URL("./lib/module-log.mjs", import.meta.url).href, MLPLAT, ...args], { cwd: tmp, env: { ...process.env, BENCH_MODULE_LOG: moduleLog }, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`mlplat ${args[0]} exited ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-3).join(" / ")}`);
      return readModuleLog(moduleLog);
    };
    const bp = stage(REFS.aws, "loads-aws.yaml");
    for (const [name, args] of [["--help", ["--help"]], ["validate", ["validate", bp]], ["schema", ["schema"]], ["catalog gpus", ["catalog", "gpus"]], ["cost", ["cost", bp]]]) {
      let files;
      try {
        files = logged(args);
      } catch (err) {
        loads.push({ name: `mlplat ${name}`, error: err.message.split("\n")[0] });
        continue;
      }
      loads.push({ name: `mlplat ${name}`, ...analyzeLoads(files) });
    }
    for (const [cloud, file] of Object.entries(REFS)) {
      const out = join(tmp, "loads", cloud);
      const files = logged(["synth", stage(file, `loads-${cloud}.yaml`), "--out", out, "--state-dir", join(tmp, "loads", "state")]);
      loads.push({ name: `mlplat synth ${cloud}`, ...analyzeLoads(files, { cloud, stackJson: stackOf(out).json }) });
    }
    for (const l of loads) log(`  ${l.name.padEnd(22)} ${l.error ?? `${l.files} files; ${l.problems.join("; ") || "ok"}${l.unused?.length ? `; ${l.unused.length} provider submodules the output does not use` : ""}`}`);
  });
}

// ---------------------------------------------------------------- 1. validate
if (section("validate")) {
  await guard("validate", async () => {
    log("\n== validate vs bare node start");
    const bp = stage(REFS.aws, "validate-aws.yaml");
    const res = measureInterleaved(
      runner,
      [
        { name: "node -e 0", steps: () => [{ cmd: NODE, args: ["-e", "0"], label: "node -e 0" }] },
        { name: `mlplat validate ${basename(REFS.aws)}`, steps: () => [mlplat(["validate", bp])] },
        { name: "mlplat --help", steps: () => [mlplat(["--help"])] },
      ],
      { rounds: RUNS.fast, warmup, log },
    );
    const [bare, validate, help] = Object.entries(res).map(([name, s]) => record("validate", name, s));
    compare(`validate ÷ node -e 0`, ratio(validate, bare), 3);
    compare(`--help ÷ node -e 0`, ratio(help, bare), undefined, { note: "no target in the issue; shown because every command pays this start-up" });
  });
}

// ---------------------------------------------------------------- 2. synth per cloud
if (section("synth")) {
  const cli = ensureCdktfCli();
  for (const [cloud, file] of Object.entries(REFS)) {
    await guard(`synth ${cloud}`, async () => {
      log(`\n== synth ${cloud}: ${relative(ROOT, file)}`);
      const bp = stage(file, `synth-${cloud}.yaml`);
      const out = join(tmp, "synth", cloud, "mlplat");
      const state = join(tmp, "synth", cloud, "state");
      const synthStep = () => [mlplat(["synth", bp, "--out", out, "--state-dir", state])];
      runner.step(synthStep()[0]); // first run: the output the floor is generated from
      const stack = stackOf(out);
      const fdir = floorDir(cloud);
      const floor = await (writeFloorProgram({ stackJsonPath: stack.json, stackName: stack.name, dir: fdir, projectRequire }));
      const floorOut = join(fdir, "out");
      runner.step({ cmd: NODE, args: [floor.program, floorOut], cwd: fdir, label: "floor" });
      const diff = compareStacks(stack.json, join(floorOut, "stacks", stack.name, "cdk.tf.json"));
      if (diff) throw new Error(`the floor program for ${cloud} does not render the same Terraform as mlplat: ${diff}`);
      const generic = await genericFloor(stack, fdir);
      notes.push(`synth ${cloud} (${relative(ROOT, file)}): ${floor.resources} resources, ${floor.classes} provider classes${floor.generic.length ? ` (generic cdktf classes for ${floor.generic.join(", ")}: no prebuilt bindings)` : ""}; the floor renders the same cdk.tf.json (checked, \`//\` metadata aside).`);
      const variants = [
        { name: `mlplat synth ${cloud}`, steps: synthStep },
        { name: `floor ${cloud} (bare cdktf)`, steps: () => [{ cmd: NODE, args: [floor.program, floorOut], cwd: fdir, label: "floor" }] },
        { name: `generic floor ${cloud} (TerraformResource)`, steps: generic.steps },
      ];
      const cliOut = join(tmp, "synth", cloud, "cdktf-cli");
      if (cli) {
        variants.push({
          name: `cdktf-cli synth ${cloud}`,
          runs: RUNS.cli,
          warmup: false,
          steps: () => [
            {
              cmd: NODE,
              args: [cli, "synth", "--output", cliOut],
              cwd: APP, // the project's cdktf.json, in the build snapshot
              env: { MLPLAT_BLUEPRINT: bp, MLPLAT_STATE_DIR: state, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true", CI: "1", FORCE_COLOR: "0" },
              label: "cdktf synth",
              after: () => {
                if (!existsSync(join(cliOut, "stacks", stack.name, "cdk.tf.json"))) throw new Error(`cdktf synth wrote no ${stack.name}/cdk.tf.json`);
              },
            },
          ],
        });
      }
      const res = measureInterleaved(runner, variants, { rounds: RUNS.fast, warmup, log });
      const m = record("synth", variants[0].name, res[variants[0].name]);
      const f = record("synth", variants[1].name, res[variants[1].name]);
      const g = record("synth", variants[2].name, res[variants[2].name]);
      compare(`synth ${cloud} ÷ bare cdktf floor`, ratio(m, f), 1.3);
      compare(`synth ${cloud} ÷ generic-class floor`, ratio(m, g), 1.3);
      if (cli) {
        const c = record("synth", variants[3].name, res[variants[3].name]);
        compare(`cdktf-cli synth ${cloud} ÷ mlplat synth`, ratio(c, m), 5, { higherIsBetter: true });
      } else {
        compare(`cdktf-cli synth ${cloud} ÷ mlplat synth`, {}, 5, { higherIsBetter: true, note: "MISSING: cdktf-cli not installed" });
      }
    });
  }
}

// ---------------------------------------------------------------- 3. scaling
if (section("scale")) {
  await guard("scaling", async () => {
    log("\n== scaling: generated AWS blueprints (half CPU node pools, half kubernetes CPU endpoints)");
    const bySize = {};
    for (const items of SCALE_SIZES) {
      const bp = join(blueprintsDir, `scale-${items}.yaml`);
      writeFileSync(bp, scaleBlueprint(items));
      const out = join(tmp, "scale", String(items), "mlplat");
      const state = join(tmp, "scale", String(items), "state");
      const synthStep = () => [mlplat(["synth", bp, "--out", out, "--state-dir", state])];
      runner.step(synthStep()[0]);
      const stack = stackOf(out);
      const fdir = floorDir(`scale-${items}`);
      const floor = await (writeFloorProgram({ stackJsonPath: stack.json, stackName: stack.name, dir: fdir, projectRequire }));
      const floorOut = join(fdir, "out");
      const floorStep = () => [{ cmd: NODE, args: [floor.program, floorOut], cwd: fdir, label: "floor" }];
      runner.step(floorStep()[0]);
      const diff = compareStacks(stack.json, join(floorOut, "stacks", stack.name, "cdk.tf.json"));
      if (diff) throw new Error(`the floor for ${items} items differs from mlplat's output: ${diff}`);
      const generic = await genericFloor(stack, fdir);
      const rounds = items >= 300 ? RUNS.scaleLarge : RUNS.scaleSmall;
      const mName = `mlplat synth ${items} items (${floor.resources} resources)`;
      const fName = `floor ${items} items`;
      const gName = `generic floor ${items} items`;
      const res = measureInterleaved(runner, [{ name: mName, steps: synthStep }, { name: fName, steps: floorStep }, { name: gName, steps: generic.steps }], { rounds, warmup: 0, log });
      bySize[items] = { m: record("scale", mName, res[mName]), f: record("scale", fName, res[fName]), g: record("scale", gName, res[gName]), resources: floor.resources };
    }
    for (const items of SCALE_SIZES) {
      compare(`synth ${items} items ÷ bare cdktf floor`, ratio(bySize[items].m, bySize[items].f), 1.3);
      compare(`synth ${items} items ÷ generic-class floor`, ratio(bySize[items].m, bySize[items].g), 1.3);
    }
    const [small, mid, large] = SCALE_SIZES.map((n) => bySize[n]);
    // Growth per 10x items: the ratio for 10→100, and 10→300 fitted as a power (x^(1/log10 30)).
    const span = SCALE_SIZES[2] / SCALE_SIZES[0];
    const per10x = (a, b, key) => {
      const r = over(b, a, key);
      return r === undefined ? undefined : Math.pow(r, 1 / Math.log10(span));
    };
    const fx = (v) => (v === undefined ? "—" : `${v.toFixed(2)}x`);
    compare(`synth ${SCALE_SIZES[2]} items ÷ ${SCALE_SIZES[0]} items (time)`, ratio(large.m, small.m), 8);
    compare(`synth time growth per 10x items (${SCALE_SIZES[0]}→${SCALE_SIZES[1]})`, ratio(mid.m, small.m), undefined, {
      note: `floor: ${fx(over(mid.f, small.f))} (CPU ${fx(over(mid.f, small.f, "cpuMs"))})`,
    });
    compare(`synth time growth per 10x items (fit ${SCALE_SIZES[0]}→${SCALE_SIZES[2]})`, { value: per10x(small.m, large.m, "ms"), cpu: per10x(small.m, large.m, "cpuMs") }, undefined, {
      note: `floor: ${fx(per10x(small.f, large.f, "ms"))} (CPU ${fx(per10x(small.f, large.f, "cpuMs"))})`,
    });
    compare(`peak memory ${SCALE_SIZES[2]} items ÷ floor`, { value: over(large.m, large.f, "rssKB") }, 1.3);
    compare(`peak memory growth per 10x items (fit ${SCALE_SIZES[0]}→${SCALE_SIZES[2]})`, { value: per10x(small.m, large.m, "rssKB") }, undefined, {
      note: `floor: ${fx(per10x(small.f, large.f, "rssKB"))}`,
    });
  });
}

// ---------------------------------------------------------------- 4. plan
if (section("plan")) {
  await guard("plan", async () => {
    log("\n== mlplat plan --offline vs bare terraform init + plan -refresh=false (AWS)");
    const pending = (why) => {
      LOUD(`plan row PENDING: ${why}`);
      notes.push(`**mlplat plan row pending**: ${why}`);
      compare("mlplat plan --offline ÷ terraform init + plan", {}, undefined, { note: `pending: ${why.split("\n")[0]}` });
    };
    const tf = spawnSync("terraform", ["version"], { encoding: "utf8" });
    if (tf.status !== 0) return pending("terraform is not on PATH");
    const help = spawnSync(NODE, [MLPLAT, "plan", "--help"], { encoding: "utf8" });
    if (help.status !== 0 || !/--offline/.test(help.stdout)) return pending("`mlplat plan --help` does not offer --offline yet");
    const mirrorScript = resolve(ROOT, "..", "shared", "tools", "terraform-mirror.sh");
    if (!existsSync(mirrorScript)) return pending(`no provider mirror script at ${mirrorScript}`);
    // A persistent CLI config (and so plugin cache) across bench runs: the first init copies the
    // AWS provider into the cache; every later init links it, for both sides alike. Nested deep
    // enough that terraform-mirror.sh's search (find / -maxdepth 4 -name registry.terraform.io)
    // does not take this plugin cache for a mirror: terraform then refuses to install the
    // provider "to itself".
    const tfDir = join(os.tmpdir(), "mlplat-bench", "terraform", "cli");
    mkdirSync(tfDir, { recursive: true });
    const mirror = spawnSync("bash", [mirrorScript, join(tfDir, "terraform.rc")], { encoding: "utf8", env: { ...process.env, MIRROR_DIR: process.env.MIRROR_DIR || findMirror() } });
    const m = /export TF_CLI_CONFIG_FILE=(\S+)/.exec(mirror.stdout);
    if (mirror.status !== 0 || !m) return pending(`terraform-mirror.sh found no provider mirror: ${mirror.stderr.trim()}`);
    const env = {
      TF_CLI_CONFIG_FILE: m[1],
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const bp = stage(REFS.aws, "plan-aws.yaml");
    const base = join(tmp, "plan");
    const state = join(base, "state");
    const planStep = (round) => mlplat(["plan", bp, "--offline", "--out", join(base, `mlplat-${round}`), "--state-dir", state], { env });
    try {
      runner.step(planStep("warmup"));
    } catch (err) {
      return pending(`mlplat plan --offline failed: ${err.message}`);
    }
    const stack = stackOf(join(base, "mlplat-warmup"));
    // The same offline-synthesized stack, in a folder of the same depth so the relative local
    // state path in its backend block resolves to the same place.
    const bareDir = (round) => join(base, `bare-${round}`, "stacks", stack.name);
    const tfStep = (round, args, label) => ({ cmd: "terraform", args, cwd: bareDir(round), env, label });
    const res = measureInterleaved(
      runner,
      [
        { name: "mlplat plan --offline (aws)", steps: (round) => [planStep(round)] },
        {
          name: "terraform init + plan -refresh=false",
          prepare: (round) => {
            mkdirSync(bareDir(round), { recursive: true });
            copyFileSync(stack.json, join(bareDir(round), "cdk.tf.json"));
          },
          steps: (round) => [tfStep(round, ["init", "-input=false"], "terraform init"), tfStep(round, ["plan", "-input=false", "-refresh=false", "-out=bench.tfplan"], "terraform plan")],
        },
      ],
      { rounds: RUNS.plan, warmup: 0, log },
    );
    const [mp, bare] = Object.entries(res).map(([name, s]) => record("plan", name, s));
    compare("mlplat plan --offline ÷ terraform init + plan", ratio(mp, bare), undefined, {
      note: `overhead ${fmtMs(mp.ms - bare.ms)} (synth, summary and guard; the plan is read from terraform plan -json, no show -json); no target in the issue`,
    });

    // The repeated plan (issue 19 item 2): a second `mlplat plan --offline` of the unchanged
    // blueprint into the same output folder skips `terraform init`. Its baseline is what it
    // cannot avoid: `mlplat synth --offline` plus a bare `terraform plan -refresh=false` in a
    // folder initialized beforehand (untimed).
    log("\n== repeated mlplat plan --offline (init skipped) vs mlplat synth + bare terraform plan -refresh=false (AWS)");
    const again = join(base, "mlplat-again");
    let skipped = 0;
    let rounds = 0;
    const againStep = () =>
      mlplat(["plan", bp, "--offline", "--out", again, "--state-dir", state], {
        env,
        after: (r) => {
          rounds++;
          if (/init \(skipped/.test(r.stdout + r.stderr)) skipped++;
        },
      });
    runVariant(runner, { steps: () => [againStep()] }, -1); // the first plan: runs init
    rounds = 0;
    const warm = bareDir("again");
    mkdirSync(warm, { recursive: true });
    copyFileSync(stack.json, join(warm, "cdk.tf.json"));
    runner.step(tfStep("again", ["init", "-input=false"], "terraform init"));
    const synthOut = join(base, "synth-only");
    const res2 = measureInterleaved(
      runner,
      [
        { name: "mlplat plan --offline, repeated (aws)", steps: () => [againStep()] },
        {
          name: "mlplat synth --offline + terraform plan -refresh=false",
          steps: () => [mlplat(["synth", bp, "--offline", "--out", synthOut, "--state-dir", state], { env }), tfStep("again", ["plan", "-input=false", "-refresh=false", "-out=bench.tfplan"], "terraform plan")],
        },
      ],
      { rounds: RUNS.plan, warmup: 0, log },
    );
    const [rp, floorPlan] = Object.entries(res2).map(([name, s]) => record("plan", name, s));
    const skipNote = skipped === rounds ? `init skipped in every measured run (${skipped}/${rounds})` : `**init NOT skipped in ${rounds - skipped} of ${rounds} runs**`;
    if (skipped !== rounds) LOUD(`repeated plan: init ran in ${rounds - skipped} of ${rounds} runs`);
    compare("mlplat plan --offline, repeated ÷ synth + terraform plan", ratio(rp, floorPlan), 1.0, { note: skipNote });
    compare("mlplat plan --offline, repeated ÷ first plan", ratio(rp, mp), 1.0, { note: "the repeated plan must be faster than a plan that runs init (today's first plan)" });
  });
}

// ---------------------------------------------------------------- report
const elapsed = (Date.now() - started) / 1000;
const loadEnd = os.loadavg();
const cpus = os.cpus();
const machine = {
  cpu: `${cpus.length} × ${cpus[0]?.model ?? "unknown"}${cpus[0]?.speed ? ` @ ${cpus[0].speed} MHz` : ""}`,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  terraform: (spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout || "not found").split("\n")[0],
  cdktf: projectRequire("cdktf/package.json").version,
  cdktfCli: existsSync(join(BENCH, "node_modules", "cdktf-cli", "package.json")) ? JSON.parse(readFileSync(join(BENCH, "node_modules", "cdktf-cli", "package.json"), "utf8")).version : "not installed",
  load: `${loadStart.map((l) => l.toFixed(2)).join(" ")} at the start, ${loadEnd.map((l) => l.toFixed(2)).join(" ")} at the end (1/5/15 min)`,
};

const fmtRatio = (v, unit = "x") => (v === undefined ? "—" : `${v.toFixed(2)}${unit}`);
const fmtTarget = (r) => (r.target === undefined ? "—" : `${r.higherIsBetter ? "≥" : "≤"} ${r.target}${r.unit}`);
const yesNo = (m) => (m === undefined ? "" : m ? "yes" : "**NO**");
const fmtMet = (r) => {
  if (r.met === undefined) return r.note?.startsWith("pending") || r.note?.startsWith("MISSING") ? "pending" : "";
  return r.metCpu === undefined ? yesNo(r.met) : `${yesNo(r.met)} (CPU ${yesNo(r.metCpu)})`;
};

const measurementTable = [
  "| section | benchmark | runs | median wall | min – max | median CPU | peak RSS (median) |",
  "|---|---|---:|---:|---:|---:|---:|",
  ...rows.map((r) => `| ${r.section} | ${r.name} | ${r.runs} | ${fmtMs(r.ms)} | ${fmtMs(r.min)} – ${fmtMs(r.max)} | ${fmtMs(r.cpuMs)} | ${fmtMB(r.rssKB)} |`),
].join("\n");
const ratioTable = [
  "| ratio | wall | CPU | target | met | note |",
  "|---|---:|---:|---:|:---:|---|",
  ...ratios.map((r) => `| ${r.name} | ${fmtRatio(r.value, r.unit)} | ${fmtRatio(r.cpu, r.unit)} | ${fmtTarget(r)} | ${fmtMet(r)} | ${r.note ?? ""} |`),
].join("\n");

const loadTable = loads.length
  ? [
      "| command | files loaded | cdktf | provider submodules (needed by the output) | loaded but not used by the output | issue 9 rule |",
      "|---|---:|:---:|---:|---|---|",
      ...loads.map((l) =>
        l.error
          ? `| ${l.name} | — | — | — | — | could not run: ${l.error} |`
          : `| ${l.name} | ${l.files} | ${l.cdktf ? "yes" : "no"} | ${l.submodules.length}${l.needed ? ` (${l.needed})` : ""} | ${l.unused.map((u) => u.split("/")[1]).join(", ") || "—"} | ${l.problems.length ? `**${l.problems.join("; ")}**` : "ok"} |`,
      ),
    ].join("\n")
  : "";

const console_ = [
  "",
  measurementTable.replace(/\*\*/g, ""),
  ...(loadTable ? ["", loadTable.replace(/\*\*/g, "")] : []),
  "",
  ratioTable.replace(/\*\*/g, ""),
  "",
  `bench took ${elapsed.toFixed(0)} s${elapsed > 300 ? " (over the five-minute budget)" : ""}; load average ${machine.load}`,
].join("\n");
process.stdout.write(console_ + "\n");

if (writeResults) {
  const md = `# mlplat benchmark results

Generated by \`npm run bench\` (bench/run.mjs${argv.length ? ` ${argv.join(" ")}` : ""}) on ${new Date().toISOString()}, in ${elapsed.toFixed(0)} s.
${quick ? "\n**Quick run** (1-2 runs per item): the numbers are rough; rerun without `--quick` for medians.\n" : ""}
## Machine

- CPU: ${machine.cpu}
- Memory: ${machine.memory}
- OS: ${machine.os}
- Node ${machine.node}; ${machine.terraform}; cdktf ${machine.cdktf}; cdktf-cli ${machine.cdktfCli} (bench/node_modules)
- Load average: ${machine.load}
- Peak memory from ${gnuTime ? "`/usr/bin/time -v` (maximum resident set size)" : "`process.resourceUsage().maxRSS` of every Node process (GNU time not found)"}

${loadStart[0] > os.cpus().length * 0.75 || loadEnd[0] > os.cpus().length * 0.75 ? "**The machine was busy during this run** (load average above the core count: other processes were competing for the CPU). Every row runs interleaved with its baselines, so the ratios are fairer than the absolute times, but both are noisy.\n" : ""}
## Ratios (medians, same run)

${ratioTable}

## Measurements

${measurementTable}
${loadTable ? `
## What each command loads

One run each with a module log (bench/lib/module-log.mjs). Issue 9: validate, schema, catalog, cost
and --help never load cdktf or a provider package; synth loads only the target cloud's provider
submodules, never a package index. "Needed by the output" counts the submodules of the resource,
data source and provider types in the synthesized cdk.tf.json.

${loadTable}
` : ""}
## Notes

${notes.map((n) => `- ${n}`).join("\n") || "- none"}

What each row measures and why the baselines are what they are: [README.md](README.md).
`;
  writeFileSync(join(BENCH, "results.md"), md);
  // bench/README.md quotes the latest ratios between its markers.
  const readme = join(BENCH, "README.md");
  const text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
  const re = /<!-- ratios:start -->[\s\S]*<!-- ratios:end -->/;
  if (re.test(text)) {
    const when = `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${quick ? "quick run" : "full run"}, load average ${loadStart[0].toFixed(1)} → ${loadEnd[0].toFixed(1)} on ${os.cpus().length} cores`;
    writeFileSync(readme, text.replace(re, `<!-- ratios:start -->\n_${when}:_\n\n${ratioTable}\n<!-- ratios:end -->`));
  }
  // README.md's performance figures, generated from the results.md just written.
  const projectReadme = join(ROOT, "README.md");
  const updated = withReadmeFigures(readFileSync(projectReadme, "utf8"), readmeFigures(md));
  if (updated === undefined) LOUD("README.md has no bench figure markers: its performance figures were not updated");
  else writeFileSync(projectReadme, updated);
  log(`\nwrote bench/results.md, the ratios in bench/README.md and the figures in README.md`);
}

if (!flag("--keep")) rmSync(tmp, { recursive: true, force: true });
else log(`kept ${tmp}`);

/**
 * The provider mirror for terraform-mirror.sh, unless MIRROR_DIR is set. The script's own search
 * takes the first `registry.terraform.io` folder it finds, which on a shared machine can be an
 * empty or half-filled plugin cache another run left in /tmp (terraform then fails with "provider
 * not found"); this one takes the first that really holds an AWS provider binary.
 */
function findMirror() {
  const r = spawnSync("find", ["/", "-maxdepth", "4", "-type", "d", "-name", "registry.terraform.io", "-not", "-path", "/proc/*", "-not", "-path", "/sys/*"], { encoding: "utf8" });
  // Real mirrors before plugin caches (which other runs fill and empty as they go).
  const dirs = (r.stdout || "").split("\n").filter(Boolean).sort((a, b) => Number(/cache/i.test(a)) - Number(/cache/i.test(b)));
  for (const dir of dirs) {
    const aws = join(dir, "hashicorp", "aws");
    const hasBinary = existsSync(aws) && readdirSync(aws).some((v) => existsSync(join(aws, v)) && readdirSync(join(aws, v)).some((arch) => readdirSync(join(aws, v, arch)).some((f) => f.startsWith("terraform-provider-aws"))));
    if (hasBinary) return dirname(dir);
  }
  return "";
}
