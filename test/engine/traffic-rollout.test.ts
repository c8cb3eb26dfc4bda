import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import type { Clock } from "../../src/engine/ports.js";
import { runRollback } from "../../src/engine/rollback.js";
import { readEndpointRollout, writeEndpointRollout } from "../../src/engine/rollout-state.js";
import { realClock } from "../../src/engine/traffic-rollout.js";
import type { EndpointModel, PlatformModel } from "../../src/model/platform.js";
import type { RolloutModel } from "../../src/model/rollout.js";
import type { PlanOptions } from "../../src/terraform/runner.js";
import { MlplatError } from "../../src/util/errors.js";
import { gcpModel, synthModel } from "../gcp/fixtures.js";
import { ctx as azureCtx, platformModel as azureModel } from "../azure/fixtures.js";
import { Testing } from "cdktf";
import { resolveAzure } from "../../src/targets/azure/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { Template } from "../helpers/template.js";
import { harness, planStream, RecordingRunner } from "./fakes.js";

/**
 * The engine's stepped traffic rollout of a Cloud Run endpoint, against a fake terraform that
 * keeps a state like terraform's (`terraform show -json` values of google_cloud_run_v2_service:
 * `traffic`, `template`, `latest_ready_revision`) and answers plans in terraform's machine-readable
 * stream (planStream): a plan changes the service when the traffic input or the revision differs
 * from state, an apply writes them. The stack is the real synthesized cdk.tf.json.
 */
const STACK = "fraud-default";
const OLD = "fraud-default-scorer-00001-x7k";
const canary: RolloutModel = { strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false };

function model(rollout: RolloutModel, tag = "1.5.0"): PlatformModel {
  const m = gcpModel({ cluster: undefined });
  const endpoint: EndpointModel = { ...m.endpoints[0]!, image: { kind: "uri", uri: `us-docker.pkg.dev/fraud-ml-prod/serving/scorer:${tag}` }, rollout };
  return { ...m, endpoints: [endpoint] };
}

interface Service {
  address: string;
  revision: string;
  traffic: { type: string; revision: string; percent: number }[];
}

/** A terraform for one stack holding one Cloud Run service: plans from inputs vs state, applies write state. */
class FakeTerraform extends RecordingRunner {
  service?: Service;
  /** Extra planned changes every plan carries (something changed outside the rollout). */
  extra: [string, string][] = [];
  readonly vars: (Record<string, string> | undefined)[] = [];
  private desired?: Service;

  constructor(
    private readonly address: string,
    private readonly newRevision: string,
    private readonly cloud: "gcp" | "azure" = "gcp",
  ) {
    super();
  }

  override async plan(dir: string, options: PlanOptions) {
    this.vars.push(options.vars ? { ...options.vars } : undefined);
    const raw = options.vars?.mlplat_traffic_scorer;
    const split = raw ? (JSON.parse(raw) as { revision: string; percent: number }[]) : [{ revision: this.newRevision, percent: 100 }];
    const traffic = split.map((w) => ({ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: w.revision, percent: w.percent }));
    this.desired = { address: this.address, revision: this.newRevision, traffic };
    const s = this.service;
    const action = !s ? "create" : s.revision !== this.newRevision || JSON.stringify(s.traffic) !== JSON.stringify(traffic) ? "update" : undefined;
    this.plans[STACK] = planStream([...(action ? [[this.address, action] as [string, string]] : []), ...this.extra]);
    return super.plan(dir, options);
  }

  override async apply(dir: string, planFile: string) {
    await super.apply(dir, planFile);
    this.service = this.desired;
    this.states[STACK] = this.state();
  }

  deployed(revision: string, traffic: Service["traffic"]): this {
    this.service = { address: this.address, revision, traffic };
    this.states[STACK] = this.state();
    return this;
  }

  private state(): unknown {
    const s = this.service!;
    const [type, name] = s.address.split(".");
    const values =
      this.cloud === "gcp"
        ? {
            name: "fraud-default-scorer",
            latest_ready_revision: `projects/fraud-ml-prod/locations/us-central1/services/fraud-default-scorer/revisions/${s.revision}`,
            template: [{ revision: s.revision === OLD ? "" : s.revision }],
            traffic: s.traffic.map((t) => ({ ...t, tag: "" })),
          }
        : {
            // azurerm_container_app as `terraform show -json` has it: blocks are lists, the latest revision's suffix in template.
            name: "fraud-default-scorer",
            revision_mode: "Multiple",
            latest_revision_name: `fraud-default-scorer--${s.revision}`,
            template: [{ revision_suffix: s.revision, min_replicas: 1, max_replicas: 8 }],
            ingress: [
              {
                external_enabled: true,
                traffic_weight: s.traffic.map((t) =>
                  t.type === "LATEST" || t.revision === this.newRevision
                    ? { label: "", latest_revision: true, revision_suffix: "", percentage: t.percent }
                    : { label: "", latest_revision: false, revision_suffix: t.revision, percentage: t.percent },
                ),
              },
            ],
          };
    return {
      format_version: "1.0",
      terraform_version: "1.11.4",
      values: {
        root_module: {
          resources: [
            {
              address: s.address,
              mode: "managed",
              type,
              name,
              provider_name: `registry.terraform.io/hashicorp/${this.cloud === "gcp" ? "google" : "azurerm"}`,
              schema_version: 0,
              values,
            },
          ],
        },
      },
    };
  }
}

