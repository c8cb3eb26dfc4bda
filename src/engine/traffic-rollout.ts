import type { PlatformModel } from "../model/platform.js";
import { readStackText } from "../output/stack-files.js";
import { TRAFFIC_VARIABLE_PREFIX } from "../targets/traffic-split.js";
import { MlplatError } from "../util/errors.js";
import type { Clock, EngineDeps, SynthedStack } from "./ports.js";
import { readRolloutState, writeEndpointRollout, type EndpointRollout } from "./rollout-state.js";
import { trafficSplit, trafficVarValue } from "./rollout-steps.js";
import { trafficSteps } from "../model/rollout.js";
import { applyReviewed, planStep } from "./stack-plan.js";
import { pinnedRevision, servingRevision, stateResource, type RolloutResourceType } from "./traffic-state.js";

/**
 * Stepped traffic rollouts of Cloud Run and Container Apps endpoints, driven by `mlplat deploy`.
 * Neither runtime rolls back on alarms, so mlplat moves the traffic itself, through Terraform only:
 * every step is a `terraform plan` of the saved stack with the endpoint's traffic split as the
 * input variable `mlplat_traffic_<endpoint>` (`-var`), checked to change nothing but the rollout's
 * services, then `terraform apply` of exactly that plan. State stays the truth; nothing is changed
 * out of band.
 *
 * 1. Before deploy's plan (`prepare`): for each endpoint with a traffic variable in the stack, the
 *    revision serving its traffic is read from Terraform state, and the record
 *    (src/engine/rollout-state.ts) is read. A first deploy (no service in state) and unchanged
 *    content take the variable's default (all traffic to the current content); new content starts
 *    a rollout: deploy's plan carries the first step (canary: `canaryPercent`; linear:
 *    `stepPercent`). A recorded rollout of the same content resumes at its last applied step; a
 *    rolled-back one stays on the previous revision.
 * 2. Deploy shows that plan, asks, applies it (src/engine/deploy.ts), and the record is written
 *    with the step applied (`recordApplied`).
 * 3. `continue`: wait `bakeMinutes` (the injectable clock), plan and apply the next step, record
 *    it; until every endpoint is at 100 %. Endpoints of one stack move together, one apply per round.
 *
 * Interrupted (Ctrl-C in a bake, a failed step, a crash), the record holds the last applied step:
 * `mlplat deploy` again re-applies that step, bakes, and goes on; `mlplat rollback <file>
 * <endpoint>` gives the previous revision all traffic (src/engine/rollback.ts).
 */

/** The real clock: a timer; Ctrl-C (SIGINT) during a bake ends it with MLP_ROLLOUT_INTERRUPTED and the record kept. */
export const realClock: Clock = {
  sleep: (ms) =>
    new Promise((resolve, reject) => {
      const onSignal = () => {
        clearTimeout(timer);
        process.off("SIGINT", onSignal);
        reject(interrupted());
      };
      const timer = setTimeout(() => {
        process.off("SIGINT", onSignal);
        resolve();
      }, ms);
      process.on("SIGINT", onSignal);
    }),
};

function interrupted(): MlplatError {
  return new MlplatError("MLP_ROLLOUT_INTERRUPTED", "Rollout interrupted during a bake; the traffic stays at the last applied step.", {
    hint: "run `mlplat deploy` again to resume from that step, or `mlplat rollback <file> <endpoint>` to give the previous revision all traffic.",
  });
}

/** An endpoint with a traffic variable in a synthesized stack. */
export interface TrafficEndpoint {
  readonly endpoint: string;
  readonly variable: string;
  /** The pinned revision of the synthesized content (the variable's default). */
  readonly newRevision: string;
  /** `type.name` of its Cloud Run service or container app. */
  readonly address: string;
  readonly type: RolloutResourceType;
}

const RESOURCE_TYPES: Readonly<Record<RolloutResourceType, "gcp" | "azure">> = { google_cloud_run_v2_service: "gcp", azurerm_container_app: "azure" };

