import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import { MlplatError, TerraformError } from "../../src/util/errors.js";
import { config, harness, planStream } from "./fakes.js";

const STACK = { "fraud-default": config(["aws_s3_bucket.storage_datasets"], ["aws_s3_bucket.storage_datasets"]) };
const CREATE = planStream([
  ["aws_vpc.network", "create"],
  ["aws_s3_bucket.storage_datasets", "create"],
]);
const LOSES_BUCKET = planStream([
  ["aws_vpc.network", "update"],
  ["aws_s3_bucket.storage_raw", "delete"],
  ["aws_ecr_repository.registry_serving", "replace"],
]);

describe("runPlan", () => {
  it("synthesizes, then inits and plans to the saved plan file for each stack, reading the plan's own JSON stream", async () => {
    const h = harness({ "fraud-default": config([]), "fraud-extra": config([]) });
    h.runner.plans["fraud-default"] = CREATE;
    const report = await runPlan("platform.yaml", { env: "prod", outDir: "o", stateDir: "s" }, h.deps);
    expect(h.synth.calls).toEqual([{ file: "platform.yaml", options: { env: "prod", outDir: "o", stateDir: "s", offline: false, command: "plan", holdLock: true } }]);
    // The output's lock, taken by synth, is released when the command is done.
    expect(h.synth.released).toBe(1);
    expect(h.runner.methods()).toEqual([
      "init fraud-default",
      "plan fraud-default",
      "init fraud-extra",
      "plan fraud-extra",
    ]);
    expect(h.runner.calls[1]).toMatchObject({ options: { out: "mlplat.tfplan", refresh: true } });
    expect(h.steps).toEqual(["synth platform.yaml", "init fraud-default", "plan fraud-default", "init fraud-extra", "plan fraud-extra"]);
    expect(report.changes).toBe(true);
    expect(report.stacks.map((s) => [s.name, s.add, s.changes])).toEqual([
      ["fraud-default", 2, true],
      ["fraud-extra", 0, false],
    ]);
    expect(h.printed.join("\n")).toContain("Stack fraud-default: 2 to add, 0 to change, 0 to destroy, 0 to replace");
    expect(h.printed.join("\n")).toContain("Stack fraud-extra: no changes.");
  });

  it("plans offline without refresh and synthesizes for offline", async () => {
    const h = harness(STACK);
    await runPlan("p.yaml", { offline: true }, h.deps);
    expect(h.synth.calls[0].options.offline).toBe(true);
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { refresh: false } });
  });

  it("reinitializes without migrating only when switching to or from an offline run", async () => {
    const h = harness(STACK);
    await runPlan("p.yaml", {}, h.deps);
    await runPlan("p.yaml", { offline: true }, h.deps);
    await runPlan("p.yaml", {}, h.deps);
    await runPlan("p.yaml", {}, h.deps);
    const inits = h.runner.calls.filter((c) => c.method === "init").map((c) => c.method === "init" && c.options?.reconfigure);
    expect(inits).toEqual([false, true, true, false]);
  });

  it("plans without refresh on --no-refresh", async () => {
    const h = harness(STACK);
    await runPlan("p.yaml", { refresh: false }, h.deps);
    expect(h.synth.calls[0].options.offline).toBe(false);
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { refresh: false } });
  });

  it("reports data loss in the JSON of the plan without refusing anything", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = LOSES_BUCKET;
    const report = await runPlan("p.yaml", {}, h.deps);
    expect(report.stacks[0]).toMatchObject({
      name: "fraud-default",
      add: 0,
      change: 1,
      destroy: 1,
      replace: 1,
      dataLoss: [
        { address: "aws_s3_bucket.storage_raw", action: "delete", section: "storage", name: "raw" },
        { address: "aws_ecr_repository.registry_serving", action: "replace", section: "registry", name: "serving" },
      ],
    });
    expect(h.printed.join("\n")).toContain('aws_s3_bucket.storage_raw (storage "raw"): destroy');
  });

  it("lets a terraform failure through unchanged, after the steps before it", async () => {
    const h = harness(STACK);
    h.runner.failOn = { method: "plan", error: new TerraformError("terraform plan failed", { logFile: "/x/terraform.log" }) };
    await expect(runPlan("p.yaml", {}, h.deps)).rejects.toMatchObject({ exitCode: 3, logFile: "/x/terraform.log" });
    expect(h.runner.methods()).toEqual(["init fraud-default", "plan fraud-default"]);
  });
});

