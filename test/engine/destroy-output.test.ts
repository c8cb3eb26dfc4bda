import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keptResources, runDestroy } from "../../src/engine/destroy.js";
import { runOutput } from "../../src/engine/output.js";
import type { PlanOptions } from "../../src/terraform/runner.js";
import { config, harness, planStream, stateJson } from "./fakes.js";

const RESOURCES = [
  "aws_kms_key.storage_datasets_Key",
  "aws_s3_bucket.storage_datasets",
  "aws_s3_bucket_policy.storage_datasets_Policy",
  "aws_vpc.network",
  "aws_ecr_repository.registry_serving",
];
const PROTECTED = ["aws_s3_bucket.storage_datasets", "aws_kms_key.storage_datasets_Key"];
const STATE = stateJson([
  { address: "data.aws_iam_policy_document.kms_policy" },
  { address: "aws_iam_role.cluster_role" },
  { address: "aws_kms_key.storage_datasets_Key", depends_on: ["aws_iam_role.cluster_role", "data.aws_iam_policy_document.kms_policy"] },
  { address: "aws_s3_bucket.storage_datasets", depends_on: ["aws_kms_key.storage_datasets_Key"] },
  { address: "aws_s3_bucket_policy.storage_datasets_Policy", depends_on: ["aws_s3_bucket.storage_datasets"] },
  { address: "aws_vpc.network" },
  { address: "aws_ecr_repository.registry_serving" },
]);

/** A destroy plan that deletes exactly the targets (or everything in STATE). */
const destroyPlan = (o: PlanOptions) =>
  planStream((o.targets ?? ["aws_iam_role.cluster_role", ...RESOURCES]).map((a) => [a, "delete"] as [string, string]));

describe("keptResources", () => {
  it("keeps a protected resource's own settings, found by the address scheme, and what they need", () => {
    const r = (address: string, depends_on: string[] = []) => {
      const [type, name] = address.split(".");
      return { address, mode: "managed" as const, type, name, depends_on };
    };
    const kept = keptResources(
      [
        r("aws_s3_bucket.storage_datasets"),
        r("aws_s3_bucket_public_access_block.storage_datasets_public-access-block", ["aws_s3_bucket.storage_datasets"]),
        r("aws_s3_bucket_policy.storage_datasets_policy", ["aws_iam_role.serving_scorer_role"]),
        r("aws_iam_role.serving_scorer_role"),
        r("aws_s3_bucket.storage_datasets-archive"),
        r("aws_s3_bucket.storage_models"),
      ],
      ["aws_s3_bucket.storage_datasets"],
    );
    expect(kept).toEqual([
      { address: "aws_iam_role.serving_scorer_role", reason: "needed by aws_s3_bucket_policy.storage_datasets_policy" },
      { address: "aws_s3_bucket.storage_datasets", reason: "protected" },
      { address: "aws_s3_bucket_policy.storage_datasets_policy", reason: "part of aws_s3_bucket.storage_datasets" },
      { address: "aws_s3_bucket_public_access_block.storage_datasets_public-access-block", reason: "part of aws_s3_bucket.storage_datasets" },
    ]);
  });

  it("keeps every instance of a protected resource and, transitively, what they depend on", () => {
    const kept = keptResources(
      [
        { address: "aws_iam_role.cluster_role", mode: "managed", type: "aws_iam_role", name: "cluster_role", depends_on: [] },
        { address: "aws_kms_key.storage_a_Key", mode: "managed", type: "aws_kms_key", name: "storage_a_Key", depends_on: ["aws_iam_role.cluster_role"] },
        { address: 'aws_s3_bucket.storage_a["x"]', mode: "managed", type: "aws_s3_bucket", name: "storage_a", depends_on: ["aws_kms_key.storage_a_Key"] },
        { address: "aws_vpc.network", mode: "managed", type: "aws_vpc", name: "network", depends_on: [] },
      ],
      ["aws_s3_bucket.storage_a"],
    );
    expect(kept).toEqual([
      { address: "aws_iam_role.cluster_role", reason: "needed by aws_kms_key.storage_a_Key" },
      { address: "aws_kms_key.storage_a_Key", reason: 'part of aws_s3_bucket.storage_a["x"]' },
      { address: 'aws_s3_bucket.storage_a["x"]', reason: "protected" },
    ]);
  });
});