/** The endpoints of a stack's cdk.tf.json that have a traffic variable, with their service's address. */
export function trafficEndpoints(stackDir: string): TrafficEndpoint[] {
  const json = JSON.parse(readStackText(stackDir, "cdk.tf.json")) as { variable?: Record<string, { default?: unknown }>; resource?: Record<string, Record<string, unknown>> };
  const out: TrafficEndpoint[] = [];
  for (const [variable, v] of Object.entries(json.variable ?? {})) {
    if (!variable.startsWith(TRAFFIC_VARIABLE_PREFIX)) continue;
    const first = Array.isArray(v.default) ? (v.default[0] as { revision?: unknown }) : undefined;
    if (typeof first?.revision !== "string") throw new Error(`variable ${variable}: default is not a traffic split`);
    const ref = `var.${variable}`;
    const found = (Object.keys(RESOURCE_TYPES) as RolloutResourceType[]).flatMap((type) =>
      Object.entries(json.resource?.[type] ?? {})
        .filter(([, r]) => JSON.stringify(r).includes(`(${ref})`) || JSON.stringify(r).includes(`{${ref}}`))
        .map(([name]) => ({ type, address: `${type}.${name}` })),
    );
    if (found.length !== 1) throw new Error(`variable ${variable}: expected one service using it, found ${found.length}`);
    out.push({ endpoint: variable.slice(TRAFFIC_VARIABLE_PREFIX.length), variable, newRevision: first.revision, ...found[0]! });
  }
  return out;
}

type Decision =
  | { kind: "default"; why: "first deploy" | "unchanged" }
  | { kind: "hold"; entry: EndpointRollout }
  | { kind: "steps"; entry: EndpointRollout; resumed: boolean };

/** One endpoint's rollout in this run. */
interface Moving {
  readonly stack: SynthedStack;
  readonly target: TrafficEndpoint;
  entry: EndpointRollout;
  readonly bakeMinutes: number;
}

export interface TrafficRolloutReport {
  readonly stack: string;
  readonly endpoint: string;
  readonly previousRevision: string;
  readonly newRevision: string;
  readonly steps: readonly number[];
  readonly newPercent: number;
  readonly status: EndpointRollout["status"];
}

export class TrafficRollout {
  private readonly moving: Moving[] = [];
  /** Per stack, the inputs of endpoints held on their previous revision: every step's plan repeats them. */
  private readonly held = new Map<string, Record<string, string>>();
  private readonly clock: Clock;

  constructor(
    private readonly deps: EngineDeps,
    private readonly model: PlatformModel | undefined,
    private readonly stateDir: string,
    private readonly options: { readonly refresh: boolean; readonly now?: () => Date },
  ) {
    this.clock = deps.clock ?? realClock;
  }

  /**
   * Reads state and the record for the stack's rollout endpoints and returns the `-var` inputs of
   * deploy's plan (undefined when the stack has none), printing what the rollout will do.
   */
  async prepare(stack: SynthedStack): Promise<Record<string, string> | undefined> {
    const targets = trafficEndpoints(stack.dir);
    if (targets.length === 0) return undefined;
    const state = await this.deps.runner.showState(stack.dir);
    const record = readRolloutState(this.stateDir, stack.name);
    const vars: Record<string, string> = {};
    for (const t of targets) {
      const serving = servingRevision(state, t.address, t.type, t.newRevision);
      refuseReusedSuffix(t, pinnedRevision(state, t.address, t.type), record?.endpoints[t.endpoint]);
      // A service not in state (a first deploy, or after a destroy) starts all at once, whatever a record says.
      const d = stateResource(state, t.address) ? this.decide(t, serving, record?.endpoints[t.endpoint]) : ({ kind: "default", why: "first deploy" } as const);
      if (d.kind === "default") {
        if (serving === undefined && stateResource(state, t.address)) {
          this.deps.ui.print(`Endpoint ${t.endpoint}: the revision serving it cannot be read from state, so this deploy gives ${t.newRevision} all traffic at once.`);
        }
        continue;
      }
      const e = d.entry;
      if (d.kind === "hold") {
        this.deps.ui.print(`Endpoint ${t.endpoint}: stays rolled back on revision ${e.previousRevision} (${e.newRevision} was rolled back); change the endpoint to roll out new content.`);
        vars[t.variable] = trafficVarValue(trafficSplit(e.previousRevision, e.newRevision, 0));
        this.held.set(stack.name, { ...this.held.get(stack.name), [t.variable]: vars[t.variable]! });
        continue;
      }
      const at = Math.max(e.step, 0);
      vars[t.variable] = trafficVarValue(trafficSplit(e.previousRevision, e.newRevision, e.steps[at]!));
      this.moving.push({ stack, target: t, entry: e, bakeMinutes: this.bakeOf(t.endpoint) });
      this.deps.ui.print(
        `Endpoint ${t.endpoint}: ${d.resumed ? "resuming the rollout" : "rollout"} from revision ${e.previousRevision} to ${e.newRevision}, ` +
          `${e.steps.map((p) => `${p}%`).join(" → ")} with ${this.bakeOf(t.endpoint)} min between steps; this plan sets ${e.steps[at]}%.`,
      );
    }
    return Object.keys(vars).length > 0 ? vars : undefined;
  }

