import { resolveOutputPaths } from "../output/paths.js";
import { MlplatError } from "../util/errors.js";
import type { CommonOptions, EngineDeps } from "./ports.js";
import { readRolloutState, writeEndpointRollout, type EndpointRollout } from "./rollout-state.js";
import { trafficSplit, trafficVarValue } from "./rollout-steps.js";
import { initStep, synthStep } from "./stack-plan.js";
import { applyTrafficStep, trafficEndpoints, type TrafficEndpoint } from "./traffic-rollout.js";
import { stateResource } from "./traffic-state.js";

/**
 * `mlplat rollback <file> <endpoint>`: gives the previous revision of a Cloud Run / Container Apps
 * endpoint all its traffic again, as recorded by its last stepped rollout
 * (src/engine/rollout-state.ts). Like every rollout step it is a `terraform apply` of the saved
 * stack with the traffic split as input, refused when the plan would change anything else (the
 * blueprint changed since: deploy first). The record then says `rolled-back`, and `mlplat deploy`
 * keeps the previous revision serving until the endpoint's content changes.
 *
 * SageMaker endpoints roll back by themselves on their alarms; Kubernetes endpoints are Argo
 * Rollouts (`kubectl argo rollouts undo`): neither has a recorded traffic split here.
 */
export interface RollbackOptions extends CommonOptions {
  /** @default false; apply without asking (CI). Without it and without a terminal, rollback refuses. */
  readonly autoApprove?: boolean;
  /** @default true */
  readonly refresh?: boolean;
}

export interface RollbackReport {
  readonly status: "rolled-back" | "no-changes" | "declined";
  readonly stack: string;
  readonly endpoint: string;
  readonly revision: string;
  readonly from: string;
}

export async function runRollback(file: string, endpoint: string, options: RollbackOptions, deps: EngineDeps): Promise<RollbackReport> {
  if (!options.autoApprove && !deps.ui.confirm) {
    throw new MlplatError("MLP_NEEDS_APPROVAL", "rollback asks for confirmation, and there is no terminal to ask on.", {
      hint: "run `mlplat rollback <file> <endpoint> --auto-approve` when rolling back without a terminal is intended.",
    });
  }
  const synth = await synthStep(deps, file, { ...options, offline: false, command: "rollback" });
  try {
    const stateDir = resolveOutputPaths(file, options.outDir, options.stateDir).stateDir;
    const found = synth.stacks.map((stack) => ({ stack, targets: trafficEndpoints(stack.dir) })).find((s) => s.targets.some((t) => t.endpoint === endpoint));
    if (!found) throw notARolloutEndpoint(file, endpoint, synth.model?.endpoints.map((e) => e.name) ?? []);
    const { stack, targets } = found;
    const target = targets.find((t) => t.endpoint === endpoint)!;
    const records = readRolloutState(stateDir, stack.name)?.endpoints ?? {};
    const entry = records[endpoint];
    if (!entry) {
      throw new MlplatError("MLP_ROLLBACK_NO_PREVIOUS", `No rollout of endpoint ${endpoint} is recorded in ${stateDir}: mlplat knows no previous revision to return to.`, {
        hint: "a rollback returns the traffic of a canary or linear rollout that `mlplat deploy` started; the first deploy of an endpoint goes all at once and has no previous revision.",
      });
    }
    await initStep(deps, stack, false);
    if (!stateResource(await deps.runner.showState(stack.dir), target.address)) {
      throw new MlplatError("MLP_NOT_DEPLOYED", `Endpoint ${endpoint} is not deployed in ${stack.name} (no ${target.address} in its state): there is no traffic to roll back.`, {
        hint: "run `mlplat deploy` first; a rollback only moves the traffic of a deployed endpoint.",
      });
    }
    deps.ui.print(`Rollback of ${endpoint}: all traffic to revision ${entry.previousRevision} (${entry.newRevision} has ${entry.status === "rolled-back" ? 0 : entry.newPercent}%).`);
    const vars = holdingVars(targets, records);
    vars[target.variable] = trafficVarValue(trafficSplit(entry.previousRevision, entry.newRevision, 0));
    let declined = false;
    const applied = await applyTrafficStep(deps, stack, vars, new Set([target.address]), options.refresh !== false, `rollback ${endpoint}`, async () => {
      if (options.autoApprove) return true;
      declined = !(await deps.ui.confirm!(`Give revision ${entry.previousRevision} all traffic of ${endpoint}? Only "yes" applies: `));
      return !declined;
    });
    const report = { stack: stack.name, endpoint, revision: entry.previousRevision, from: entry.newRevision };
    if (declined) return { ...report, status: "declined" };
    writeEndpointRollout(stateDir, stack.name, { ...entry, newPercent: 0, status: "rolled-back", updated: new Date().toISOString() });
    return { ...report, status: applied ? "rolled-back" : "no-changes" };
  } finally {
    synth.release?.();
  }
}

/** The inputs that keep the stack's other rollout endpoints where their records say they are. */
function holdingVars(targets: readonly TrafficEndpoint[], records: Readonly<Record<string, EndpointRollout>>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const t of targets) {
    const r = records[t.endpoint];
    if (!r || r.newRevision !== t.newRevision || r.status === "complete") continue;
    vars[t.variable] = trafficVarValue(trafficSplit(r.previousRevision, r.newRevision, r.status === "rolled-back" ? 0 : r.newPercent));
  }
  return vars;
}

function notARolloutEndpoint(file: string, endpoint: string, known: readonly string[]): MlplatError {
  if (!known.includes(endpoint)) {
    return new MlplatError("MLP_ROLLBACK_UNKNOWN_ENDPOINT", `${file} has no endpoint named ${endpoint}.`, {
      hint: known.length > 0 ? `endpoints: ${known.join(", ")}.` : "declare it under spec.serving.endpoints.",
    });
  }
  return new MlplatError("MLP_ROLLBACK_NO_ROLLOUT", `Endpoint ${endpoint} has no traffic rollout: only managed endpoints on gcp (Cloud Run) and azure (Container Apps) with rollout.strategy canary or linear keep a previous revision that mlplat can return to.`, {
    hint: "SageMaker endpoints roll back by themselves on their alarms; runtime kubernetes endpoints are Argo Rollouts (kubectl argo rollouts undo); an allAtOnce endpoint is rolled back by deploying the previous image.",
  });
}

