import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureInterleaved } from "../measure.mjs";
import { scaleBlueprint } from "../scale-blueprint.mjs";
/** 3. scaling: generated AWS blueprints of 10, 100 and 300 items against both floors. */
export async function scaleSection(s) {
  const { tmp, RUNS, SCALE_SIZES, runner, blueprintsDir, log, guard, stackOf, floorDir, checkedFloor, mlplat, record, compare, ratio, over } = s;
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
      const { steps: floorStep, floor } = await checkedFloor(stack, fdir, "bare");
      const generic = await checkedFloor(stack, fdir, "generic");
      const { steps: quietStep } = await checkedFloor(stack, fdir, "no token stacks");
      const rounds = items >= 300 ? RUNS.scaleLarge : RUNS.scaleSmall;
      const mName = `mlplat synth ${items} items (${floor.resources} resources)`;
      const fName = `floor ${items} items`;
      const gName = `generic floor ${items} items`;
      const qName = `floor ${items} items, no token stacks`;
      const variants = [{ name: mName, steps: synthStep }, { name: fName, steps: floorStep }, { name: qName, steps: quietStep }, { name: gName, steps: generic.steps }];
      const res = measureInterleaved(runner, variants, { rounds, warmup: 0, log });
      bySize[items] = { m: record("scale", mName, res[mName]), f: record("scale", fName, res[fName]), q: record("scale", qName, res[qName]), g: record("scale", gName, res[gName]), resources: floor.resources };
    }
    for (const items of SCALE_SIZES) {
      compare(`synth ${items} items ÷ bare cdktf floor`, ratio(bySize[items].m, bySize[items].f), 1.3);
      compare(`synth ${items} items ÷ floor without token stacks`, ratio(bySize[items].m, bySize[items].q), undefined, {
        note: "no target: the bare floor with cdktf's per-token stack traces off, as mlplat runs cdktf (stacks/app.ts), so that saving is not counted as mlplat's lead",
      });
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