  /** Whether steps remain after deploy's apply. */
  get pending(): boolean {
    return this.moving.some((m) => m.entry.status === "in-progress");
  }

  /** Records, for the endpoints of the stacks deploy applied, the step that apply carried. */
  recordApplied(applied: ReadonlySet<string>): void {
    for (const m of this.moving) if (applied.has(m.stack.name)) this.record(m, Math.max(m.entry.step, 0));
  }

  /**
   * Bakes and applies the remaining steps, round by round; returns where each endpoint ended.
   * When a bake or step fails, says where each endpoint stands before the error goes on.
   */
  async continue(): Promise<TrafficRolloutReport[]> {
    try {
      await this.rounds();
    } catch (err) {
      for (const m of this.moving.filter((x) => x.entry.status === "in-progress")) {
        this.deps.ui.print(
          `Rollout of ${m.target.endpoint} stopped with ${m.entry.newPercent}% on ${m.entry.newRevision} (step ${m.entry.step + 1} of ${m.entry.steps.length}): ` +
            `\`mlplat deploy\` resumes it, \`mlplat rollback <file> ${m.target.endpoint}\` gives ${m.entry.previousRevision} all traffic.`,
        );
      }
      throw err;
    }
    return this.moving.map((m) => ({
      stack: m.stack.name,
      endpoint: m.target.endpoint,
      previousRevision: m.entry.previousRevision,
      newRevision: m.entry.newRevision,
      steps: m.entry.steps,
      newPercent: m.entry.newPercent,
      status: m.entry.status,
    }));
  }

  private async rounds(): Promise<void> {
    for (;;) {
      const round = this.moving.filter((m) => m.entry.status === "in-progress" && m.entry.step >= 0);
      if (round.length === 0) break;
      const bake = Math.max(...round.map((m) => m.bakeMinutes));
      const next = round.map((m) => `${m.target.endpoint} ${m.entry.steps[m.entry.step + 1]}%`).join(", ");
      this.deps.ui.print(`Baking ${bake} min before the next step (${next}). Ctrl-C stops here: \`mlplat deploy\` resumes, \`mlplat rollback\` returns the traffic.`);
      await this.clock.sleep(bake * 60_000);
      for (const stack of new Set(round.map((m) => m.stack))) {
        const inStack = round.filter((m) => m.stack === stack);
        const vars: Record<string, string> = { ...this.held.get(stack.name) };
        for (const m of this.moving.filter((x) => x.stack === stack)) {
          const step = inStack.includes(m) ? m.entry.step + 1 : Math.max(m.entry.step, 0);
          vars[m.target.variable] = trafficVarValue(trafficSplit(m.entry.previousRevision, m.entry.newRevision, m.entry.steps[step]!));
        }
        await applyTrafficStep(this.deps, stack, vars, new Set(inStack.map((m) => m.target.address)), this.options.refresh, `traffic ${inStack.map((m) => `${m.target.endpoint} ${m.entry.steps[m.entry.step + 1]}%`).join(", ")}`);
        for (const m of inStack) this.record(m, m.entry.step + 1);
      }
    }
  }

