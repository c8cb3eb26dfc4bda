import { parseAddress } from "../terraform/addresses.js";
import { parseStateJson, stateResources, type StateResource } from "../terraform/plan-json.js";
import { liftProtection, protectedResources } from "../terraform/protection.js";
import { PLAN_FILE } from "../terraform/runner.js";
import { MlplatError } from "../util/errors.js";
import { requireApproval } from "./deploy.js";
import type { CommonOptions, EngineDeps, SynthedStack } from "./ports.js";
import { renderSummary } from "./render.js";
import { initStep, planStep, stackJson, synthStep, type StackPlan } from "./stack-plan.js";

/**
 * `mlplat destroy`: everything goes except protected resources (`lifecycle.prevent_destroy`
 * in cdk.tf.json, from `protect: true`), which stay in place and under management.
 *
 * The mechanism. Terraform refuses a whole `plan -destroy` while any prevent_destroy resource is
 * in the configuration, and `terraform state rm` would drop protected resources from management.
 * So per stack:
 *  1. read the state (`terraform show -json`) and the protected `type.name`s from cdk.tf.json;
 *  2. keep the protected resources; the resources of their own construct, found by the
 *     address scheme (`aws_s3_bucket.storage_datasets` keeps `…storage_datasets_policy`,
 *     `…_public-access-block`, `…_encryption`, and the key keeps its alias), so a bucket that
 *     stays keeps its encryption, public access block and TLS-only policy; and, transitively,
 *     everything those depend on (state `depends_on`): terraform destroys a target's dependents
 *     with it, so targeting a key a protected bucket uses would drag the bucket into the plan
 *     and fail on prevent_destroy;
 *  3. `plan -destroy -target=<every other managed resource in state>` to a saved plan, show its
 *     summary, confirm, and apply exactly that plan. No protected resource in state: a plain
 *     `plan -destroy`. Nothing left but kept resources: no plan at all (an empty target list
 *     would mean "everything").
 * Outputs of kept resources stay in state, so `mlplat output` still shows the bucket names.
 *
 * `--allow-data-loss` removes prevent_destroy from this run's synthesized cdk.tf.json
 * (src/terraform/protection.ts: liftProtection) and destroys the whole stack; the next synth
 * restores the protection.
 */
export interface DestroyCommandOptions extends CommonOptions {
  /** @default false */
  readonly autoApprove?: boolean;
  /** @default false; destroy protected resources too, for this run only. */
  readonly allowDataLoss?: boolean;
}

export interface KeptResource {
  readonly address: string;
  /** `protected`; `part of <address>` for a protected resource's own settings; `needed by <address>` for what a kept one depends on. */
  readonly reason: string;
}

export interface DestroyStackReport extends Partial<ReturnType<typeof stackJson>> {
  readonly name: string;
  /** Addresses the destroy plan removes. */
  readonly destroyed: string[];
  readonly kept: KeptResource[];
  readonly applied: boolean;
}

export interface DestroyReport {
  readonly status: "destroyed" | "nothing-to-destroy" | "declined";
  readonly stacks: DestroyStackReport[];
  readonly error?: MlplatError;
}

interface StackDestroyPlan {
  readonly stack: SynthedStack;
  readonly kept: KeptResource[];
  readonly plan?: StackPlan;
  readonly destroyed: string[];
}

