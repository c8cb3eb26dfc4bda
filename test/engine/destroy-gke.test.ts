import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDestroy, UNGUARD_PLAN_FILE } from "../../src/engine/destroy.js";
import type { PlanOptions } from "../../src/terraform/runner.js";
import { harness, planStream, stateJson } from "./fakes.js";

const STACK = "fraud-default";
const CLUSTER = "google_container_cluster.cluster";
const POOL = "google_container_node_pool.cluster_cpu";
const BUCKET = "google_storage_bucket.storage_datasets";

/** A GCP stack's cdk.tf.json: a cluster (`cluster` merged into its body), its pool, a bucket. */
function gcpConfig(cluster: Record<string, unknown> = { deletion_protection: true }) {
  return {
    terraform: { backend: { local: { path: "x.tfstate" } } },
    resource: {
      google_container_cluster: { cluster: { name: "fraud-default", location: "europe-west4", remove_default_node_pool: true, ...cluster } },
      google_container_node_pool: { cluster_cpu: { name: "cpu", cluster: "${google_container_cluster.cluster.id}" } },
      google_storage_bucket: { storage_datasets: { name: "fraud-default-datasets" } },
    },
  };
}

const STATE = stateJson([
  { address: CLUSTER },
  { address: POOL, depends_on: [CLUSTER] },
  { address: BUCKET },
]);

/** The targeted unguard plan updates the cluster in place (or `unguard`); destroy plans delete their targets. */
function plans(unguard: [string, string][] = [[CLUSTER, "update"]], everything = [CLUSTER, POOL, BUCKET]) {
  return (o: PlanOptions) =>
    o.out === UNGUARD_PLAN_FILE ? planStream(unguard) : planStream((o.targets ?? everything).map((a) => [a, "delete"] as [string, string]));
}

const written = (h: ReturnType<typeof harness>) => JSON.parse(readFileSync(join(h.synth.outDir, "stacks", STACK, "cdk.tf.json"), "utf8"));

