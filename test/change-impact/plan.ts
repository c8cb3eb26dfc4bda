import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraform } from "./terraform.js";
import { mockApply, toTfState, type ShownResource, type TfState } from "./state.js";

/** What a plan does to one resource instance: terraform's actions and the attributes forcing a replacement. */
export interface ResourceImpact {
  readonly address: string;
  readonly type: string;
  /** `["update"]`, `["create"]`, `["delete"]`, and for replacements `["delete","create"]` or `["create","delete"]` (no-ops are not listed). */
  readonly actions: readonly string[];
  /** `resource_changes[].change.replace_paths`, each path joined with dots (`access_config.0.bootstrap…`). */
  readonly replacePaths: readonly string[];
}

interface ShownPlan {
  resource_changes?: {
    address: string;
    mode: string;
    type: string;
    change: { actions: string[]; before: unknown; after: unknown; after_unknown: unknown; replace_paths?: (string | number)[][] };
  }[];
}

const PLAN = "impact.tfplan";

/**
 * Plans the stack in `stackDir` against `state` with the real provider, offline: the stack's
 * local backend path is where the state is written, refresh is off, and the synth's --offline
 * provider block skips credential and metadata checks. Returns the shown plan's resource changes.
 */
async function showPlan(stackDir: string, statePath: string, state: TfState): Promise<NonNullable<ShownPlan["resource_changes"]>> {
  withoutPreventDestroy(join(stackDir, "cdk.tf.json"));
  mkdirSync(join(statePath, ".."), { recursive: true });
  writeFileSync(statePath, JSON.stringify(state));
  if (!existsSync(join(stackDir, ".terraform"))) await terraform(stackDir, ["init", "-input=false", "-no-color"]);
  await terraform(stackDir, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", `-out=${PLAN}`]);
  const { stdout } = await terraform(stackDir, ["show", "-json", PLAN]);
  return ((JSON.parse(stdout) as ShownPlan).resource_changes ?? []).filter((rc) => rc.mode === "managed");
}

/**
 * `prevent_destroy` makes terraform fail a plan that replaces a bucket or key instead of
 * showing it; the tier wants to see and assert that replacement (the data-loss guard refuses it
 * in mlplat), so the planned copy drops the flag.
 */
function withoutPreventDestroy(file: string): void {
  const json = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>> };
  for (const byName of Object.values(json.resource ?? {})) {
    for (const r of Object.values(byName)) if (r.lifecycle) delete r.lifecycle.prevent_destroy;
  }
  writeFileSync(file, JSON.stringify(json, null, 2));
}

/**
 * The edit's plan: actions from the plan's own JSON stream (as mlplat reads it), and, only when
 * something is replaced, the forcing attributes from `terraform show -json` of the saved plan
 * (the stream has none; showing costs seconds, so the common edits skip it).
 */
export async function planImpact(stackDir: string, statePath: string, state: TfState): Promise<ResourceImpact[]> {
  withoutPreventDestroy(join(stackDir, "cdk.tf.json"));
  mkdirSync(join(statePath, ".."), { recursive: true });
  writeFileSync(statePath, JSON.stringify(state));
  if (!existsSync(join(stackDir, ".terraform"))) await terraform(stackDir, ["init", "-input=false", "-no-color"]);
  const { stdout } = await terraform(stackDir, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-json", `-out=${PLAN}`]);
  const changes: ResourceImpact[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.includes('"planned_change"')) continue;
    const m = JSON.parse(line) as { type: string; change: { resource: { addr: string; resource_type: string }; action: string } };
    if (m.type !== "planned_change" || m.change.resource.addr.startsWith("data.")) continue;
    const actions = m.change.action === "replace" ? ["replace"] : [m.change.action];
    changes.push({ address: m.change.resource.addr, type: m.change.resource.resource_type, actions, replacePaths: [] });
  }
  if (!changes.some((c) => c.actions[0] === "replace")) return changes;
  const shown = await terraform(stackDir, ["show", "-json", PLAN]);
  const byAddress = new Map(((JSON.parse(shown.stdout) as ShownPlan).resource_changes ?? []).map((rc) => [rc.address, rc]));
  return changes.map((c) => {
    const rc = byAddress.get(c.address);
    return rc ? { ...c, actions: rc.change.actions, replacePaths: (rc.change.replace_paths ?? []).map((p) => p.join(".")) } : c;
  });
}

/** One healed attribute: what the mock left and the real plan of v1 said instead. */
export interface Healed {
  readonly address: string;
  readonly attribute: string;
}

export interface DeployedV1 {
  readonly state: TfState;
  /** The attributes the real plan of v1 changed on the mock-applied state, healed into it. */
  readonly healed: readonly Healed[];
  /** v1 planned against its own healed state: expected to be all no-op. */
  readonly residual: readonly ResourceImpact[];
}

/**
 * "Deploys" v1: mock-applies `stackDir` (in `work`), then heals the state from the real plan
 * of v1 against it: where the real provider plans an update or replacement (defaults the mock
 * left null, values it invented), the planned known value is written into the state, as a real
 * apply would have stored it. Repeats until v1 plans no change (at most three rounds).
 */
export async function deployV1(stackDir: string, statePath: string, work: string): Promise<DeployedV1> {
  const resources = await mockApply(stackDir, work);
  const byAddress = new Map<string, ShownResource>(resources.map((r) => [r.address, r]));
  const healed: Healed[] = [];
  let state = toTfState(resources);
  for (let round = 0; round < 3; round++) {
    const changes = (await showPlan(stackDir, statePath, state)).filter((rc) => rc.change.actions.join() !== "no-op");
    if (changes.length === 0) return { state, healed, residual: [] };
    for (const rc of changes) {
      const r = byAddress.get(rc.address);
      if (!r || rc.change.after === null) continue; // created or deleted by v1 itself: nothing to heal
      const before = r.values;
      const after = merge(rc.change.after, rc.change.after_unknown, before) as Record<string, unknown>;
      for (const k of Object.keys(after)) if (JSON.stringify(after[k]) !== JSON.stringify(before[k])) healed.push({ address: rc.address, attribute: k });
      r.values = after;
    }
    state = toTfState(resources, round + 2);
  }
  const residual = await planImpact(stackDir, statePath, state);
  return { state, healed, residual };
}

/** The planned value with each unknown part taken from the state (a computed value the apply would keep). */
function merge(after: unknown, unknown: unknown, before: unknown): unknown {
  if (unknown === true) return before ?? null;
  if (Array.isArray(after)) {
    const u = Array.isArray(unknown) ? unknown : [];
    const b = Array.isArray(before) ? before : [];
    return after.map((v, i) => merge(v, u[i], b[i]));
  }
  if (after && typeof after === "object") {
    const u = (unknown && typeof unknown === "object" ? unknown : {}) as Record<string, unknown>;
    const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(after as object), ...Object.keys(u)])) out[k] = merge((after as Record<string, unknown>)[k] ?? null, u[k], b[k]);
    return out;
  }
  return after;
}
