import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import type { EngineDeps } from "../../src/engine/ports.js";
import { parseStateJson, stateResources } from "../../src/terraform/plan-json.js";
import { ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { MlplatError } from "../../src/util/errors.js";
import { config, harness, planStream } from "../engine/fakes.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * The applied plan is the reviewed plan: the bytes terraform wrote at review are sealed
 * (sha256) and only those bytes are applied; a plan file rewritten between the summary and the
 * apply is refused (MLP_PLAN_CHANGED, exit 1) with nothing applied. A plan that must replace a
 * prevent_destroy resource is the data-loss refusal (MLP_DATA_LOSS, exit 1), state untouched.
 */
describe("the applied plan is the reviewed plan (engine, recording runner)", () => {
  it("refuses to apply when the saved plan file was rewritten while the person was reviewing it", async () => {
    const h = harness({ "fraud-default": config([]) }, true);
    h.runner.plans["fraud-default"] = planStream([["aws_s3_bucket.storage_datasets", "create"]]);
    // Another run writes the plan file while the confirmation is on screen.
    h.deps.ui.confirm = async (q) => {
      h.questions.push(q);
      writeFileSync(join(h.synth.outDir, "stacks", "fraud-default", "mlplat.tfplan"), "a different plan: delete aws_s3_bucket.storage_models");
      return true;
    };
    const err = (await runDeploy("p.yaml", {}, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.code).toBe("MLP_PLAN_CHANGED");
    expect(err.exitCode).toBe(1);
    expect(err.message.replace(h.synth.outDir, "<out>")).toMatch(
      /^Stack fraud-default: the saved plan <out>\/stacks\/fraud-default\/mlplat.tfplan changed after it was reviewed \(its sha256 is now [0-9a-f]{12}…, not the reviewed [0-9a-f]{12}…\); nothing was applied to fraud-default\.$/,
    );
    expect(h.runner.calls.map((c) => c.method)).not.toContain("apply");
    expect(h.synth.released).toBe(1);
  });

  it("applies the reviewed bytes from a private copy, removed afterwards", async () => {
    const h = harness({ "fraud-default": config([]) }, true);
    h.runner.plans["fraud-default"] = planStream([["aws_s3_bucket.storage_datasets", "create"]]);
    const report = await runDeploy("p.yaml", {}, h.deps);
    expect(report.status).toBe("applied");
    expect(h.runner.calls.at(-1)).toEqual({ method: "apply", stack: "fraud-default", planFile: "mlplat.tfplan" });
    expect(h.runner.appliedFiles).toHaveLength(1);
    expect(h.runner.appliedFiles[0]).toMatch(/^mlplat-reviewed-\d+-[0-9a-f]{8}\.tfplan$/);
    expect(readdirSync(join(h.synth.outDir, "stacks", "fraud-default")).filter((f) => f.endsWith(".tfplan"))).toEqual(["mlplat.tfplan"]);
  });

  it("refuses when the saved plan file is gone before apply", async () => {
    const h = harness({ "fraud-default": config([]) }, true);
    h.runner.plans["fraud-default"] = planStream([["aws_s3_bucket.storage_datasets", "create"]]);
    h.deps.ui.confirm = async () => {
      rmSync(join(h.synth.outDir, "stacks", "fraud-default", "mlplat.tfplan"));
      return true;
    };
    const err = (await runDeploy("p.yaml", {}, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_PLAN_CHANGED");
    expect(err.message).toContain("changed after it was reviewed (it can no longer be read (ENOENT))");
  });
});

const tf = terraformEnv();
const STATE = "../../state/demo-default.tfstate";

function realDeps(synth: EngineDeps["synth"], confirm?: (q: string) => Promise<boolean>): EngineDeps {
  return {
    synth,
    runner: new ProcessTerraformRunner({ env: tf.env }),
    progress: { step: (_s, _n, work) => work() },
    ui: { print: () => undefined, confirm },
  };
}

/** A synth that writes `current()` as the one stack's cdk.tf.json in a fixed output folder, like a real re-synth. */
function fixedSynth(current: () => unknown): EngineDeps["synth"] & { outDir: string; dir: string } {
  const outDir = mkdtempSync(join(tmpdir(), "mlplat-integrity-"));
  const dir = join(outDir, "stacks", "demo-default");
  const fn = async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(current()));
    return { outDir, stacks: [{ name: "demo-default", dir }], release: () => undefined };
  };
  return Object.assign(fn, { outDir, dir });
}

describe.skipIf(!tf.available)("the applied plan is the reviewed plan (real terraform)", () => {
  it("refuses a plan file rewritten by another terraform plan between review and apply; nothing is applied", async () => {
    let config: unknown = stack({ storage_datasets: protectedData("a"), network: { input: "10.40.0.0/16" } });
    const synth = fixedSynth(() => config);
    const statePath = join(synth.outDir, "state", "demo-default.tfstate");
    expect((await runDeploy("demo.yaml", { autoApprove: true }, realDeps(synth))).status).toBe("applied");
    const stateBefore = readFileSync(statePath, "utf8");

    // Reviewed: add serving_x. While the question is on screen, another plan of a configuration
    // without the network is saved to the same file: applying it would destroy the network.
    config = stack({ storage_datasets: protectedData("a"), network: { input: "10.40.0.0/16" }, serving_x: { input: "x" } });
    const swap = async () => {
      writeFileSync(join(synth.dir, "cdk.tf.json"), JSON.stringify(stack({ storage_datasets: protectedData("a") })));
      await new ProcessTerraformRunner({ env: tf.env }).plan(synth.dir, { out: "mlplat.tfplan" });
      return true;
    };
    const err = (await runDeploy("demo.yaml", {}, realDeps(synth, swap)).catch((e: unknown) => e)) as MlplatError;
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.code).toBe("MLP_PLAN_CHANGED");
    expect(err.exitCode).toBe(1);
    expect(readFileSync(statePath, "utf8")).toBe(stateBefore);
  });

  it("reports a plan that must replace a prevent_destroy resource as the data-loss refusal, exit 1, state untouched", async () => {
    let config: unknown = stack({ storage_datasets: protectedData("v1"), network: { input: "10.40.0.0/16" } });
    const synth = fixedSynth(() => config);
    const statePath = join(synth.outDir, "state", "demo-default.tfstate");
    const deps = realDeps(synth);
    expect((await runDeploy("demo.yaml", { autoApprove: true }, deps)).status).toBe("applied");
    const stateBefore = readFileSync(statePath, "utf8");

    // A change terraform cannot make in place: it must replace the protected resource.
    config = stack({ storage_datasets: protectedData("v2"), network: { input: "10.40.0.0/16" } });
    for (const run of [() => runPlan("demo.yaml", {}, deps), () => runDeploy("demo.yaml", { autoApprove: true }, deps)]) {
      const err = (await run().catch((e: unknown) => e)) as MlplatError;
      expect(err).toBeInstanceOf(MlplatError);
      expect({ code: err.code, exitCode: err.exitCode, message: err.message, details: err.details }).toEqual({
        code: "MLP_DATA_LOSS",
        exitCode: 1,
        message: "Plan refused: terraform would have to destroy 1 protected resource (protect: true) in demo-default. Nothing was applied; the state is unchanged.",
        details: "  - terraform_data.storage_datasets in demo-default: replace, forced by a change to a setting that cannot be updated in place",
      });
      expect(readFileSync(statePath, "utf8")).toBe(stateBefore);
    }
    const state = parseStateJson(await deps.runner.showState(synth.dir), "test");
    expect(stateResources(state).map((r) => r.address).sort()).toEqual(["terraform_data.network", "terraform_data.storage_datasets"]);
  });
});

function stack(resources: Record<string, unknown>): unknown {
  return { terraform: { backend: { local: { path: STATE } } }, resource: { terraform_data: resources } };
}

function protectedData(trigger: string): unknown {
  return { input: "datasets", triggers_replace: trigger, lifecycle: { prevent_destroy: true } };
}
