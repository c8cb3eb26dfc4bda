import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { measureInterleaved } from "../measure.mjs";
/** 2. synth of each cloud's reference blueprint against both floors and cdktf-cli. */
export async function synthSection(s) {
  const { ROOT, BENCH, NODE, APP, tmp, REFS, RUNS, warmup, runner, notes, log, guard, stage, stackOf, floorDir, checkedFloor, mlplat, record, compare, ratio } = s;
  const cli = ensureCdktfCli(s);
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
      const { steps: floorStep, floor } = await checkedFloor(stack, fdir, "bare");
      const generic = await checkedFloor(stack, fdir, "generic");
      notes.push(`synth ${cloud} (${relative(ROOT, file)}): ${floor.resources} resources, ${floor.classes} provider classes${floor.generic.length ? ` (generic cdktf classes for ${floor.generic.join(", ")}: no prebuilt bindings)` : ""}; the floor renders the same cdk.tf.json (checked, \`//\` metadata aside).`);
      const variants = [
        { name: `mlplat synth ${cloud}`, steps: synthStep },
        { name: `floor ${cloud} (bare cdktf)`, steps: floorStep },
        { name: `generic floor ${cloud} (TerraformResource)`, steps: generic.steps },
        { name: `mlplat synth ${cloud}, no code cache`, steps: () => [mlplat(["synth", bp, "--out", out, "--state-dir", state], { env: { MLPLAT_NO_CODE_CACHE: "1" } })] },
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
      const cold = record("synth", variants[3].name, res[variants[3].name]);
      compare(`synth ${cloud}, no code cache ÷ generic-class floor`, ratio(cold, g), undefined, { note: "no target: a first run, or MLPLAT_NO_CODE_CACHE=1 (src/cli/code-cache.ts)" });
      if (cli) {
        const c = record("synth", variants[4].name, res[variants[4].name]);
        compare(`cdktf-cli synth ${cloud} ÷ mlplat synth`, ratio(c, m), 5, { higherIsBetter: true });
      } else {
        compare(`cdktf-cli synth ${cloud} ÷ mlplat synth`, {}, 5, { higherIsBetter: true, note: "MISSING: cdktf-cli not installed" });
      }
    });
  }
}

/** cdktf-cli at the version bench/package.json pins, in bench/node_modules; undefined (and a note) if it cannot be installed. */
function ensureCdktfCli({ ROOT, BENCH, LOUD, log, notes }) {
  const CDKTF_CLI_VERSION = JSON.parse(readFileSync(join(BENCH, "package.json"), "utf8")).dependencies["cdktf-cli"];
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
