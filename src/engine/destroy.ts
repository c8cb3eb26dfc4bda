import { parseAddress } from "../terraform/addresses.js";
import { deletionGuardedResources, liftDeletionGuards } from "../terraform/deletion-protection.js";
import { parseStateJson, stateResources, type StateResource } from "../terraform/plan-json.js";
import { liftProtection, protectedResources } from "../terraform/protection.js";
import type { SealedPlan } from "../output/plan-file.js";
import { MlplatError } from "../util/errors.js";
import type { PlatformModel } from "../model/platform.js";
import { requireApproval } from "./deploy.js";
import { deleteKubernetes } from "./kubernetes-phase.js";
import type { CommonOptions, EngineDeps, SynthedStack } from "./ports.js";
import { renderSummary } from "./render.js";
import { WORKSPACE_DOMAIN_ADDRESS, deleteWorkspaceLeftovers, leftoversError, listWorkspaceLeftovers, renderLeftovers, timerClock, workspaceDomainOf, type WorkspaceLeftovers } from "./workspace-apps.js";
import { applyReviewed, initStep, planChanges, planStep, stackJson, synthStep, type StackPlan } from "./stack-plan.js";

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
 *
 * Deletion guards (src/terraform/deletion-protection.ts: the GKE cluster's
 * `deletion_protection = true`) are checked by the provider against the *state* when it
 * deletes, so a config edit alone does not help: an apply must write `false` first. When the
 * destroy removes a guarded resource (in state, not kept), per stack:
 *  a. this run's cdk.tf.json gets the guard set to false on those resources (the next synth
 *     restores it, the next deploy turns it back on);
 *  b. `plan -target=<their addresses> -out=mlplat-unguard.tfplan`, which must only update those
 *     resources in place: `-target` drags in the targets' dependencies, and anything else the
 *     plan would do (a replace, a change to another resource) stops the destroy with
 *     MLP_DESTROY_UNGUARD_UNSAFE before anything is applied. The plan stream gives actions, not
 *     attributes: other drift on the resource itself would be applied with it, harmless on a
 *     resource about to be deleted;
 *  c. only once the destroy is confirmed, apply that plan, then plan the destroy. With
 *     `--auto-approve` (nothing to confirm) that happens before the one destroy plan. With a
 *     confirmation the destroy plan the person saw was made before the apply, and terraform
 *     refuses a saved plan older than the state ("Saved plan is stale"), so the destroy is
 *     planned again and applied only if it is the one confirmed (same changes); otherwise it
 *     stops with MLP_DESTROY_PLAN_CHANGED, the guard already off.
 * The report lists the addresses whose guard was turned off (`deletionProtectionLifted`).
 */
export interface DestroyCommandOptions extends CommonOptions {
  /** @default false */
  readonly autoApprove?: boolean;
  /** @default false; destroy protected resources too, for this run only. */
  readonly allowDataLoss?: boolean;
  /** @default false; leave the Kubernetes objects of k8s/ alone (GitOps owns them); they go with the cluster. */
  readonly skipKubernetes?: boolean;
  /** @default false; delete the SageMaker Studio apps and spaces that block the workspaces domain (src/engine/workspace-apps.ts). */
  readonly deleteWorkspaceApps?: boolean;
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
  /** Addresses whose deletion guard (`deletion_protection`) a targeted apply turned off before the destroy. */
  readonly deletionProtectionLifted: string[];
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
  /** The destroy plan's targets, undefined for the whole stack. */
  readonly targets?: readonly string[];
  /** Studio apps and spaces to delete, with consent, before the domain goes. */
  readonly studioLeftovers?: WorkspaceLeftovers;
  /** A saved, checked plan turning deletion guards off, when the destroy removes guarded resources. */
  readonly unguard?: { readonly addresses: string[]; readonly sealed: SealedPlan; applied: boolean };
}

/** The plan file of the targeted apply that turns deletion guards off, next to PLAN_FILE. */
export const UNGUARD_PLAN_FILE = "mlplat-unguard.tfplan";

export async function runDestroy(file: string, options: DestroyCommandOptions, deps: EngineDeps): Promise<DestroyReport> {
  requireApproval(deps.ui, options.autoApprove ?? false, "destroy");
  const synth = await synthStep(deps, file, { ...options, offline: false, command: "destroy" });
  try {
    return await destroyStacks(synth.stacks, options, deps, synth.model);
  } finally {
    synth.release?.();
  }
}