describe("runDeploy", () => {
  it("applies exactly the saved plan after a yes on the terminal", async () => {
    const h = harness(STACK, true);
    h.runner.plans["fraud-default"] = CREATE;
    const report = await runDeploy("p.yaml", {}, h.deps);
    expect(h.runner.methods()).toEqual(["init fraud-default", "plan fraud-default", "apply fraud-default"]);
    expect(h.runner.calls.at(-1)).toEqual({ method: "apply", stack: "fraud-default", planFile: "mlplat.tfplan" });
    expect(h.questions).toEqual(['Apply the plan above to fraud-default? Only "yes" applies: ']);
    expect(report).toMatchObject({ status: "applied", stacks: [{ name: "fraud-default", add: 2, applied: true }] });
    expect(report.error).toBeUndefined();
  });

  it("applies without asking with --auto-approve and no terminal", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = CREATE;
    const report = await runDeploy("p.yaml", { autoApprove: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(h.runner.methods()).toContain("apply fraud-default");
  });

  it("refuses before any work without a terminal and without --auto-approve", async () => {
    const h = harness(STACK);
    const err = await runDeploy("p.yaml", {}, h.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlplatError);
    expect(err).toMatchObject({ code: "MLP_NEEDS_APPROVAL", exitCode: 1 });
    expect((err as MlplatError).hint).toContain("--auto-approve");
    expect(h.synth.calls).toHaveLength(0);
    expect(h.runner.calls).toHaveLength(0);
  });

  it("applies nothing when the person does not answer yes", async () => {
    const h = harness(STACK, false);
    h.runner.plans["fraud-default"] = CREATE;
    const report = await runDeploy("p.yaml", {}, h.deps);
    expect(report.status).toBe("declined");
    expect(report.error).toMatchObject({ code: "MLP_DEPLOY_DECLINED", exitCode: 1 });
    expect(h.runner.methods()).not.toContain("apply fraud-default");
  });

  it("refuses a plan that destroys or replaces data-bearing resources, naming each, before any apply", async () => {
    const h = harness(STACK, true);
    h.runner.plans["fraud-default"] = LOSES_BUCKET;
    const report = await runDeploy("p.yaml", { autoApprove: true }, h.deps);
    expect(report.status).toBe("refused");
    expect(report.error).toMatchObject({ code: "MLP_DATA_LOSS", exitCode: 1 });
    expect(report.error!.message).toBe("Deploy refused: the plan would destroy or replace 2 data-bearing resources. Nothing was applied.");
    expect(report.error!.details).toBe(
      '  - aws_s3_bucket.storage_raw in fraud-default (storage "raw"): destroy\n' +
        '  - aws_ecr_repository.registry_serving in fraud-default (registry "serving"): replace',
    );
    expect(report.error!.hint).toContain("--allow-data-loss");
    expect(h.runner.calls.filter((c) => c.method === "apply")).toHaveLength(0);
    expect(h.questions).toHaveLength(0);
  });

  it("checks every stack's plan before applying any of them", async () => {
    const h = harness({ "a-default": config([]), "b-default": config([]) }, true);
    h.runner.plans["a-default"] = CREATE;
    h.runner.plans["b-default"] = LOSES_BUCKET;
    const report = await runDeploy("p.yaml", { autoApprove: true }, h.deps);
    expect(report.status).toBe("refused");
    expect(h.runner.methods().filter((m) => m.startsWith("apply"))).toEqual([]);
  });

  it("applies a data-losing plan with --allow-data-loss", async () => {
    const h = harness(STACK, true);
    h.runner.plans["fraud-default"] = LOSES_BUCKET;
    const report = await runDeploy("p.yaml", { allowDataLoss: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(report.stacks[0].dataLoss).toHaveLength(2);
    expect(h.runner.methods()).toContain("apply fraud-default");
  });

  it("neither asks nor applies when no stack has changes", async () => {
    const h = harness(STACK, true);
    const report = await runDeploy("p.yaml", {}, h.deps);
    expect(report.status).toBe("no-changes");
    expect(h.questions).toHaveLength(0);
    expect(h.runner.methods()).not.toContain("apply fraud-default");
  });

  it("offline, stops after plan, summary and guards: would-apply, without a terminal or --auto-approve", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = CREATE;
    const report = await runDeploy("p.yaml", { offline: true }, h.deps);
    expect(report.status).toBe("would-apply");
    expect(report.error).toBeUndefined();
    expect(h.synth.calls[0].options.offline).toBe(true);
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { refresh: false } });
    expect(h.runner.methods()).toEqual(["init fraud-default", "plan fraud-default"]);
  });

  it("offline, is refused by the guard with exit 1", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = LOSES_BUCKET;
    const report = await runDeploy("p.yaml", { offline: true }, h.deps);
    expect(report.status).toBe("refused");
    expect(report.error?.exitCode).toBe(1);
  });

  it("offline with --allow-data-loss passes the guard and still applies nothing", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = LOSES_BUCKET;
    const report = await runDeploy("p.yaml", { offline: true, allowDataLoss: true }, h.deps);
    expect(report.status).toBe("would-apply");
    expect(h.runner.methods()).not.toContain("apply fraud-default");
  });

  it("stops at the first failed apply, reporting terraform's error", async () => {
    const h = harness(STACK);
    h.runner.plans["fraud-default"] = CREATE;
    h.runner.failOn = { method: "apply", error: new TerraformError("terraform apply failed in stack fraud-default (exit 1).") };
    await expect(runDeploy("p.yaml", { autoApprove: true }, h.deps)).rejects.toMatchObject({ exitCode: 3 });
  });
});
