import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { trafficSplit, trafficVarValue } from "../../src/engine/rollout-steps.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { resolveAzure } from "../../src/targets/azure/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { ctx as azureCtx, platformModel as azureModel } from "../azure/fixtures.js";
import { gcpModel, synthModel } from "../gcp/fixtures.js";

/**
 * The traffic split's expressions, evaluated by real terraform. No google or azurerm provider
 * binary exists here, so the synthesized variable is planned on its own (no provider at all) with
 * an output that evaluates, for each element of the dynamic block's `for_each`, the block's
 * `content` expressions exactly as synthesized (`each.value.…`): what each traffic block would
 * hold for the default input, a canary step and a rollback, with the `-var` value the engine passes.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-traffic-expr-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasTerraform = spawnSync(process.env.MLPLAT_TERRAFORM ?? "terraform", ["version"]).status === 0;
if (!hasTerraform) process.stderr.write("\n!!! TRAFFIC EXPRESSIONS SKIPPED: no terraform binary; the split's expressions were NOT evaluated.\n\n");

const canary = { strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false } as const;
const withRollout = (m: PlatformModel): PlatformModel => ({ ...m, endpoints: m.endpoints.map((e) => ({ ...e, rollout: canary })) });

function terraform(dir: string, args: string[]): string {
  const r = spawnSync(process.env.MLPLAT_TERRAFORM ?? "terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `${expr}` → `expr`; the synthesized content values are single interpolations. */
const body = (v: unknown): string => {
  const m = /^\$\{([\s\S]*)\}$/.exec(String(v));
  if (!m) throw new Error(`not a single interpolation: ${String(v)}`);
  return m[1]!;
};

/** The blocks the dynamic block would produce for each -var value (undefined: the default), sorted by percent. */
function evaluate(name: string, variable: unknown, block: { for_each: string; iterator: string; content: Record<string, unknown> }, keys: string[], percentKey: string, inputs: (string | undefined)[]) {
  expect(block.iterator).toBe("each");
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const fields = keys.map((k) => `${k} = ${typeof block.content[k] === "string" && String(block.content[k]).startsWith("${") ? body(block.content[k]) : JSON.stringify(block.content[k])}`).join(", ");
  const config = {
    variable: { mlplat_traffic_scorer: variable },
    output: { blocks: { value: `\${[for each in [for v in ${body(block.for_each)} : { value = v }] : { ${fields} }]}` } },
  };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  terraform(dir, ["init", "-input=false"]);
  return inputs.map((value) => {
    terraform(dir, ["plan", "-input=false", "-out=p", ...(value ? [`-var=mlplat_traffic_scorer=${value}`] : [])]);
    const plan = JSON.parse(terraform(dir, ["show", "-json", "p"])) as { output_changes: { blocks: { after: Record<string, unknown>[] } } };
    return plan.output_changes.blocks.after.sort((a, b) => Number(a[percentKey]) - Number(b[percentKey]));
  });
}

describe.skipIf(!hasTerraform)("traffic split expressions under real terraform", () => {
  it("Cloud Run: one REVISION target per input entry; the default is the pinned revision at 100%", () => {
    const json = synthModel(withRollout(gcpModel())).json;
    const svc = Object.values(json.resource.google_cloud_run_v2_service as Record<string, any>)[0]!;
    const pinned = svc.template.revision as string;
    const old = "fraud-default-scorer-00001-x7k";
    const [byDefault, step, back] = evaluate("gcp", json.variable.mlplat_traffic_scorer, svc.dynamic.traffic, ["type", "revision", "percent"], "percent", [
      undefined,
      trafficVarValue(trafficSplit(old, pinned, 10)),
      trafficVarValue(trafficSplit(old, pinned, 0)),
    ]);
    const target = (revision: string, percent: number) => ({ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision, percent });
    expect(byDefault).toEqual([target(pinned, 100)]);
    expect(step).toEqual([target(pinned, 10), target(old, 90)]);
    expect(back).toEqual([target(old, 100)]);
  }, 60_000);

  it("Container Apps: the pinned suffix as latest_revision without a suffix, the previous one by suffix", () => {
    const m = withRollout(azureModel);
    const json = JSON.parse(Testing.synth(new AzurePlatformStack(Testing.app(), m.stackName, resolveAzure(m, azureCtx))));
    const app = Object.values(json.resource.azurerm_container_app as Record<string, any>)[0]!;
    const suffix = app.template.revision_suffix as string;
    const [byDefault, step, back] = evaluate("azure", json.variable.mlplat_traffic_scorer, app.ingress.dynamic.traffic_weight, ["latest_revision", "revision_suffix", "percentage"], "percentage", [
      undefined,
      trafficVarValue(trafficSplit("k3x9f2a", suffix, 10)),
      trafficVarValue(trafficSplit("k3x9f2a", suffix, 0)),
    ]);
    expect(byDefault).toEqual([{ latest_revision: true, revision_suffix: null, percentage: 100 }]);
    expect(step).toEqual([
      { latest_revision: true, revision_suffix: null, percentage: 10 },
      { latest_revision: false, revision_suffix: "k3x9f2a", percentage: 90 },
    ]);
    expect(back).toEqual([{ latest_revision: false, revision_suffix: "k3x9f2a", percentage: 100 }]);
  }, 60_000);
});