/** Everything after synth, while this run holds the output's lock. */
async function destroyStacks(stacks: readonly SynthedStack[], options: DestroyCommandOptions, deps: EngineDeps, model?: PlatformModel): Promise<DestroyReport> {
  const planned: StackDestroyPlan[] = [];
  // Reverse order: a later stack may use what an earlier one created.
  for (const stack of [...stacks].reverse()) {
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
    const studioLeftovers = targets.includes(WORKSPACE_DOMAIN_ADDRESS) ? await studioConsent(deps, stack, options) : undefined;
    const unguard = await planUnguard(deps, stack, targets);
    if (unguard) {
      deps.ui.print(
        `Stack ${stack.name}: deletion_protection is on for ${unguard.addresses.join(", ")}; ` +
          `${options.autoApprove ? "a targeted apply turns it off now" : "once you confirm, a targeted apply turns it off"} so the destroy can delete ${unguard.addresses.length === 1 ? "it" : "them"} (the next deploy turns it back on).`,
      );
      if (options.autoApprove) await applyUnguard(deps, stack, unguard);
    }
    const destroyTargets = kept.length > 0 ? targets : undefined;
    const plan = await planStep(deps, stack, { refresh: true, destroy: true, targets: destroyTargets });
    deps.ui.print(renderSummary(stack.name, plan.summary));
    if (kept.length > 0) deps.ui.print(renderKept(kept));
    planned.push({ stack, kept, plan, destroyed: targets, targets: destroyTargets, unguard, studioLeftovers });
  }

  const report = (status: DestroyReport["status"], applied: ReadonlySet<string>, error?: MlplatError): DestroyReport => ({
    status,
    stacks: planned.map((p) => ({
      ...(p.plan ? stackJson(p.plan) : {}),
      name: p.stack.name,
      destroyed: p.destroyed,
      kept: p.kept,
      applied: applied.has(p.stack.name),
      deletionProtectionLifted: p.unguard?.applied ? p.unguard.addresses : [],
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
    // Confirmed: the Kubernetes objects of k8s/ go first (src/engine/kubernetes-phase.ts), while the cluster still runs.
    if (model?.cluster && !options.skipKubernetes && p.stack.name === model.stackName) await deleteKubernetes(deps, p.stack, model);
    if (p.studioLeftovers) await deleteWorkspaceLeftovers(deps, p.stack, p.studioLeftovers, deps.clock ?? timerClock);
    let again: StackPlan | undefined;
    if (p.unguard && !p.unguard.applied) {
      await applyUnguard(deps, p.stack, p.unguard);
      // The confirmed plan predates the apply, so terraform would refuse it as stale.
      again = await planStep(deps, p.stack, { refresh: true, destroy: true, targets: p.targets });
      if (JSON.stringify(stackJson(again)) !== JSON.stringify(stackJson(p.plan!))) {
        deps.ui.print(renderSummary(p.stack.name, again.summary));
        throw new MlplatError(
          "MLP_DESTROY_PLAN_CHANGED",
          `Stack ${p.stack.name}: after deletion_protection was turned off on ${p.unguard.addresses.join(", ")}, the destroy plan is no longer the one confirmed; nothing was destroyed in ${p.stack.name}.`,
          { hint: "Something changed the stack meanwhile. Run mlplat destroy again to review the new plan (deletion_protection stays off until the next deploy)." },
        );
      }
    }
    // After an unguard apply, the re-plan checked equal to the confirmed one.
    const confirmed = again ?? p.plan!;
    await applyReviewed(deps, p.stack, confirmed.sealed, "destroy");
    applied.add(p.stack.name);
  }
  if (planned.some((p) => p.destroyed.includes(WORKSPACE_DOMAIN_ADDRESS) && applied.has(p.stack.name))) {
    deps.ui.print("The workspaces' home EFS file system stays (the domain's retention policy is Retain): delete it in the EFS console when its files are no longer needed.");
  }
  const kept = planned.flatMap((p) => p.kept);
  if (kept.length > 0) deps.ui.print(`Destroyed everything else; ${kept.length} resource${kept.length === 1 ? "" : "s"} stayed under management.`);
  return report("destroyed", applied);
}

/**
 * The destroy removes the workspaces domain: lists the Studio apps and spaces that would block it
 * and returns them when the user consents to their deletion (`--delete-workspace-apps`, or "yes"
 * at the prompt); refuses (MLP_WORKSPACE_APPS, exit 1) otherwise. Undefined when there is none.
 */
async function studioConsent(deps: EngineDeps, stack: SynthedStack, options: DestroyCommandOptions): Promise<WorkspaceLeftovers | undefined> {
  const domain = workspaceDomainOf(stack.dir);
  if (!domain) return undefined;
  if (!deps.cloudCli) throw new MlplatError("MLP_WORKSPACE_APPS_LIST", `Stack ${stack.name}: mlplat cannot list the SageMaker Studio apps that block deleting the workspaces domain here; nothing was destroyed.`, { exitCode: 3 });
  const leftovers = await deps.progress.step("list-studio-apps", stack.name, () => listWorkspaceLeftovers(deps.cloudCli!(stack.dir), domain));
  if (!leftovers || leftovers.apps.length + leftovers.spaces.length === 0) return undefined;
  if (options.deleteWorkspaceApps) {
    deps.ui.print(`Stack ${stack.name}: --delete-workspace-apps deletes these once the destroy is confirmed:\n${renderLeftovers(leftovers)}`);
    return leftovers;
  }
  if (deps.ui.confirm && !options.autoApprove) {
    deps.ui.print(`Stack ${stack.name}:\n${renderLeftovers(leftovers)}`);
    if (await deps.ui.confirm("Delete these Studio apps and spaces (unsaved work in them is lost) once the destroy is confirmed? Only \"yes\" deletes them: ")) return leftovers;
  }
  throw leftoversError(stack.name, leftovers);
}

/**
 * When the destroy removes resources with a deletion guard on (`targets`: the state addresses
 * it removes), turns the guard off in this run's cdk.tf.json and saves a plan that applies only
 * that; refuses (MLP_DESTROY_UNGUARD_UNSAFE) a plan that would do anything but update those
 * resources in place. Undefined when there is nothing to turn off, including when the state
 * already has the guard off (the plan changes nothing).
 */
async function planUnguard(deps: EngineDeps, stack: SynthedStack, targets: readonly string[]): Promise<StackDestroyPlan["unguard"]> {
  const guarded = new Set(deletionGuardedResources(stack.dir));
  const addresses = targets.filter((a) => guarded.has(parseAddress(a)?.resourceKey ?? a));
  if (addresses.length === 0) return undefined;
  liftDeletionGuards(stack.dir, [...new Set(addresses.map((a) => parseAddress(a)?.resourceKey ?? a))]);
  // A remote run on an hcp stack, like the destroy plan (src/engine/stack-plan.ts).
  const planned = await planChanges(deps, stack, { out: UNGUARD_PLAN_FILE, refresh: true, targets: addresses }, "plan-unguard");
  const sealed = planned.sealed;
  const changes = planned.changes.resources.filter((c) => c.mode === "managed" && c.action !== "noop" && c.action !== "read");
  const allowed = new Set(addresses);
  const unexpected = changes.filter((c) => c.action !== "update" || !allowed.has(c.address));
  if (unexpected.length > 0) {
    throw new MlplatError(
      "MLP_DESTROY_UNGUARD_UNSAFE",
      `Stack ${stack.name}: turning deletion_protection off on ${addresses.join(", ")} would also ${unexpected.map((c) => `${c.action} ${c.address}`).join(", ")}; nothing was changed or destroyed.`,
      {
        hint: "The deployed stack differs from the blueprint. Run mlplat deploy (or mlplat plan to see why) so the stack matches it, then mlplat destroy again.",
      },
    );
  }
  const updated = changes.map((c) => c.address);
  return updated.length > 0 ? { addresses: updated, sealed, applied: false } : undefined;
}

async function applyUnguard(deps: EngineDeps, stack: SynthedStack, unguard: NonNullable<StackDestroyPlan["unguard"]>): Promise<void> {
  await applyReviewed(deps, stack, unguard.sealed, "unguard");
  unguard.applied = true;
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
