import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import type { EngineDeps } from "../../src/engine/ports.js";
import { ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { MlplatError, TerraformError } from "../../src/util/errors.js";
import { fakeSynth } from "./fakes.js";

/**
 * spec.state.backend: hcp through the engine and the real process runner, with a fake
 * `terraform` that replays a recorded HCP Terraform run (test/fixtures/hcp/README.md says how
 * the recording was made: no HCP Terraform is reachable here). What must hold: the plan runs
 * without -json and its run URL reaches the person and `--json`; what it changes comes from the
 * run's JSON plan; deploy applies the saved run it reviewed and no other; a run discarded on
 * the remote side fails with what to do; the API token passes to terraform and is never shown.
 */
const FAKE = new URL("../fixtures/hcp/fake-terraform.mjs", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-hcp-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TOKEN = "atlasv1.mlplat-test-token-never-printed";
const URL_ = "https://app.terraform.io/app/acme-ml/fraud-prod/runs/run-CZcmD7eagjhyX0vN";

const stack = {
  terraform: { cloud: { organization: "acme-ml", hostname: "app.terraform.io", workspaces: { name: "fraud-prod" } } },
  resource: { terraform_data: { kms_datasets: { input: "key-datasets" }, network: { input: "10.41.0.0/16" }, serving_scorer: { triggers_replace: ["v2"] } } },
};

function deps(scenario = "ok", config: unknown = stack, env: NodeJS.ProcessEnv = {}) {
  const log = join(work, `calls-${Math.random().toString(36).slice(2)}.log`);
  const synth = fakeSynth({ "fraud-prod": config });
  const printed: string[] = [];
  const d: EngineDeps = {
    synth,
    runner: new ProcessTerraformRunner({ env: { ...process.env, MLPLAT_TERRAFORM: FAKE, FAKE_TF_LOG: log, FAKE_TF_SCENARIO: scenario, TF_TOKEN_app_terraform_io: TOKEN, ...env } }),
    progress: { step: (_s, _n, work) => work() },
    ui: { print: (t) => printed.push(t) },
  };
  const calls = () => readFileSync(log, "utf8").trim().split("\n");
  return { d, printed, calls, dir: join(synth.outDir, "stacks", "fraud-prod") };
}

describe("a remote run on HCP Terraform (recorded)", () => {
  it("plan: no -json, the run URL printed with the summary and in --json, the changes from the run's JSON plan with the forcing attribute", async () => {
    const { d, printed, calls } = deps();
    const report = await runPlan("platform.yaml", {}, d);
    expect(calls()).toEqual([
      "init -no-color -input=false token:set",
      "plan -no-color -input=false -out=mlplat.tfplan token:set",
      "show -no-color -json mlplat.tfplan token:set",
    ]);
    expect(report.stacks[0]).toMatchObject({ name: "fraud-prod", runUrl: URL_, add: 1, change: 1, destroy: 0, replace: 1, changes: true });
    expect(report.stacks[0]!.resources.map((r) => `${r.action} ${r.address}`)).toEqual([
      "replace terraform_data.serving_scorer",
      "change terraform_data.network",
      "add terraform_data.kms_datasets",
    ]);
    expect(report.stacks[0]!.resources[0]!.replacePaths).toEqual(["triggers_replace"]);
    expect(printed.join("\n")).toContain("Stack fraud-prod: 1 to add, 1 to change, 0 to destroy, 1 to replace\n  run: " + URL_ + "\n");
    expect(printed.join("\n")).toContain("± terraform_data.serving_scorer  replace, forced by triggers_replace");
    expect(printed.join("\n")).toContain(`  run: ${URL_}`);
    expect(printed.join("\n")).not.toContain(TOKEN);
  });

  it("with tags, the workspace named after the stack is selected the way `terraform workspace select` does (.terraform/environment) before init", async () => {
    const tagged = { ...stack, terraform: { cloud: { organization: "acme-ml", hostname: "app.terraform.io", workspaces: { tags: ["mlplat"] } } } };
    const { d, dir } = deps("ok", tagged);
    await runPlan("platform.yaml", {}, d);
    expect(readFileSync(join(dir, ".terraform", "environment"), "utf8")).toBe("fraud-prod");
    const named = deps();
    await runPlan("platform.yaml", {}, named.d);
    expect(() => readFileSync(join(named.dir, ".terraform", "environment"))).toThrow();
  });

  it("with tags, when the only tagged workspace is another one, init's silent switch to it is refused: nothing planned against another environment's state", async () => {
    const tagged = { ...stack, terraform: { cloud: { organization: "acme-ml", hostname: "app.terraform.io", workspaces: { tags: ["mlplat"] } } } };
    const { d, dir, calls } = deps("ok", tagged, { FAKE_TF_TAGGED_WORKSPACES: "fraud-dev" });
    const err = await runPlan("platform.yaml", {}, d).catch((e) => e);
    expect(err).toBeInstanceOf(MlplatError);
    expect([err.code, err.exitCode]).toEqual(["MLP_HCP_WORKSPACE", 1]);
    expect(err.message).toBe(
      'terraform init selected the HCP Terraform workspace "fraud-dev" for stack fraud-prod: it is the only workspace with the tags of spec.state.tags, and "fraud-prod" is not among them.',
    );
    expect(calls().map((c) => c.split(" ")[0])).toEqual(["init"]);
    // Put back: a terraform command run by hand in the folder does not land in fraud-dev either.
    expect(readFileSync(join(dir, ".terraform", "environment"), "utf8")).toBe("fraud-prod");
    // The next run inits again (nothing stamped) and refuses again.
    const again = await runPlan("platform.yaml", {}, d).catch((e) => e);
    expect(again.code).toBe("MLP_HCP_WORKSPACE");
    // Once the workspace exists with the tags, the plan runs in it.
    const ok = deps("ok", tagged, { FAKE_TF_TAGGED_WORKSPACES: "fraud-dev,fraud-prod" });
    await runPlan("platform.yaml", {}, ok.d);
    expect(readFileSync(join(ok.dir, ".terraform", "environment"), "utf8")).toBe("fraud-prod");
  });

  it("with tags and no tagged workspace at all, init's 'No existing workspaces.' gets the hint to create the stack's", async () => {
    const tagged = { ...stack, terraform: { cloud: { organization: "acme-ml", hostname: "app.terraform.io", workspaces: { tags: ["mlplat"] } } } };
    const { d } = deps("ok", tagged, { FAKE_TF_TAGGED_WORKSPACES: "" });
    const err = await runPlan("platform.yaml", {}, d).catch((e) => e);
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.hint).toContain("with spec.state.tags, mlplat selects the workspace named after the stack among those tags");
  });

  it("after an --offline run (local stand-in backend), the next online init has no -reconfigure, which terraform refuses with a cloud block, and migrates nothing", async () => {
    const { d, dir, calls } = deps();
    // What an --offline run leaves: the init marker says offline, terraform's working-directory record names the local stand-in.
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    writeFileSync(join(dir, ".terraform", "mlplat-init.json"), JSON.stringify({ offline: true, stamp: "offline-run" }) + "\n");
    writeFileSync(join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, backend: { type: "local", config: { path: "/state/fraud-prod.tfstate" } } }));
    const report = await runPlan("platform.yaml", {}, d);
    expect(calls()[0]).toBe("init -no-color -input=false token:set");
    expect(report.stacks[0]).toMatchObject({ name: "fraud-prod", runUrl: URL_ });
    expect(JSON.parse(readFileSync(join(dir, ".terraform", "mlplat-init.json"), "utf8")).offline).toBe(false);
  });

  it("deploy applies the bookmark of the run it reviewed (a private copy of the sealed bytes), nothing re-planned", async () => {
    const { d, calls, dir } = deps();
    const report = await runDeploy("platform.yaml", { autoApprove: true, allowDisruption: true, skipKubernetes: true, ignoreQuota: true }, d);
    expect(report.status).toBe("applied");
    const applied = calls().filter((c) => c.startsWith("apply "));
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatch(/^apply -no-color -input=false \S+ token:set$/);
    expect(calls().filter((c) => c.startsWith("plan "))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, "mlplat.tfplan"), "utf8"))).toEqual({ remote_plan_format: 1, run_id: "run-CZcmD7eagjhyX0vN", hostname: "app.terraform.io" });
    expect(readFileSync(join(dir, "terraform.log"), "utf8")).toContain("Apply complete! Resources: 2 added, 1 changed, 1 destroyed.");
  });

  it("a saved plan rewritten after review is refused before terraform sees it (MLP_PLAN_CHANGED)", async () => {
    const { d, calls } = deps("swap-bookmark");
    const err = await runDeploy("platform.yaml", { autoApprove: true, allowDisruption: true, skipKubernetes: true, ignoreQuota: true }, d).catch((e) => e);
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.code).toBe("MLP_PLAN_CHANGED");
    expect(calls().some((c) => c.startsWith("apply "))).toBe(false);
  });

  it("a remote plan that must destroy a protected resource is the data-loss refusal (MLP_DATA_LOSS, exit 1), read from the run's streamed log", async () => {
    const { d, calls } = deps("protected");
    const err = await runDeploy("platform.yaml", { autoApprove: true, allowDisruption: true, skipKubernetes: true, ignoreQuota: true }, d).catch((e) => e);
    expect(err).toBeInstanceOf(MlplatError);
    expect([err.code, err.exitCode]).toEqual(["MLP_DATA_LOSS", 1]);
    expect(err.message).toBe("Plan refused: terraform would have to destroy 1 protected resource (protect: true) in fraud-prod. Nothing was applied; the state is unchanged.");
    expect(err.details).toBe("  - terraform_data.storage_datasets in fraud-prod: the plan destroys it");
    expect(calls().some((c) => c.startsWith("apply ") || c.startsWith("show "))).toBe(false);
  });

  it("a run discarded on HCP Terraform (another run applied first): exit 3, terraform's reason, what to do; the token never shown", async () => {
    const { d } = deps("discarded");
    const err = await runDeploy("platform.yaml", { autoApprove: true, allowDisruption: true, skipKubernetes: true, ignoreQuota: true }, d).catch((e) => e);
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.exitCode).toBe(3);
    expect(err.details).toContain("Error: Saved plan is discarded");
    expect(err.hint).toBe(
      "the reviewed run on HCP Terraform can no longer be applied (saved plan is discarded): another run changed the workspace's state first, " +
        "or someone discarded or canceled it, or a policy needs an override. Nothing of it was applied. Run the command again to plan afresh; the run's page is named above.",
    );
    expect(JSON.stringify({ m: err.message, d: err.details, h: err.hint })).not.toContain(TOKEN);
  });
});