const withEndpoint = (m: PlatformModel, change: Partial<EndpointModel>): PlatformModel => ({ ...m, endpoints: m.endpoints.map((e) => ({ ...e, ...change })) });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The deps, the fake terraform and the state folder for one platform model, over its real synthesized stack. */
function setup(m: PlatformModel, clock: Clock, answer?: boolean) {
  const json = synthModel(m).json;
  const newRevision = (json.variable?.mlplat_traffic_scorer?.default[0].revision ?? "auto") as string;
  const address = `google_cloud_run_v2_service.${Object.keys(json.resource.google_cloud_run_v2_service)[0]}`;
  const h = harness({ [STACK]: json }, answer);
  const tf = new FakeTerraform(address, newRevision);
  const stateDir = mkdtempSync(join(tmpdir(), "mlplat-traffic-state-"));
  dirs.push(stateDir);
  const synth = Object.assign(async (file: string, o: Parameters<typeof h.synth>[1]) => ({ ...(await h.synth(file, o)), model: m }), { calls: h.synth.calls });
  const deps = { ...h.deps, runner: tf, synth, clock };
  return { h, tf, deps, stateDir, newRevision, address };
}

class FakeClock implements Clock {
  readonly slept: number[] = [];
  /** Stops the run (as Ctrl-C does) on this call of sleep, counting from 1. */
  constructor(private readonly interruptAt?: number) {}
  async sleep(ms: number) {
    this.slept.push(ms);
    if (this.slept.length === this.interruptAt) {
      throw new MlplatError("MLP_ROLLOUT_INTERRUPTED", "Rollout interrupted during a bake; the traffic stays at the last applied step.");
    }
  }
}

const split = (s: string | undefined) => (s ? JSON.parse(s) : undefined);
const trafficInputs = (tf: FakeTerraform) => tf.vars.map((v) => split(v?.mlplat_traffic_scorer));

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

describe("stepped traffic rollout of a Container Apps endpoint", () => {
  function azureSetup(clock: Clock) {
    const m = withEndpoint(azureModel, { image: { kind: "uri", uri: "acme.azurecr.io/scorer:1.5.0" }, rollout: canary });
    const json = Template.fromJson(Testing.synth(new AzurePlatformStack(Testing.app(), m.stackName, resolveAzure(m, azureCtx)))).json;
    const newRevision = json.variable.mlplat_traffic_scorer.default[0].revision as string;
    const address = `azurerm_container_app.${Object.keys(json.resource.azurerm_container_app)[0]}`;
    const h = harness({ [STACK]: json });
    const tf = new FakeTerraform(address, newRevision, "azure");
    const stateDir = mkdtempSync(join(tmpdir(), "mlplat-traffic-state-"));
    dirs.push(stateDir);
    const synth = Object.assign(async (file: string, o: Parameters<typeof h.synth>[1]) => ({ ...(await h.synth(file, o)), model: m }), { calls: h.synth.calls });
    return { h, tf, deps: { ...h.deps, runner: tf, synth, clock }, stateDir, newRevision };
  }

  it("reads the previous revision's suffix from state, splits 10/90, then after the bake gives the new revision everything; interrupted, it resumes", async () => {
    const { tf, deps, stateDir, newRevision } = azureSetup(new FakeClock(1));
    // Deployed before the rollout was added: single revision mode, all traffic to the latest (suffix "k3x9f2a").
    tf.deployed("k3x9f2a", [{ type: "LATEST", revision: "", percent: 100 }]);
    await expect(runDeploy("p.yaml", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({ code: "MLP_ROLLOUT_INTERRUPTED" });
    expect(trafficInputs(tf)).toEqual([
      [
        { revision: newRevision, percent: 10 },
        { revision: "k3x9f2a", percent: 90 },
      ],
    ]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ cloud: "azure", previousRevision: "k3x9f2a", newRevision, step: 0, status: "in-progress" });

    const clock = new FakeClock();
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, { ...deps, clock });
    expect(trafficInputs(tf).at(-1)).toEqual([{ revision: newRevision, percent: 100 }]);
    expect(clock.slept).toEqual([600_000]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ step: 1, newPercent: 100, status: "complete" });
  });

  it("refuses, before any plan, content that would pin again the suffix the rollout started from", async () => {
    const { tf, deps, stateDir, newRevision } = azureSetup(new FakeClock());
    // A rollout from newRevision to r2 was recorded and r2 is pinned in state; the blueprint is back at newRevision's content.
    tf.deployed("r2", [{ type: "REVISION", revision: newRevision, percent: 100 }]);
    writeEndpointRollout(stateDir, STACK, {
      endpoint: "scorer", cloud: "azure", strategy: "canary", previousRevision: newRevision, newRevision: "r2",
      steps: [10, 100], step: 0, newPercent: 0, status: "rolled-back", updated: "2026-12-07T00:00:00.000Z",
    });
    await expect(runDeploy("p.yaml", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({
      code: "MLP_ROLLOUT_SUFFIX_REUSED",
      message: `Endpoint scorer: its content is again that of revision ${newRevision}, which the app already has; Container Apps refuses a revision suffix used before. Nothing was planned.`,
    });
    expect(tf.methods().filter((m) => m.startsWith("plan"))).toEqual([]);
  });
});
