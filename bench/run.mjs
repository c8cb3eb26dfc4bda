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
 * The sections live in lib/sections/, the shared state in lib/session.mjs, the report in lib/report.mjs.
 */
import { readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { report } from "./lib/report.mjs";
import { createSession } from "./lib/session.mjs";
import { loadsSection } from "./lib/sections/loads.mjs";
import { planSection } from "./lib/sections/plan.mjs";
import { scaleSection } from "./lib/sections/scale.mjs";
import { synthSection } from "./lib/sections/synth.mjs";
import { validateSection } from "./lib/sections/validate.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, "..");
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
  // The scaling rows' ratios sit within a few percent of their target, and this machine's
  // run-to-run noise is larger than that: as many rounds as the reference synths.
  scaleSmall: fastRuns, // 10 and 100 items
  scaleLarge: fastRuns, // 300 items (~0.5 s each, 4 programs)
  // terraform init + plan (~3 s each, 4 programs): the repeated plan's ratio sits at its target
  // too (0.92-1.00x over runs), so 5 rounds rather than 3.
  plan: Math.max(1, Math.round(fastRuns * 5 / 7)),
};
const warmup = 1;
const only = value("--only")?.split(",");
const section = (name) => !only || only.includes(name);
const writeResults = !only || flag("--write");
const SCALE_SIZES = [10, 100, 300];

const log = (s = "") => process.stderr.write(s + "\n");
const LOUD = (s) => log(`\n${"!".repeat(78)}\n!! ${s}\n${"!".repeat(78)}\n`);

const s = createSession({ ROOT, BENCH, build: !flag("--no-build"), quick, RUNS, warmup, SCALE_SIZES, log, LOUD });

// Each section records its rows and ratios in the session (lib/sections/).
if (section("loads")) await loadsSection(s);
if (section("validate")) await validateSection(s);
if (section("synth")) await synthSection(s);
if (section("scale")) await scaleSection(s);
if (section("plan")) await planSection(s);

report(s, { argv, started, quick, writeResults });

if (!flag("--keep")) rmSync(s.tmp, { recursive: true, force: true });
else log(`kept ${s.tmp}`);
