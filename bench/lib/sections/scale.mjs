import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareStacks, writeFloorProgram } from "../floor.mjs";
import { measureInterleaved } from "../measure.mjs";
import { scaleBlueprint } from "../scale-blueprint.mjs";
/** 3. scaling: generated AWS blueprints of 10, 100 and 300 items against both floors. */
export async function scaleSection(s) {
  const { NODE, tmp, RUNS, SCALE_SIZES, runner, projectRequire, blueprintsDir, log, guard, stackOf, floorDir, genericFloor, mlplat, record, compare, ratio, over } = s;
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
