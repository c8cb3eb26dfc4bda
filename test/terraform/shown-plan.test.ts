import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parsePlanStream } from "../../src/terraform/plan-stream.js";
import { ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { parseShownPlan } from "../../src/terraform/shown-plan.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * A remote run (spec.state.backend: hcp) is read from `terraform show -json` of its saved plan,
 * a local one from the plan's UI stream. Both readers must say the same thing about the same
 * plan: here the real terraform plans every kind of change on built-in `terraform_data`
 * resources (no provider, no network) and both are read.
 */
const tf = terraformEnv();
const work = mkdtempSync(join(tmpdir(), "mlplat-shown-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const V1 = {
  terraform: { backend: { local: { path: "state.tfstate" } } },
  resource: {
    terraform_data: {
      kept: { input: "same" },
      updated: { input: "v1" },
      replaced: { input: "x", triggers_replace: ["v1"] },
      deleted: { input: "gone soon" },
      old_name: { input: "moving" },
      forgotten: { input: "left in the cloud" },
      counted: { count: 2, input: "${count.index}" },
    },
  },
  output: { kept: { value: "k" }, changed: { value: "v1" }, dropped: { value: "d" } },
};

const V2 = {
  terraform: V1.terraform,
  resource: {
    terraform_data: {
      kept: { input: "same" },
      updated: { input: "v2" },
      replaced: { input: "x", triggers_replace: ["v2"] },
      new_name: { input: "moving" },
      created: { input: "new" },
      counted: { count: 1, input: "${count.index}" },
    },
  },
  moved: [{ from: "terraform_data.old_name", to: "terraform_data.new_name" }],
  removed: [{ from: "terraform_data.forgotten", lifecycle: { destroy: false } }],
  output: { kept: { value: "k" }, changed: { value: "v2" }, added: { value: "a" } },
};

describe.skipIf(!tf.available)("terraform show -json and the plan stream agree (real terraform)", () => {
  it("every kind of change: create, update, replace, delete, move, forget, count shrink, outputs", async () => {
    const runner = new ProcessTerraformRunner({ env: tf.env });
    const dir = join(work, "stack");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(V1));
    await runner.init(dir);
    await runner.plan(dir, { out: "v1.tfplan" });
    await runner.apply(dir, "v1.tfplan");

    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(V2));
    const stream = parsePlanStream(await runner.plan(dir, { out: "v2.tfplan" }), "stream");
    const shown = parseShownPlan(await runner.showPlan!(dir, "v2.tfplan"), "show");

    expect(shown).toEqual(stream);
    // And what they agree on is the plan above, not two empty lists.
    expect(shown.resources.map((r) => `${r.action} ${r.address}`)).toEqual([
      "delete terraform_data.counted[1]",
      "create terraform_data.created",
      "delete terraform_data.deleted",
      "remove terraform_data.forgotten",
      "move terraform_data.new_name",
      "replace terraform_data.replaced",
      "update terraform_data.updated",
    ]);
    expect(shown.outputs).toEqual({ added: "create", changed: "update", dropped: "delete", kept: "noop" });
  }, 60_000);
});