describe("runDestroy with a GKE cluster under deletion_protection", () => {
  it("with --auto-approve turns deletion_protection off with a targeted plan and apply before the one destroy plan", async () => {
    const h = harness({ [STACK]: gcpConfig() });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);

    expect(h.runner.calls.map((c) => (c.method === "plan" ? `plan ${c.options.out}` : c.method === "apply" ? `apply ${c.planFile}` : c.method))).toEqual([
      "init",
      "showState",
      `plan ${UNGUARD_PLAN_FILE}`,
      `apply ${UNGUARD_PLAN_FILE}`,
      "plan mlplat.tfplan",
      "apply mlplat.tfplan",
    ]);
    const [unguard, destroy] = h.runner.calls.filter((c) => c.method === "plan");
    expect(unguard).toMatchObject({ options: { targets: [CLUSTER], refresh: true } });
    expect(unguard).not.toMatchObject({ options: { destroy: true } });
    expect(destroy).toMatchObject({ options: { destroy: true, targets: undefined } });
    expect(report.status).toBe("destroyed");
    expect(report.stacks[0]).toMatchObject({ applied: true, destroy: 3, deletionProtectionLifted: [CLUSTER] });
    expect(h.printed[0]).toBe(
      `Stack ${STACK}: deletion_protection is on for ${CLUSTER}; a targeted apply turns it off now so the destroy can delete it (the next deploy turns it back on).`,
    );
  });

  it("rewrites only this run's cdk.tf.json, and only deletion_protection on the cluster", async () => {
    const h = harness({ [STACK]: gcpConfig() });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    await runDestroy("p.yaml", { autoApprove: true }, h.deps);

    expect(written(h)).toEqual(gcpConfig({ deletion_protection: false }));
    // Synth was asked for the blueprint's configuration as is: the next synth writes the guard back.
    expect(h.synth.calls).toHaveLength(1);
    expect(Object.keys(h.synth.calls[0].options).sort()).toEqual(["command", "env", "holdLock", "offline", "outDir", "stateDir"]);
    await h.synth("p.yaml", h.synth.calls[0].options);
    expect(written(h).resource.google_container_cluster.cluster.deletion_protection).toBe(true);
  });

  it("applies the targeted plan only after the confirmation, then plans the destroy again because the confirmed plan is stale", async () => {
    const h = harness({ [STACK]: gcpConfig() }, true);
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const callsAtQuestion: string[] = [];
    const confirm = h.deps.ui.confirm!;
    h.deps.ui.confirm = async (q) => {
      callsAtQuestion.push(...h.runner.calls.map((c) => c.method + (c.method === "plan" ? ` ${c.options.out}` : "")));
      return confirm(q);
    };
    const report = await runDestroy("p.yaml", {}, h.deps);

    expect(callsAtQuestion).toEqual(["init", "showState", `plan ${UNGUARD_PLAN_FILE}`, "plan mlplat.tfplan"]);
    expect(h.runner.calls.slice(4).map((c) => (c.method === "plan" ? `plan ${c.options.out}` : c.method === "apply" ? `apply ${c.planFile}` : c.method))).toEqual([
      `apply ${UNGUARD_PLAN_FILE}`,
      "plan mlplat.tfplan",
      "apply mlplat.tfplan",
    ]);
    expect(h.questions).toHaveLength(1);
    expect(h.steps).toEqual([
      "synth p.yaml",
      `init ${STACK}`,
      `plan-unguard ${STACK}`,
      `plan-destroy ${STACK}`,
      `unguard ${STACK}`,
      `plan-destroy ${STACK}`,
      `destroy ${STACK}`,
    ]);
    expect(report.stacks[0].deletionProtectionLifted).toEqual([CLUSTER]);
    expect(h.printed[0]).toContain("once you confirm, a targeted apply turns it off");
  });

  it("changes nothing when the person declines, and reports no protection lifted", async () => {
    const h = harness({ [STACK]: gcpConfig() }, false);
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const report = await runDestroy("p.yaml", {}, h.deps);
    expect(report.status).toBe("declined");
    expect(h.runner.calls.filter((c) => c.method === "apply")).toEqual([]);
    expect(report.stacks[0].deletionProtectionLifted).toEqual([]);
  });

  it("stops before destroying when the destroy planned again differs from the confirmed one", async () => {
    const h = harness({ [STACK]: gcpConfig() }, true);
    h.runner.states[STACK] = STATE;
    let destroyPlans = 0;
    h.runner.plans[STACK] = (o) =>
      o.out === UNGUARD_PLAN_FILE
        ? planStream([[CLUSTER, "update"]])
        : planStream(++destroyPlans === 1 ? [[CLUSTER, "delete"], [POOL, "delete"], [BUCKET, "delete"]] : [[CLUSTER, "delete"], [POOL, "delete"]]);
    await expect(runDestroy("p.yaml", {}, h.deps)).rejects.toMatchObject({ code: "MLP_DESTROY_PLAN_CHANGED", exitCode: 1 });
    expect(h.runner.calls.filter((c) => c.method === "apply").map((c) => c.method === "apply" && c.planFile)).toEqual([UNGUARD_PLAN_FILE]);
  });

  it("makes no extra terraform call when the cluster has no deletion_protection", async () => {
    const h = harness({ [STACK]: gcpConfig({ deletion_protection: false }) });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.methods()).toEqual([`init ${STACK}`, `showState ${STACK}`, `plan ${STACK}`, `apply ${STACK}`]);
    expect(report.stacks[0].deletionProtectionLifted).toEqual([]);
  });

  it("makes no extra terraform call when the guarded cluster is not in the state", async () => {
    const h = harness({ [STACK]: gcpConfig() });
    h.runner.states[STACK] = stateJson([{ address: BUCKET }]);
    h.runner.plans[STACK] = plans(undefined, [BUCKET]);
    await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.methods()).toEqual([`init ${STACK}`, `showState ${STACK}`, `plan ${STACK}`, `apply ${STACK}`]);
    expect(written(h).resource.google_container_cluster.cluster.deletion_protection).toBe(true);
  });

  it("leaves a kept cluster's deletion_protection alone and makes no extra terraform call", async () => {
    const h = harness({ [STACK]: gcpConfig({ deletion_protection: true, lifecycle: { prevent_destroy: true } }) });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.methods()).toEqual([`init ${STACK}`, `showState ${STACK}`, `plan ${STACK}`, `apply ${STACK}`]);
    expect(h.runner.calls.find((c) => c.method === "plan")).toMatchObject({ options: { destroy: true, targets: [BUCKET] } });
    expect(report.stacks[0].kept).toEqual([
      { address: CLUSTER, reason: "protected" },
      { address: POOL, reason: `part of ${CLUSTER}` },
    ]);
    expect(written(h).resource.google_container_cluster.cluster.deletion_protection).toBe(true);
  });

  it("with --allow-data-loss also lifts deletion_protection from a cluster protected with prevent_destroy", async () => {
    const h = harness({ [STACK]: gcpConfig({ deletion_protection: true, lifecycle: { prevent_destroy: true } }) });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans();
    const report = await runDestroy("p.yaml", { autoApprove: true, allowDataLoss: true }, h.deps);
    expect(h.runner.calls.filter((c) => c.method === "plan").map((c) => c.method === "plan" && c.options.out)).toEqual([UNGUARD_PLAN_FILE, "mlplat.tfplan"]);
    expect(report.stacks[0].deletionProtectionLifted).toEqual([CLUSTER]);
    expect(written(h).resource.google_container_cluster.cluster).not.toHaveProperty("lifecycle");
    expect(written(h).resource.google_container_cluster.cluster.deletion_protection).toBe(false);
  });

  it("skips the apply when the state already has deletion_protection off (the targeted plan changes nothing)", async () => {
    const h = harness({ [STACK]: gcpConfig() });
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans([]);
    const report = await runDestroy("p.yaml", { autoApprove: true }, h.deps);
    expect(h.runner.calls.filter((c) => c.method === "apply").map((c) => c.method === "apply" && c.planFile)).toEqual(["mlplat.tfplan"]);
    expect(report.stacks[0].deletionProtectionLifted).toEqual([]);
    expect(h.printed.join("\n")).not.toContain("deletion_protection is on");
  });

  it.each([
    ["updates another resource", [[CLUSTER, "update"], ["google_service_account.cluster_nodes", "update"]], "update google_service_account.cluster_nodes"],
    ["replaces the cluster", [[CLUSTER, "replace"]], `replace ${CLUSTER}`],
    ["creates a resource", [[CLUSTER, "update"], ["google_project_service.project_container", "create"]], "create google_project_service.project_container"],
  ] as [string, [string, string][], string][])("refuses, before any apply, when the targeted plan also %s", async (_, unguard, what) => {
    const h = harness({ [STACK]: gcpConfig() }, true);
    h.runner.states[STACK] = STATE;
    h.runner.plans[STACK] = plans(unguard);
    const error = await runDestroy("p.yaml", { autoApprove: true }, h.deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MLP_DESTROY_UNGUARD_UNSAFE", exitCode: 1 });
    expect((error as Error).message).toContain(`turning deletion_protection off on ${CLUSTER} would also ${what}`);
    expect(h.runner.methods()).toEqual([`init ${STACK}`, `showState ${STACK}`, `plan ${STACK}`]);
    expect(h.questions).toEqual([]);
  });
});
