import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fmtMs, measureInterleaved, runVariant } from "../measure.mjs";
/** 4. plan --offline against terraform init + plan, and the repeated plan (init skipped). */
export async function planSection(s) {
  const { ROOT, NODE, MLPLAT, tmp, REFS, RUNS, runner, notes, log, LOUD, guard, stage, stackOf, mlplat, record, compare, ratio } = s;
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
