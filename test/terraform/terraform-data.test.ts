import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runDestroy } from "../../src/engine/destroy.js";
import { runOutput } from "../../src/engine/output.js";
import { runPlan } from "../../src/engine/plan.js";
import type { EngineDeps } from "../../src/engine/ports.js";
import { parseStateJson, stateResources } from "../../src/terraform/plan-json.js";
import { ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { type MlplatError, TerraformError } from "../../src/util/errors.js";
import { fakeSynth } from "../engine/fakes.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * The engine on the real terraform binary, with a stack made only of terraform's built-in
 * `terraform_data` resources: apply, output, protected destroy and fault paths run for real,
 * without a cloud. Names follow MlplatStack's `<section>_<item>` scheme.
 */
const tf = terraformEnv();
const STATE = "../../state/demo-default.tfstate";

function stackConfig(extra: Record<string, unknown> = {}): unknown {
  return {
    terraform: { backend: { local: { path: STATE } } },
    resource: {
      terraform_data: {
        "kms_datasets": { input: "key-datasets" },
        "storage_datasets": { input: "${terraform_data.kms_datasets.output}", lifecycle: { prevent_destroy: true } },
        // The bucket's own settings (its public access block, policy…): they stay with it.
        "storage_datasets_policy": { input: "${terraform_data.storage_datasets.id}" },
        "network": { input: "10.40.0.0/16" },
        "serving_scorer": { input: "${terraform_data.network.output}" },
        ...extra,
      },
    },
    output: {
      bucket: { value: "${terraform_data.storage_datasets.output}" },
      network: { value: "${terraform_data.network.output}" },
      token: { value: "s3cr3t", sensitive: true },
    },
  };
}

function realDeps(synth: EngineDeps["synth"]): EngineDeps & { printed: string[] } {
  const printed: string[] = [];
  return {
    synth,
    runner: new ProcessTerraformRunner({ env: tf.env }),
    progress: { step: (_s, _n, work) => work() },
    ui: { print: (t) => printed.push(t) },
    printed,
  };
}

async function stateAddresses(deps: EngineDeps, dir: string): Promise<string[]> {
  return stateResources(parseStateJson(await deps.runner.showState(dir), "test"))
    .map((r) => r.address)
    .sort();
}

describe.skipIf(!tf.available)("the engine on real terraform with terraform_data resources", () => {
  it("deploys, shows outputs, destroys all but the protected resource and what it needs, then everything with --allow-data-loss", async () => {
    const synth = fakeSynth({ "demo-default": stackConfig() });
    const deps = realDeps(synth);
    const dir = join(synth.outDir, "stacks", "demo-default");
    const statePath = join(synth.outDir, "state", "demo-default.tfstate");

    const deployed = await runDeploy("demo.yaml", { autoApprove: true }, deps);
    expect(deployed.status).toBe("applied");
    expect(deployed.stacks[0]).toMatchObject({ add: 5, change: 0, destroy: 0, replace: 0, applied: true });
    expect(deployed.stacks[0].sections).toEqual({
      kms: { add: 1, change: 0, destroy: 0, replace: 0 },
      storage: { add: 2, change: 0, destroy: 0, replace: 0 },
      network: { add: 1, change: 0, destroy: 0, replace: 0 },
      serving: { add: 1, change: 0, destroy: 0, replace: 0 },
    });
    expect(existsSync(statePath)).toBe(true);
    expect(existsSync(join(dir, "terraform.tfstate"))).toBe(false);
    const log = readFileSync(join(dir, "terraform.log"), "utf8");
    expect(log).toMatch(/terraform init -no-color -input=false =====/);
    // The reviewed plan's bytes, checked against their hash and applied from a private copy.
    expect(log).toMatch(/terraform apply -no-color -input=false mlplat-reviewed-\d+-[0-9a-f]{8}\.tfplan =====[\s\S]*Apply complete! Resources: 5 added/);
    expect(readdirSync(dir).filter((f) => f.startsWith("mlplat-reviewed-"))).toEqual([]);

    const outputs = await runOutput("demo.yaml", {}, deps);
    expect(outputs.stacks[0]).toEqual({
      name: "demo-default",
      outputs: { bucket: "key-datasets", network: "10.40.0.0/16", token: "s3cr3t" },
      sensitive: ["token"],
    });

    const replanned = await runPlan("demo.yaml", {}, deps);
    expect(replanned.changes).toBe(false);

    const destroyed = await runDestroy("demo.yaml", { autoApprove: true }, deps);
    expect(destroyed.status).toBe("destroyed");
    expect(destroyed.stacks[0]).toMatchObject({
      destroy: 2,
      destroyed: ["terraform_data.network", "terraform_data.serving_scorer"],
      kept: [
        { address: "terraform_data.kms_datasets", reason: "needed by terraform_data.storage_datasets" },
        { address: "terraform_data.storage_datasets", reason: "protected" },
        { address: "terraform_data.storage_datasets_policy", reason: "part of terraform_data.storage_datasets" },
      ],
    });
    expect(deps.printed.join("\n")).toContain("= terraform_data.storage_datasets (protected)");
    expect(await stateAddresses(deps, dir)).toEqual([
      "terraform_data.kms_datasets",
      "terraform_data.storage_datasets",
      "terraform_data.storage_datasets_policy",
    ]);
    // Still managed: the protected resource's output is still there.
    expect((await runOutput("demo.yaml", {}, deps)).stacks[0].outputs.bucket).toBe("key-datasets");

    const again = await runDestroy("demo.yaml", { autoApprove: true }, deps);
    expect(again.status).toBe("nothing-to-destroy");

    const all = await runDestroy("demo.yaml", { autoApprove: true, allowDataLoss: true }, deps);
    expect(all.status).toBe("destroyed");
    expect(all.stacks[0]).toMatchObject({ destroy: 3, kept: [] });
    expect(await stateAddresses(deps, dir)).toEqual([]);
    expect(readFileSync(join(dir, "cdk.tf.json"), "utf8")).not.toContain("prevent_destroy");
    // The next synth restores the protection: lifting it was for that run only.
    await synth("demo.yaml", { offline: false });
    expect(readFileSync(join(dir, "cdk.tf.json"), "utf8")).toContain("prevent_destroy");
  });

  it("fails mid-apply with exit 3 and the log path, keeps what was applied, and a second run completes", async () => {
    let failing = true;
    const synth = fakeSynth({ "demo-default": {} });
    const configured = async (file: string, o: Parameters<typeof synth>[1]) => {
      const r = await synth(file, o);
      const { writeFileSync } = await import("node:fs");
      const flaky = { input: "x", provisioner: [{ "local-exec": { command: failing ? "echo 'no network' >&2; exit 1" : "true" } }], depends_on: ["terraform_data.network"] };
      writeFileSync(join(r.stacks[0].dir, "cdk.tf.json"), JSON.stringify(stackConfig({ "serving_flaky": flaky })));
      return r;
    };
    const deps = realDeps(configured);
    const dir = join(synth.outDir, "stacks", "demo-default");

    const err = (await runDeploy("demo.yaml", { autoApprove: true }, deps).catch((e: unknown) => e)) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe("terraform apply failed in stack demo-default (exit 1).");
    expect(err.logFile).toBe(join(dir, "terraform.log"));
    expect(err.details).toContain("Error: local-exec provisioner error");
    expect(await stateAddresses(deps, dir)).toContain("terraform_data.network");

    failing = false;
    const second = await runDeploy("demo.yaml", { autoApprove: true }, deps);
    expect(second.status).toBe("applied");
    // The tainted resource is replaced; what was applied before is not created again.
    expect(second.stacks[0]).toMatchObject({ add: 0, replace: 1 });
  });

  it("fails cleanly with the lock hint while another run holds the state lock", async () => {
    const synth = fakeSynth({
      "demo-default": {
        terraform: { backend: { local: { path: STATE } } },
        resource: { terraform_data: { slow: { input: "x", provisioner: [{ "local-exec": { command: "sleep 4" } }] } } },
      },
      "demo-other": { terraform: { backend: { local: { path: STATE } } }, resource: { terraform_data: { network: { input: "y" } } } },
    });
    const { stacks } = await synth("demo.yaml", { offline: true });
    const runner = new ProcessTerraformRunner({ env: tf.env });
    for (const s of stacks) await runner.init(s.dir);
    await runner.plan(stacks[0].dir, { out: "mlplat.tfplan" });

    const holding = runner.apply(stacks[0].dir, "mlplat.tfplan");
    const log = join(stacks[0].dir, "terraform.log");
    for (let i = 0; i < 100 && !/terraform_data\.slow: Creating/.test(readFileSync(log, "utf8")); i++) await new Promise((r) => setTimeout(r, 100));

    const err = (await runner.plan(stacks[1].dir, { out: "mlplat.tfplan" }).catch((e: unknown) => e)) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.exitCode).toBe(3);
    expect(err.details).toContain("Error acquiring the state lock");
    expect(err.hint).toMatch(/^another mlplat or terraform run holds the state lock on this stack/);
    await holding;
    // Once the first run is done, the lock is released and the second one plans.
    await runner.plan(stacks[1].dir, { out: "mlplat.tfplan" });
  });

  it("forwards Ctrl-C to terraform, which stops, saves what it applied and releases the lock", async () => {
    const synth = fakeSynth({
      "demo-default": {
        terraform: { backend: { local: { path: STATE } } },
        resource: {
          terraform_data: {
            network: { input: "10.40.0.0/16" },
            serving_slow: { input: "x", depends_on: ["terraform_data.network"], provisioner: [{ "local-exec": { command: "sleep 30" } }] },
          },
        },
      },
    });
    const deps = realDeps(synth);
    const dir = join(synth.outDir, "stacks", "demo-default");
    const started = Date.now();
    const pending = runDeploy("demo.yaml", { autoApprove: true }, deps).catch((e: unknown) => e);
    const log = join(dir, "terraform.log");
    for (let i = 0; i < 200 && !/terraform_data\.serving_slow: Creating/.test(existsSync(log) ? readFileSync(log, "utf8") : ""); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    process.emit("SIGINT", "SIGINT");
    const err = (await pending) as MlplatError;
    // Exit 130 as a shell expects after Ctrl-C, not terraform's failure code 3.
    expect(err).toMatchObject({ code: "MLP_INTERRUPTED", exitCode: 130 });
    expect(err.message).toBe("terraform apply was interrupted (SIGINT) in stack demo-default; terraform saved its state and released its lock.");
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(readFileSync(log, "utf8")).toContain("Interrupt received");
    // What was applied before the interrupt is in the state, and the lock is free for the next run.
    expect(await stateAddresses(deps, dir)).toContain("terraform_data.network");
    const next = await runPlan("demo.yaml", {}, deps);
    // The interrupted resource was saved as tainted: the next plan replaces it, nothing else.
    expect(next.stacks[0]).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 1 });
  });
});