export async function runDestroy(file: string, options: DestroyCommandOptions, deps: EngineDeps): Promise<DestroyReport> {
  requireApproval(deps.ui, options.autoApprove ?? false, "destroy");
  const synth = await synthStep(deps, file, { ...options, offline: false });

  const planned: StackDestroyPlan[] = [];
  // Reverse order: a later stack may use what an earlier one created.
  for (const stack of [...synth.stacks].reverse()) {
    const lifted = options.allowDataLoss ? liftProtection(stack.dir) : [];
    if (lifted.length > 0) deps.ui.print(`Stack ${stack.name}: --allow-data-loss lifts protection from ${lifted.join(", ")} for this run.`);
    await initStep(deps, stack, false);
    const state = parseStateJson(await deps.runner.showState(stack.dir), `${stack.name} state`);
    const managed = stateResources(state).filter((r) => r.mode === "managed");
    const kept = keptResources(managed, options.allowDataLoss ? [] : protectedResources(stack.dir));
    const keptSet = new Set(kept.map((k) => k.address));
    const targets = managed.map((r) => r.address).filter((a) => !keptSet.has(a));

    if (targets.length === 0) {
      deps.ui.print(`Stack ${stack.name}: nothing to destroy.${kept.length ? `\n${renderKept(kept)}` : ""}`);
      planned.push({ stack, kept, destroyed: [] });
      continue;
    }
    const plan = await planStep(deps, stack, { refresh: true, destroy: true, targets: kept.length > 0 ? targets : undefined });
    deps.ui.print(renderSummary(stack.name, plan.summary));
    if (kept.length > 0) deps.ui.print(renderKept(kept));
    planned.push({ stack, kept, plan, destroyed: targets });
  }

  const report = (status: DestroyReport["status"], applied: ReadonlySet<string>, error?: MlplatError): DestroyReport => ({
    status,
    stacks: planned.map((p) => ({
      ...(p.plan ? stackJson(p.plan) : {}),
      name: p.stack.name,
      destroyed: p.destroyed,
      kept: p.kept,
      applied: applied.has(p.stack.name),
    })),
    error,
  });

  const toApply = planned.filter((p) => p.plan?.summary.changes);
  if (toApply.length === 0) return report("nothing-to-destroy", new Set());
  if (!options.autoApprove) {
    const ok = await deps.ui.confirm!(`Destroy the resources above in ${toApply.map((p) => p.stack.name).join(", ")}? Only "yes" destroys: `);
    if (!ok) return report("declined", new Set(), new MlplatError("MLP_DESTROY_DECLINED", "Destroy cancelled: nothing was destroyed."));
  }
  const applied = new Set<string>();
  for (const p of toApply) {
    await deps.progress.step("destroy", p.stack.name, () => deps.runner.apply(p.stack.dir, PLAN_FILE));
    applied.add(p.stack.name);
  }
  const kept = planned.flatMap((p) => p.kept);
  if (kept.length > 0) deps.ui.print(`Destroyed everything else; ${kept.length} resource${kept.length === 1 ? "" : "s"} stayed under management.`);
  return report("destroyed", applied);
}

/**
 * The resources a destroy keeps: every instance of a protected `type.name`; the resources
 * whose name extends a protected one's (`<name>_…`: the same construct's settings); then, until
 * nothing changes, every resource a kept one depends on.
 */
export function keptResources(managed: readonly StateResource[], protectedKeys: readonly string[]): KeptResource[] {
  const keyOf = (address: string) => parseAddress(address)?.resourceKey ?? address;
  const protectedSet = new Set(protectedKeys);
  const kept = new Map<string, string>();
  for (const r of managed) if (protectedSet.has(keyOf(r.address))) kept.set(r.address, "protected");
  const protectedNames = managed.filter((r) => kept.get(r.address) === "protected").map((r) => ({ name: r.name, address: r.address }));
  for (const r of managed) {
    if (kept.has(r.address)) continue;
    const owner = protectedNames.find((p) => r.name.startsWith(`${p.name}_`));
    if (owner) kept.set(r.address, `part of ${owner.address}`);
  }
  const queue = [...kept.keys()];
  while (queue.length > 0) {
    const address = queue.shift()!;
    const deps = new Set((managed.find((r) => r.address === address)?.depends_on ?? []).map(keyOf));
    for (const r of managed) {
      if (!kept.has(r.address) && deps.has(keyOf(r.address))) {
        kept.set(r.address, `needed by ${address}`);
        queue.push(r.address);
      }
    }
  }
  return [...kept].map(([address, reason]) => ({ address, reason })).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function renderKept(kept: readonly KeptResource[]): string {
  return ["  Stays in place and under management:", ...kept.map((k) => `    = ${k.address} (${k.reason})`)].join("\n");
}
