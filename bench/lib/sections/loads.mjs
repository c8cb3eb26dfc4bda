import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { analyzeLoads, readModuleLog } from "../loads.mjs";
/** 0. What each command loads: one run each with a module log (lib/module-log.mjs). */
export async function loadsSection(s) {
  const { NODE, MLPLAT, tmp, REFS, loads, log, guard, stage, stackOf } = s;
  await guard("loading check", async () => {
    log("\n== what each command loads (one run each, with a module log)");
    const moduleLog = join(tmp, "modules.txt");
    const logged = (args) => {
      rmSync(moduleLog, { force: true });
      const r = spawnSync(NODE, ["--import", new URL("../module-log.mjs", import.meta.url).href, MLPLAT, ...args], { cwd: tmp, env: { ...process.env, BENCH_MODULE_LOG: moduleLog }, encoding: "utf8" });
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
