import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { readStackText, writeStackFile } from "../output/stack-files.js";
import { MlplatError } from "../util/errors.js";

/**
 * The record of the traffic rollouts of one stack's managed endpoints on Cloud Run and Container
 * Apps (src/engine/traffic-rollout.ts): which endpoint, from which revision to which, the planned
 * steps (percent of traffic on the new revision) and the last step terraform applied. It lives in
 * the state folder beside the stack's state and lock, `<state>/<stack>.rollout.json`, and is
 * written only while the stack's lock is held (deploy and rollback take it through synth), through
 * the link-refusing atomic writer of src/output/stack-files.ts: an interrupted rollout (Ctrl-C, a
 * crash, a failed step) leaves the last applied step recorded, so `mlplat deploy` resumes from it
 * and `mlplat rollback` knows the previous revision.
 *
 * The record is a journal, not the truth: the traffic split itself is in Terraform state (each step
 * is a `terraform apply`), and `mlplat status` may read this file without the lock (the writes are
 * atomic renames, so a reader sees a whole record or the previous one).
 */

export const ROLLOUT_STATE_FORMAT = "mlplat-rollout/1";

/**
 * `in-progress`: steps remain (an interrupted run; `deploy` resumes at `step + 1`).
 * `complete`: the new revision has 100 %. `rolled-back`: `mlplat rollback` gave the previous
 * revision 100 %; deploy keeps it there until the endpoint's content changes.
 */
export type EndpointRolloutStatus = "in-progress" | "complete" | "rolled-back";

const EndpointRolloutSchema = z.object({
  endpoint: z.string(),
  cloud: z.enum(["gcp", "azure"]),
  strategy: z.enum(["canary", "linear"]),
  /** Revision that served all traffic before the rollout (Cloud Run revision name / Container Apps revision suffix). */
  previousRevision: z.string(),
  /** The pinned revision of the new content. */
  newRevision: z.string(),
  /** Percent of traffic on the new revision after each step, ending at 100. */
  steps: z.array(z.number().int().min(0).max(100)),
  /** Index in `steps` of the last step applied; -1 before the first apply. */
  step: z.number().int().min(-1),
  /** Percent of traffic on the new revision in Terraform state after the last apply. */
  newPercent: z.number().int().min(0).max(100),
  status: z.enum(["in-progress", "complete", "rolled-back"]),
  /** ISO time of the last change of this entry. */
  updated: z.string(),
});

export type EndpointRollout = z.infer<typeof EndpointRolloutSchema>;

const RolloutStateSchema = z.object({
  format: z.literal(ROLLOUT_STATE_FORMAT),
  stack: z.string(),
  endpoints: z.record(z.string(), EndpointRolloutSchema),
});

export type RolloutState = z.infer<typeof RolloutStateSchema>;

export function rolloutStateFile(stack: string): string {
  return `${stack}.rollout.json`;
}

/**
 * The rollout record of `stack` in `stateDir`, or undefined when there is none (no rollout ever
 * ran). MLP_ROLLOUT_STATE_INVALID (exit 1) when the file is not a record mlplat wrote.
 * Read-only: callers without the lock (`mlplat status`) may use it.
 */
export function readRolloutState(stateDir: string, stack: string): RolloutState | undefined {
  const name = rolloutStateFile(stack);
  if (!existsSync(join(stateDir, name))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readStackText(stateDir, name));
  } catch (err) {
    if (err instanceof MlplatError) throw err;
    throw invalid(join(stateDir, name), "it is not JSON");
  }
  const r = RolloutStateSchema.safeParse(parsed);
  if (!r.success || r.data.stack !== stack) throw invalid(join(stateDir, name), r.success ? `it belongs to stack ${r.data.stack}` : "it is not a rollout record of this mlplat version");
  return r.data;
}

/** The record of one endpoint, or undefined. */
export function readEndpointRollout(stateDir: string, stack: string, endpoint: string): EndpointRollout | undefined {
  return readRolloutState(stateDir, stack)?.endpoints[endpoint];
}

/** Replaces the entry of one endpoint (atomically, never through a link). The caller holds the stack's lock. */
export function writeEndpointRollout(stateDir: string, stack: string, entry: EndpointRollout): void {
  const current = readRolloutState(stateDir, stack) ?? { format: ROLLOUT_STATE_FORMAT, stack, endpoints: {} };
  const next: RolloutState = { ...current, endpoints: { ...current.endpoints, [entry.endpoint]: EndpointRolloutSchema.parse(entry) } };
  writeStackFile(stateDir, rolloutStateFile(stack), JSON.stringify(next, null, 2) + "\n", 0o600);
}

function invalid(path: string, why: string): MlplatError {
  return new MlplatError("MLP_ROLLOUT_STATE_INVALID", `${path} cannot be read as mlplat's rollout record: ${why}.`, {
    hint: "the traffic split itself is in Terraform state; move the file aside and run `mlplat deploy` again (a rollout in progress then starts over from the revision serving all traffic).",
  });
}