describe("runDestroy", () => {
  it("destroys every managed resource but the protected ones and their dependencies, through a targeted destroy plan", async () => {
    const h = harness({ "fraud-default": config(RESOURCES, PROTECTED) }, true);
    h.runner.states["fraud-default"] = STATE;
    h.runner.plans["fraud-default"] = destroyPlan;
    const report = await runDestroy("p.yaml", {}, h.deps);

    expect(h.runner.methods()).toEqual(["init fraud-default", "showState fraud-default", "plan fraud-default", "apply fraud-default"]);
    const plan = h.runner.calls.find((c) => c.method === "plan");
    expect(plan).toMatchObject({
      options: {
        destroy: true,
        out: "mlplat.tfplan",
        targets: ["aws_vpc.network", "aws_ecr_repository.registry_serving"],
      },
    });
    expect(report.status).toBe("destroyed");
    expect(report.stacks[0]).toMatchObject({
      name: "fraud-default",
      applied: true,
      destroy: 2,
      destroyed: ["aws_vpc.network", "aws_ecr_repository.registry_serving"],
      kept: [
        { address: "aws_iam_role.cluster_role", reason: "needed by aws_kms_key.storage_datasets_Key" },
        { address: "aws_kms_key.storage_datasets_Key", reason: "protected" },
        { address: "aws_s3_bucket.storage_datasets", reason: "protected" },
        { address: "aws_s3_bucket_policy.storage_datasets_Policy", reason: "part of aws_s3_bucket.storage_datasets" },
      ],
    });
    const text = h.printed.join("\n");
    expect(text).toContain("Stays in place and under management:");
    expect(text).toContain("= aws_s3_bucket.storage_datasets (protected)");
    expect(text).toContain("4 resources stayed under management");
    expect(h.questions[0]).toContain("Destroy the resources above in fraud-default?");
  });

  it("destroys everything with a plain destroy plan when nothing is protected", async () => {
    const h = harness({ "fraud-default": config(RESOURCES) });
    h.runner.states["fraud-default"] = STATE;
    h.runner.plans["fraud-default"] = destroyPlan;
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { destroy: true, targets: undefined } });
    expect(report.stacks[0].kept).toEqual([]);
    expect(report.status).toBe("destroyed");
  });

  it("plans nothing when only protected resources and their dependencies are left", async () => {
    const h = harness({ "fraud-default": config(RESOURCES, PROTECTED) });
    h.runner.states["fraud-default"] = stateJson([
      { address: "aws_kms_key.storage_datasets_Key" },
      { address: "aws_s3_bucket.storage_datasets", depends_on: ["aws_kms_key.storage_datasets_Key"] },
    ]);
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.methods()).toEqual(["init fraud-default", "showState fraud-default"]);
    expect(report.status).toBe("nothing-to-destroy");
    expect(report.stacks[0].kept.map((k) => k.address)).toEqual(["aws_kms_key.storage_datasets_Key", "aws_s3_bucket.storage_datasets"]);
    expect(h.printed.join("\n")).toMatchInlineSnapshot(`
      "Stack fraud-default: nothing to destroy.
        Stays in place and under management:
          = aws_kms_key.storage_datasets_Key (protected)
          = aws_s3_bucket.storage_datasets (protected)"
    `);
  });

  it("plans nothing on an empty state", async () => {
    const h = harness({ "fraud-default": config(RESOURCES, PROTECTED) });
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(report.status).toBe("nothing-to-destroy");
    expect(h.runner.methods()).not.toContain("plan fraud-default");
  });

  it("with --allow-data-loss lifts prevent_destroy from this run's cdk.tf.json and destroys everything", async () => {
    const h = harness({ "fraud-default": config(RESOURCES, PROTECTED) });
    h.runner.states["fraud-default"] = STATE;
    h.runner.plans["fraud-default"] = destroyPlan;
    const report = await runDestroy("p.yaml", { autoApprove: true, allowDataLoss: true }, h.deps);
    const written = JSON.parse(readFileSync(join(h.synth.outDir, "stacks", "fraud-default", "cdk.tf.json"), "utf8"));
    expect(written.resource.aws_s3_bucket.storage_datasets).toEqual({ bucket: "storage_datasets" });
    expect(JSON.stringify(written)).not.toContain("prevent_destroy");
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { destroy: true, targets: undefined } });
    expect(report.stacks[0].kept).toEqual([]);
    expect(report.stacks[0].dataLoss?.map((d) => d.address)).toEqual(["aws_kms_key.storage_datasets_Key", "aws_s3_bucket.storage_datasets", "aws_ecr_repository.registry_serving"]);
    expect(h.printed[0]).toContain("--allow-data-loss lifts protection from aws_kms_key.storage_datasets_Key, aws_s3_bucket.storage_datasets");
  });

  it("refuses without a terminal and without --auto-approve, before synth", async () => {
    const h = harness({ "fraud-default": config(RESOURCES) });
    await expect(runDestroy("p.yaml", {}, h.deps)).rejects.toMatchObject({ code: "MLP_NEEDS_APPROVAL", exitCode: 1 });
    expect(h.synth.calls).toHaveLength(0);
  });

  it("destroys nothing when the person does not answer yes", async () => {
    const h = harness({ "fraud-default": config(RESOURCES) }, false);
    h.runner.states["fraud-default"] = STATE;
    h.runner.plans["fraud-default"] = destroyPlan;
    const report = await runDestroy("p.yaml", {}, h.deps);
    expect(report.status).toBe("declined");
    expect(report.error).toMatchObject({ code: "MLP_DESTROY_DECLINED", exitCode: 1 });
    expect(h.runner.methods()).not.toContain("apply fraud-default");
  });

  it("destroys stacks in reverse synth order", async () => {
    const h = harness({ "a-default": config(["aws_vpc.network"]), "b-default": config(["aws_vpc.network"]) });
    for (const s of ["a-default", "b-default"]) {
      h.runner.states[s] = stateJson([{ address: "aws_vpc.network" }]);
      h.runner.plans[s] = planStream([["aws_vpc.network", "delete"]]);
    }
    await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.methods().filter((m) => m.startsWith("apply"))).toEqual(["apply b-default", "apply a-default"]);
  });
});