  private decide(t: TrafficEndpoint, serving: string | undefined, recorded: EndpointRollout | undefined): Decision {
    // The record is trusted only while state agrees that the previous revision still has the most traffic
    // (a destroy and a new deploy, or a change made outside mlplat, leave it stale).
    if (recorded && recorded.newRevision === t.newRevision && serving === recorded.previousRevision) {
      if (recorded.status === "rolled-back") return { kind: "hold", entry: recorded };
      if (recorded.status === "in-progress") return { kind: "steps", entry: recorded, resumed: true };
    }
    if (serving === undefined) return { kind: "default", why: "first deploy" };
    // A rollout interrupted before new content arrived came from its previous revision, which
    // still serves most traffic; start the new content from there.
    const previous = recorded?.status === "in-progress" && recorded.previousRevision === serving ? recorded.previousRevision : serving;
    if (previous === t.newRevision) return { kind: "default", why: "unchanged" };
    const rollout = this.model?.endpoints.find((e) => e.name === t.endpoint)?.rollout;
    const steps = rollout ? trafficSteps(rollout) : [100];
    return {
      kind: "steps",
      resumed: false,
      entry: {
        endpoint: t.endpoint,
        cloud: RESOURCE_TYPES[t.type],
        strategy: rollout?.strategy === "linear" ? "linear" : "canary",
        previousRevision: previous,
        newRevision: t.newRevision,
        steps,
        step: -1,
        newPercent: 0,
        status: "in-progress",
        updated: this.now(),
      },
    };
  }

  private bakeOf(endpoint: string): number {
    return this.model?.endpoints.find((e) => e.name === endpoint)?.rollout?.bakeMinutes ?? 10;
  }

  private record(m: Moving, step: number): void {
    const newPercent = m.entry.steps[step]!;
    m.entry = { ...m.entry, step, newPercent, status: step >= m.entry.steps.length - 1 ? "complete" : "in-progress", updated: this.now() };
    writeEndpointRollout(this.stateDir, m.stack.name, m.entry);
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

/**
 * Container Apps refuses a revision suffix used before in the app's lifetime (azurerm's
 * `revision_suffix`: "must be unique for the lifetime of the Resource"). Content identical to the
 * revision a rollout started from (a revert after a rollback) would pin that suffix again: refused
 * here, before any plan (MLP_ROLLOUT_SUFFIX_REUSED, exit 1). Cloud Run accepts a known revision name
 * with the same template, so it is not refused there.
 */
function refuseReusedSuffix(t: TrafficEndpoint, pinned: string | undefined, recorded: EndpointRollout | undefined): void {
  if (t.type !== "azurerm_container_app" || !recorded || pinned === undefined || pinned === t.newRevision) return;
  if (recorded.previousRevision !== t.newRevision) return;
  throw new MlplatError(
    "MLP_ROLLOUT_SUFFIX_REUSED",
    `Endpoint ${t.endpoint}: its content is again that of revision ${t.newRevision}, which the app already has; Container Apps refuses a revision suffix used before. Nothing was planned.`,
    {
      hint: `to serve that content, keep ${t.newRevision} serving with \`mlplat rollback <file> ${t.endpoint}\` (no new revision needed), or deploy it as new content (a new image tag).`,
    },
  );
}

/**
 * Plans the stack with the traffic inputs, refuses (MLP_ROLLOUT_PLAN_WIDER, exit 1, nothing
 * applied) a plan that would change anything but an in-place update of the rollout's services,
 * then applies exactly that plan. Shared by the steps and `mlplat rollback`.
 */
export async function applyTrafficStep(
  deps: EngineDeps,
  stack: SynthedStack,
  vars: Readonly<Record<string, string>>,
  services: ReadonlySet<string>,
  refresh: boolean,
  step: string,
  /** Asked after the plan passed the check, before the apply; false leaves everything as it is. */
  confirm?: () => Promise<boolean>,
): Promise<boolean> {
  const planned = await planStep(deps, stack, { refresh, vars });
  const other = planned.summary.resources.filter((r) => r.action !== "change" || !services.has(r.address));
  if (other.length > 0) {
    throw new MlplatError("MLP_ROLLOUT_PLAN_WIDER", `The traffic step's plan for ${stack.name} would change more than the traffic split: nothing was applied.`, {
      details: other.map((r) => `  - ${r.address}: ${r.action}`).join("\n"),
      hint: "something changed since the rollout's first step (the blueprint, or the cloud). Run `mlplat deploy` to review and apply the whole plan; the rollout resumes from its recorded step.",
    });
  }
  if (!planned.summary.changes) return false;
  if (confirm && !(await confirm())) return false;
  await applyReviewed(deps, stack, planned.sealed, step);
  return true;
}
