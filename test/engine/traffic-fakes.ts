import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { Clock } from "../../src/engine/ports.js";
import type { EndpointModel, PlatformModel } from "../../src/model/platform.js";
import type { RolloutModel } from "../../src/model/rollout.js";
import { resolveAzure } from "../../src/targets/azure/index.js";
import type { PlanOptions } from "../../src/terraform/runner.js";
import { MlplatError } from "../../src/util/errors.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { ctx as azureCtx, platformModel as azureModel } from "../azure/fixtures.js";
import { gcpModel, synthModel } from "../gcp/fixtures.js";
import { Template } from "../helpers/template.js";
import { harness, planStream, RecordingRunner } from "./fakes.js";

/**
 * Fakes of the traffic-rollout engine tests: a terraform for one stack holding one Cloud Run
 * service or container app, which keeps a state like terraform's (`terraform show -json` values:
 * Cloud Run `traffic`, `template`, `latest_ready_revision`; Container Apps `ingress.traffic_weight`,
 * `template.revision_suffix`, `latest_revision_name`) and answers plans in terraform's
 * machine-readable stream (planStream): a plan changes the service when the traffic input or the
 * revision differs from state, an apply writes them. The stacks are the real synthesized cdk.tf.json.
 */
export const STACK = "fraud-default";
export const OLD = "fraud-default-scorer-00001-x7k";
export const canary: RolloutModel = { strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false };

export function model(rollout: RolloutModel, tag = "1.5.0"): PlatformModel {
  const m = gcpModel({ cluster: undefined });
  const endpoint: EndpointModel = { ...m.endpoints[0]!, image: { kind: "uri", uri: `us-docker.pkg.dev/fraud-ml-prod/serving/scorer:${tag}` }, rollout };
  return { ...m, endpoints: [endpoint] };
}

export interface Service {
  address: string;
  revision: string;
  traffic: { type: string; revision: string; percent: number }[];
}

/** A terraform for one stack holding one Cloud Run service: plans from inputs vs state, applies write state. */
export class FakeTerraform extends RecordingRunner {
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

export const withEndpoint = (m: PlatformModel, change: Partial<EndpointModel>): PlatformModel => ({ ...m, endpoints: m.endpoints.map((e) => ({ ...e, ...change })) });

const dirs: string[] = [];
/** Removes the state folders made by setup; each test file calls it in afterEach. */
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The deps, the fake terraform and the state folder for one platform model, over its real synthesized stack. */
export function setup(m: PlatformModel, clock: Clock, answer?: boolean) {
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

export class FakeClock implements Clock {
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
export const trafficInputs = (tf: FakeTerraform) => tf.vars.map((v) => split(v?.mlplat_traffic_scorer));

/** The deps, fake terraform and state folder for the Azure fixture's Container Apps endpoint with a canary rollout. */
export function azureSetup(clock: Clock) {
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