describe("runOutput", () => {
  it("prints each stack's outputs with sensitive values hidden and returns them all", async () => {
    const h = harness({ "fraud-default": config([]) });
    h.runner.outputs["fraud-default"] = {
      bucket_names: { value: { datasets: "fraud-default-datasets-1a2b" }, sensitive: false },
      kubeconfig_command: { value: "aws eks update-kubeconfig --name fraud-default", sensitive: false },
      token: { value: "s3cr3t", sensitive: true },
    };
    const report = await runOutput("p.yaml", { env: "default" }, h.deps);
    expect(h.synth.calls[0].options).toMatchObject({ env: "default", offline: false });
    expect(h.runner.methods()).toEqual(["init fraud-default", "output fraud-default"]);
    expect(report).toEqual({
      stacks: [
        {
          name: "fraud-default",
          outputs: {
            bucket_names: { datasets: "fraud-default-datasets-1a2b" },
            kubeconfig_command: "aws eks update-kubeconfig --name fraud-default",
            token: "s3cr3t",
          },
          sensitive: ["token"],
        },
      ],
    });
    expect(h.printed[0]).toMatchInlineSnapshot(`
      "Stack fraud-default:
        bucket_names       = {"datasets":"fraud-default-datasets-1a2b"}
        kubeconfig_command = aws eks update-kubeconfig --name fraud-default
        token              = (sensitive)"
    `);
  });

  it("exits 1 with MLP_NOT_DEPLOYED when no stack has outputs, and leaves no temporary output behind", async () => {
    const h = harness({ "fraud-default": config([]) });
    const err = await runOutput("p.yaml", {}, h.deps).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "MLP_NOT_DEPLOYED", exitCode: 1 });
    expect((err as Error).message).toBe("fraud-default is not deployed: terraform finds no outputs in the state.");
    expect(h.printed).toEqual([]);
    // Synthesized into a private temporary folder, not the user's output, and removed.
    expect(h.synth.calls[0]!.options.outDir).toMatch(/mlplat-output-[^/]+\/out$/);
  });

  it("reads an initialized output of this blueprint as it is: no synth, no init, the saved plan kept", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const out = mkdtempSync(join(tmpdir(), "mlplat-out-"));
    const stack = join(out, "stacks", "fraud-default");
    mkdirSync(join(stack, ".terraform"), { recursive: true });
    writeFileSync(join(stack, "cdk.tf.json"), "{}");
    writeFileSync(join(stack, "mlplat.tfplan"), "PLAN");
    writeFileSync(join(out, "mlplat.json"), JSON.stringify({ format: "mlplat-synth-output/1", blueprint: "p.yaml", env: "default", cloud: "aws", stacks: ["fraud-default"], offline: false }));
    const h = harness({ "fraud-default": config([]) });
    h.runner.outputs["fraud-default"] = { bucket: { value: "b", sensitive: false } };
    const report = await runOutput("p.yaml", { outDir: out }, h.deps);
    expect(report.stacks[0]!.outputs).toEqual({ bucket: "b" });
    expect(h.synth.calls).toEqual([]);
    expect(h.runner.methods()).toEqual(["output fraud-default"]);
    expect(existsSync(join(stack, "mlplat.tfplan"))).toBe(true);
  });
});
