import { afterEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runRollback } from "../../src/engine/rollback.js";
import { readEndpointRollout, writeEndpointRollout } from "../../src/engine/rollout-state.js";
import { realClock } from "../../src/engine/traffic-rollout.js";
import { canary, cleanup, FakeClock, model, OLD, setup, STACK, trafficInputs } from "./traffic-fakes.js";

afterEach(cleanup);

/**
 * The engine's stepped traffic rollout of a Cloud Run endpoint, against a fake terraform that
 * keeps a state like terraform's (`terraform show -json` values of google_cloud_run_v2_service:
 * `traffic`, `template`, `latest_ready_revision`) and answers plans in terraform's machine-readable
 * stream (planStream): a plan changes the service when the traffic input or the revision differs
 * from state, an apply writes them. The stack is the real synthesized cdk.tf.json.
 */
describe("stepped traffic rollout of a Cloud Run endpoint", () => {
  it("deploys a new endpoint all at once: no traffic input, no bake, no record", async () => {
    const clock = new FakeClock();
    const { tf, deps, stateDir } = setup(model(canary), clock);
    const report = await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(report.status).toBe("applied");
    expect(trafficInputs(tf)).toEqual([undefined]);
    expect(tf.methods().filter((m) => m.startsWith("apply"))).toEqual([`apply ${STACK}`]);
    expect(clock.slept).toEqual([]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toBeUndefined();
  });

  it("rolls an image change out as a canary: 10% with the plan deploy shows, a bake, then 100%, each a plan and an apply", async () => {
    const clock = new FakeClock();
    const { h, tf, deps, stateDir, newRevision } = setup(model(canary), clock);
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100 }]);
    const report = await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);

    expect(trafficInputs(tf)).toEqual([
      [
        { revision: newRevision, percent: 10 },
        { revision: OLD, percent: 90 },
      ],
      [{ revision: newRevision, percent: 100 }],
    ]);
    expect(tf.methods()).toEqual([`init ${STACK}`, `showState ${STACK}`, `plan ${STACK}`, `apply ${STACK}`, `plan ${STACK}`, `apply ${STACK}`]);
    // Every apply is the plan just reviewed.
    expect(tf.calls.filter((c) => c.method === "apply").map((c) => (c as { planFile: string }).planFile)).toEqual(["mlplat.tfplan", "mlplat.tfplan"]);
    expect(clock.slept).toEqual([10 * 60_000]);
    expect(tf.service?.traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: newRevision, percent: 100 }]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ previousRevision: OLD, newRevision, steps: [10, 100], step: 1, newPercent: 100, status: "complete" });
    expect(report.rollouts).toEqual([{ stack: STACK, endpoint: "scorer", previousRevision: OLD, newRevision, steps: [10, 100], newPercent: 100, status: "complete" }]);
    expect(h.printed.join("\n")).toContain(`Endpoint scorer: rollout from revision ${OLD} to ${newRevision}, 10% → 100% with 10 min between steps; this plan sets 10%.`);

    // Deployed again with nothing changed: the default input, nothing applied, no bake.
    const again = await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(again.status).toBe("no-changes");
    expect(trafficInputs(tf).at(-1)).toBeUndefined();
    expect(clock.slept).toHaveLength(1);
  });

  it("plans what deploy would apply first: the first step of new content, with the rollout named", async () => {
    const { h, tf, deps, stateDir, newRevision } = setup(model(canary), new FakeClock());
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100 }]);
    const { runPlan } = await import("../../src/engine/plan.js");
    const report = await runPlan("p.yaml", { stateDir }, deps);
    expect(report.changes).toBe(true);
    expect(trafficInputs(tf)).toEqual([
      [
        { revision: newRevision, percent: 10 },
        { revision: OLD, percent: 90 },
      ],
    ]);
    expect(tf.methods().filter((m) => m.startsWith("apply"))).toEqual([]);
    expect(h.printed.join("\n")).toContain("this plan sets 10%");
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toBeUndefined();
  });

  it("deploys all at once after a destroy, whatever the record of an earlier rollout says", async () => {
    const clock = new FakeClock();
    const { tf, deps, stateDir, newRevision } = setup(model(canary), clock);
    writeEndpointRollout(stateDir, STACK, {
      endpoint: "scorer", cloud: "gcp", strategy: "canary", previousRevision: OLD, newRevision,
      steps: [10, 100], step: 0, newPercent: 0, status: "rolled-back", updated: "2026-12-07T00:00:00.000Z",
    });
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(trafficInputs(tf)).toEqual([undefined]);
    expect(tf.service?.traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: newRevision, percent: 100 }]);
    // The stale record does not hold the recreated service on a revision it never had.
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(trafficInputs(tf).at(-1)).toBeUndefined();
  });

  it("goes all at once, saying so, when state does not tell which revision serves", async () => {
    const clock = new FakeClock();
    const { h, tf, deps, stateDir, newRevision } = setup(model(canary), clock);
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "", percent: 100 }]);
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(trafficInputs(tf)).toEqual([undefined]);
    expect(clock.slept).toEqual([]);
    expect(h.printed).toContain(`Endpoint scorer: the revision serving it cannot be read from state, so this deploy gives ${newRevision} all traffic at once.`);
  });

  it("rolls a linear rollout in steps of stepPercent with a bake between each", async () => {
    const clock = new FakeClock();
    const { tf, deps, stateDir, newRevision } = setup(model({ ...canary, strategy: "linear", stepPercent: 30, bakeMinutes: 5 }), clock);
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: OLD, percent: 100 }]);
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps);
    expect(trafficInputs(tf).map((s) => s.find((w: { revision: string }) => w.revision === newRevision).percent)).toEqual([30, 60, 90, 100]);
    expect(clock.slept).toEqual([5 * 60_000, 5 * 60_000, 5 * 60_000]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ strategy: "linear", steps: [30, 60, 90, 100], status: "complete" });
  });

  it("keeps the last applied step when interrupted in a bake, resumes from it on the next deploy, after a confirmation", async () => {
    const { h, tf, deps, stateDir, newRevision } = setup(model(canary), new FakeClock(1), true);
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100 }]);
    await expect(runDeploy("p.yaml", { stateDir }, deps)).rejects.toMatchObject({ code: "MLP_ROLLOUT_INTERRUPTED" });
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ step: 0, newPercent: 10, status: "in-progress" });
    expect(tf.service?.traffic.map((t) => t.percent)).toEqual([10, 90]);
    expect(h.printed.at(-1)).toBe(
      `Rollout of scorer stopped with 10% on ${newRevision} (step 1 of 2): \`mlplat deploy\` resumes it, \`mlplat rollback <file> scorer\` gives ${OLD} all traffic.`,
    );

    // The next deploy re-plans the recorded step (no change: state holds it), asks, bakes, goes on.
    const clock = new FakeClock();
    const resumed = await runDeploy("p.yaml", { stateDir }, { ...deps, clock });
    expect(trafficInputs(tf).slice(1)).toEqual([
      [
        { revision: newRevision, percent: 10 },
        { revision: OLD, percent: 90 },
      ],
      [{ revision: newRevision, percent: 100 }],
    ]);
    expect(h.questions.at(-1)).toBe('Continue the traffic rollout above? Only "yes" continues: ');
    expect(h.printed.join("\n")).toContain(`Endpoint scorer: resuming the rollout from revision ${OLD} to ${newRevision}`);
    expect(clock.slept).toEqual([600_000]);
    expect(resumed.status).toBe("no-changes");
    expect(resumed.rollouts?.[0]).toMatchObject({ newPercent: 100, status: "complete" });
    expect(tf.methods().filter((m) => m.startsWith("apply"))).toHaveLength(2);
  });

  it("rolls back an interrupted rollout: the previous revision gets all traffic, and deploy keeps it there", async () => {
    const { tf, deps, stateDir, newRevision } = setup(model(canary), new FakeClock(1));
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100 }]);
    await expect(runDeploy("p.yaml", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({ code: "MLP_ROLLOUT_INTERRUPTED" });

    const report = await runRollback("p.yaml", "scorer", { autoApprove: true, stateDir }, deps);
    expect(report).toEqual({ status: "rolled-back", stack: STACK, endpoint: "scorer", revision: OLD, from: newRevision });
    expect(trafficInputs(tf).at(-1)).toEqual([{ revision: OLD, percent: 100 }]);
    expect(tf.service?.traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: OLD, percent: 100 }]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ status: "rolled-back", newPercent: 0, previousRevision: OLD });

    const clock = new FakeClock();
    const held = await runDeploy("p.yaml", { autoApprove: true, stateDir }, { ...deps, clock });
    expect(held.status).toBe("no-changes");
    expect(trafficInputs(tf).at(-1)).toEqual([{ revision: OLD, percent: 100 }]);
    expect(clock.slept).toEqual([]);

    // New content after a rollback rolls out from the revision serving: the rolled-back one is skipped.
    const next = setup(model(canary, "1.6.0"), new FakeClock());
    next.tf.deployed(newRevision, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: OLD, percent: 100 }]);
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, next.deps);
    expect(trafficInputs(next.tf)[0]).toEqual([
      { revision: next.newRevision, percent: 10 },
      { revision: OLD, percent: 90 },
    ]);
  });

  it("refuses a step whose plan changes more than the traffic split, applying nothing at that step", async () => {
    const clock = new FakeClock();
    const { tf, deps, stateDir } = setup(model(canary), clock);
    tf.deployed(OLD, [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100 }]);
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms) => {
      await sleep(ms);
      tf.extra = [["google_storage_bucket.storage_models", "update"]];
    };
    const err = await runDeploy("p.yaml", { autoApprove: true, stateDir }, deps).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "MLP_ROLLOUT_PLAN_WIDER",
      message: `The traffic step's plan for ${STACK} would change more than the traffic split: nothing was applied.`,
      details: "  - google_storage_bucket.storage_models: change",
    });
    expect(tf.methods().filter((m) => m.startsWith("apply"))).toHaveLength(1);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ step: 0, status: "in-progress" });
  });

  it("rejects a rollback of an endpoint with no recorded rollout, of an unknown endpoint, and without a terminal or --auto-approve", async () => {
    const { deps, stateDir } = setup(model(canary), new FakeClock());
    await expect(runRollback("p.yaml", "scorer", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({
      code: "MLP_ROLLBACK_NO_PREVIOUS",
      message: `No rollout of endpoint scorer is recorded in ${stateDir}: mlplat knows no previous revision to return to.`,
    });
    await expect(runRollback("p.yaml", "ranker", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({
      code: "MLP_ROLLBACK_UNKNOWN_ENDPOINT",
      message: "p.yaml has no endpoint named ranker.",
      hint: "endpoints: scorer.",
    });
    await expect(runRollback("p.yaml", "scorer", { stateDir }, deps)).rejects.toMatchObject({ code: "MLP_NEEDS_APPROVAL" });
    writeEndpointRollout(stateDir, STACK, {
      endpoint: "scorer", cloud: "gcp", strategy: "canary", previousRevision: OLD, newRevision: "x",
      steps: [10, 100], step: 0, newPercent: 10, status: "in-progress", updated: "2026-12-07T00:00:00.000Z",
    });
    await expect(runRollback("p.yaml", "scorer", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({
      code: "MLP_NOT_DEPLOYED",
      message: expect.stringMatching(/^Endpoint scorer is not deployed in fraud-default \(no google_cloud_run_v2_service\.\S+ in its state\): there is no traffic to roll back\.$/),
    });
    const plain = setup(model({ ...canary, strategy: "allAtOnce" }), new FakeClock());
    await expect(runRollback("p.yaml", "scorer", { autoApprove: true, stateDir }, plain.deps)).rejects.toMatchObject({
      code: "MLP_ROLLBACK_NO_ROLLOUT",
      message:
        "Endpoint scorer has no traffic rollout: only managed endpoints on gcp (Cloud Run) and azure (Container Apps) with rollout.strategy canary or linear keep a previous revision that mlplat can return to.",
    });
  });
});

describe("the real bake clock", () => {
  it("ends a bake at Ctrl-C with MLP_ROLLOUT_INTERRUPTED and leaves no listener behind", async () => {
    const before = process.listenerCount("SIGINT");
    const bake = realClock.sleep(60_000);
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    process.emit("SIGINT");
    await expect(bake).rejects.toMatchObject({
      code: "MLP_ROLLOUT_INTERRUPTED",
      message: "Rollout interrupted during a bake; the traffic stays at the last applied step.",
    });
    expect(process.listenerCount("SIGINT")).toBe(before);
    await realClock.sleep(5);
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
