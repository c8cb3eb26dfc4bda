import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDestroy, UNGUARD_PLAN_FILE } from "../../src/engine/destroy.js";
import type { PlanOptions, RemotePlan } from "../../src/terraform/runner.js";
import { harness, planStream, RecordingRunner, stateJson } from "./fakes.js";

/**
 * `mlplat destroy` of a spec.state.backend: hcp stack whose GKE cluster has deletion_protection:
 * the targeted plan that turns the guard off must be a remote run too (planRemote, read with
 * showPlan), as the destroy plan is. A `plan -json` on a stack with a cloud block gets no
 * machine-readable stream from a remote run (the CLI prints the engine's rendering), so the
 * guard was never seen, never lifted, and the destroy failed at the provider halfway.
 */
const STACK = "fraud-default";
const CLUSTER = "google_container_cluster.cluster";
const POOL = "google_container_node_pool.cluster_cpu";

const config = {
  terraform: { cloud: { organization: "acme-ml", hostname: "app.terraform.io", workspaces: { name: STACK } } },
  resource: {
    google_container_cluster: { cluster: { name: STACK, location: "europe-west4", remove_default_node_pool: true, deletion_protection: true } },
    google_container_node_pool: { cluster_cpu: { name: "cpu", cluster: "${google_container_cluster.cluster.id}" } },
  },
};

/** Remote runs as the process runner makes them for a stack with a cloud block: plan -json is refused, planRemote + showPlan answer. */
class RemoteRunner extends RecordingRunner {
  readonly remote: string[] = [];
  private shown: unknown;
  override async plan(dir: string, options: PlanOptions): Promise<unknown[]> {
    if (JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")).terraform?.cloud) throw new Error(`plan -json of a remote run (${options.out})`);
    return super.plan(dir, options);
  }
  async planRemote(dir: string, options: PlanOptions): Promise<RemotePlan> {
    this.remote.push(`planRemote ${options.out}`);
    const changes: [string, string][] = options.out === UNGUARD_PLAN_FILE ? [[CLUSTER, "update"]] : (options.targets ?? [CLUSTER, POOL]).map((a) => [a, "delete"]);
    await super.plan(dir, options); // records the call and writes the saved plan, as terraform writes the run's bookmark
    this.shown = {
      format_version: "1.2",
      resource_changes: changes.map(([address, action]) => {
        const [type, name] = address.split(".");
        return { address, mode: "managed", type, name, change: { actions: [action] } };
      }),
    };
    return { runUrl: `https://app.terraform.io/app/acme-ml/${STACK}/runs/run-${this.remote.length}` };
  }
  async showPlan(): Promise<unknown> {
    return this.shown;
  }
}

describe("runDestroy of an hcp stack with a GKE cluster under deletion_protection", () => {
  it("turns the guard off with a targeted remote run, applied before the remote destroy run", async () => {
    const h = harness({ [STACK]: config });
    const runner = new RemoteRunner();
    runner.states[STACK] = stateJson([{ address: CLUSTER }, { address: POOL, depends_on: [CLUSTER] }]);
    runner.plans[STACK] = (o: PlanOptions) => planStream(o.out === UNGUARD_PLAN_FILE ? [[CLUSTER, "update"]] : [[CLUSTER, "delete"], [POOL, "delete"]]);
    const report = await runDestroy("p.yaml", { autoApprove: true }, { ...h.deps, runner });
    expect(runner.remote).toEqual([`planRemote ${UNGUARD_PLAN_FILE}`, "planRemote mlplat.tfplan"]);
    expect(runner.calls.filter((c) => c.method === "apply").map((c) => (c.method === "apply" ? c.planFile : ""))).toEqual([UNGUARD_PLAN_FILE, "mlplat.tfplan"]);
    expect(report.stacks[0]).toMatchObject({ applied: true, deletionProtectionLifted: [CLUSTER] });
  });
});
