import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { reviewedPlanCopy, sealPlan, type SealedPlan } from "../output/plan-file.js";
import { readStackText, removeStackFile, writeStackFile } from "../output/stack-files.js";
import { parsePlanStream, type PlannedChanges } from "../terraform/plan-stream.js";
import { parseShownPlan } from "../terraform/shown-plan.js";
import { PLAN_FILE, type PlanOptions } from "../terraform/runner.js";
import { EXIT, MlplatError, TerraformError } from "../util/errors.js";
import { protectedReplacementRefusal } from "./protected-replacement.js";
import type { CommonOptions, EngineDeps, SynthResult, SynthedStack } from "./ports.js";
import { summarizePlan, type PlanSummary } from "./summary.js";
import { withPlanDetails, type ShownPlan } from "./disruption.js";
import { withReplacePaths } from "./review.js";

/**
 * Steps every command shares: synth, init, plan, apply. Synth takes the output's lock (and each
 * stack's) for the whole command: the caller releases it with `synth.release?.()` in a `finally`.
 */
export async function synthStep(
  deps: EngineDeps,
  file: string,
  options: CommonOptions & { offline: boolean; command: "plan" | "deploy" | "destroy" | "output" | "rollback" },
): Promise<SynthResult> {
  return deps.progress.step("synth", basename(file), () =>
    deps.synth(file, { env: options.env, outDir: options.outDir, stateDir: options.stateDir, offline: options.offline, command: options.command, holdLock: true, ...(options.extension ? { extension: options.extension } : {}) }),
  );
}

/**
 * `terraform init`, when something it depends on changed. Synth keeps `.terraform` between runs
 * and terraform remembers the backend there. An `--offline` run swaps a remote backend for a
 * local stand-in, so going to or from one reinitializes without migrating (`-reconfigure`).
 *
 * A stamp in `.terraform/mlplat-init.json` records what the last init was done with: the
 * stack's `terraform` block (required providers and versions, backend), the dependency lock
 * file, the CLI config (TF_CLI_CONFIG_FILE and its bytes: mirrors, plugin cache), the terraform
 * binary and offline or not. When all of it is unchanged and the providers are installed, init
 * would do nothing but cost seconds: it is skipped, and the progress line says so. Anything
 * else changed runs init. Any other backend change is left to fail with terraform's own
 * migration message.
 */
export async function initStep(deps: EngineDeps, stack: SynthedStack, offline: boolean): Promise<void> {
  // The stack's terraform block, read once: init does not change cdk.tf.json.
  const tf = terraformBlock(stack.dir);
  const tagged = tf?.cloud?.workspaces?.tags !== undefined;
  if (tagged) selectTaggedWorkspace(stack);
  const last = readInitMarker(stack.dir);
  const stamp = initInputs(stack.dir, offline, tf);
  if (stamp !== undefined && last.stamp === stamp && existsSync(join(stack.dir, ".terraform", "providers"))) {
    await deps.progress.step("init (skipped: providers, backend and lock file unchanged)", stack.name, async () => undefined);
    return;
  }
  // With a cloud block (spec.state.backend: hcp, online) terraform refuses -reconfigure outright
  // (Meta.assertSupportedCloudInitOptions, internal/command/meta_backend.go), and a working
  // directory last initialized for the --offline run's local stand-in would be migrated into
  // HCP Terraform. Its record of that stand-in (.terraform/terraform.tfstate: the backend
  // settings, not state) is removed instead, so init configures the cloud block afresh.
  const cloud = tf?.cloud !== undefined;
  if (cloud && last.offline) removeStackFile(stack.dir, join(".terraform", "terraform.tfstate"));
  await deps.progress.step("init", stack.name, () => deps.runner.init(stack.dir, { reconfigure: (offline || last.offline) && !cloud }));
  if (tagged) checkTaggedWorkspace(stack);
  // Stamped after init: the lock file is terraform's output as much as its input.
  writeStackFile(stack.dir, INIT_MARKER, JSON.stringify({ offline, stamp: initInputs(stack.dir, offline, tf) }) + "\n");
}

const INIT_MARKER = join(".terraform", "mlplat-init.json");

interface TerraformBlock {
  readonly cloud?: { readonly workspaces?: { readonly name?: string; readonly tags?: unknown } };
}

/** The stack's `terraform` block (backend or cloud block, required providers); undefined when cdk.tf.json cannot be read. */
function terraformBlock(dir: string): TerraformBlock | undefined {
  try {
    return (JSON.parse(readStackText(dir, "cdk.tf.json")) as { terraform?: TerraformBlock }).terraform ?? {};
  } catch {
    return undefined;
  }
}

/** The stack's `cloud` block (spec.state.backend: hcp), when it has one. */
function cloudBlock(dir: string): TerraformBlock["cloud"] {
  return terraformBlock(dir)?.cloud;
}

/**
 * With `spec.state.tags` the cloud block names no workspace: terraform uses the selected one,
 * which it keeps in `.terraform/environment` (what `terraform workspace select` writes). mlplat
 * selects the workspace named after the stack (`<name>-<env>`), so each environment has its
 * own state; TF_WORKSPACE, when the user sets it, still wins, as terraform defines.
 */
function selectTaggedWorkspace(stack: SynthedStack): void {
  writeStackFile(stack.dir, join(".terraform", "environment"), stack.name);
}

/**
 * After init, with tags: terraform's init (Meta.selectWorkspace, internal/command/meta_backend.go)
 * silently selects the only workspace carrying the tags when the selected one is not among
 * them. Another environment's workspace (`fraud-dev` for `fraud-prod`) would then be planned
 * and applied with this stack's configuration. Refused, the selection put back, nothing stamped
 * (the next run inits and checks again). TF_WORKSPACE, when set, is the user's choice and wins.
 */
function checkTaggedWorkspace(stack: SynthedStack): void {
  if (process.env.TF_WORKSPACE) return;
  const file = join(".terraform", "environment");
  let selected: string;
  try {
    selected = readStackText(stack.dir, file).trim();
  } catch {
    return;
  }
  if (selected === stack.name) return;
  writeStackFile(stack.dir, file, stack.name);
  throw new MlplatError(
    "MLP_HCP_WORKSPACE",
    `terraform init selected the HCP Terraform workspace "${selected}" for stack ${stack.name}: it is the only workspace with the tags of spec.state.tags, and "${stack.name}" is not among them.`,
    {
      exitCode: EXIT.user,
      hint:
        `nothing was planned. Create the workspace "${stack.name}" with those tags (HCP Terraform UI, the tfe provider, or \`terraform workspace new ${stack.name}\` in ${stack.dir} at a terminal), ` +
        `or name it in spec.state.workspace; set TF_WORKSPACE only to use another workspace on purpose.`,
    },
  );
}

function readInitMarker(dir: string): { offline: boolean; stamp?: string } {
  try {
    const m = JSON.parse(readStackText(dir, INIT_MARKER)) as { offline?: unknown; stamp?: unknown };
    return { offline: m.offline === true, stamp: typeof m.stamp === "string" ? m.stamp : undefined };
  } catch {
    return { offline: false };
  }
}

/** sha256 of everything `terraform init` reads; undefined when the stack cannot be read. */
function initInputs(dir: string, offline: boolean, tf: TerraformBlock | undefined): string | undefined {
  if (tf === undefined) return undefined;
  try {
    const hash = createHash("sha256");
    hash.update(JSON.stringify(tf));
    hash.update("\0lock\0" + (existsSync(join(dir, ".terraform.lock.hcl")) ? readStackText(dir, ".terraform.lock.hcl") : ""));
    const cli = process.env.TF_CLI_CONFIG_FILE ?? "";
    hash.update(`\0cli\0${cli}\0${cli && existsSync(cli) ? readFileSync(cli, "utf8") : ""}`);
    hash.update(`\0env\0${process.env.TF_PLUGIN_CACHE_DIR ?? ""}\0${process.env.MLPLAT_TERRAFORM ?? "terraform"}\0${offline}`);
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

export interface StackPlan {
  readonly stack: SynthedStack;
  /** The remote run's page (spec.state.backend: hcp), printed with the summary and in `--json`. */
  readonly runUrl?: string;
  readonly summary: PlanSummary;
  /** The saved plan and the hash of its bytes at review: only those bytes are ever applied (applyReviewed). */
  readonly sealed: SealedPlan;
}

/**
 * Plans to the saved plan file, reading what it changes from the plan's own JSON stream
 * (`terraform plan -json`) rather than from a `terraform show -json` of the file afterwards,
 * which would take seconds more on a cloud stack. The file is sealed (sha256) as soon as
 * terraform has written it, so the summary and the data-loss guard judge the bytes applied.
 * A plan that fails because it must destroy a `prevent_destroy` resource is the data-loss
 * refusal (MLP_DATA_LOSS, exit 1), not a terraform failure.
 */
export async function planStep(
  deps: EngineDeps,
  stack: SynthedStack,
  options: { refresh: boolean; destroy?: boolean; targets?: readonly string[]; out?: string; vars?: Readonly<Record<string, string>> },
): Promise<StackPlan> {
  if (cloudBlock(stack.dir)) return planRemoteStep(deps, stack, options);
  return deps.progress.step(options.destroy ? "plan-destroy" : "plan", stack.name, async () => {
    const out = options.out ?? PLAN_FILE;
    let messages: unknown[];
    try {
      messages = await deps.runner.plan(stack.dir, { out, refresh: options.refresh, destroy: options.destroy, targets: options.targets, ...(options.vars ? { vars: options.vars } : {}) });
    } catch (err) {
      if (err instanceof TerraformError && err.failureKind === "protected") throw protectedReplacementRefusal(stack.name, err);
      throw err;
    }
    const sealed = sealPlan(stack.dir, out);
    const summary = summarizePlan(parsePlanStream(messages, `${stack.name}/${out}`));
    // The stream names no forcing attribute and no pool size: only when the plan replaces or
    // disrupts something is the saved plan shown (seconds on a cloud stack) to name them.
    const replaces = summary.resources.some((r) => r.action === "replace");
    if ((replaces || summary.disruptions.length > 0) && !options.destroy && deps.runner.showPlan) {
      const shown = (await deps.runner.showPlan(stack.dir, out)) as ShownPlan;
      const resources = withReplacePaths(summary.resources, shown);
      return { stack, summary: { ...summary, resources, disruptions: withPlanDetails(summary.disruptions, shown) }, sealed };
    }
    return { stack, summary, sealed };
  });
}

/**
 * A plan on HCP Terraform / Terraform Enterprise: the run is made there, its bookmark saved as
 * the plan file and sealed like a local plan (deploy applies that run and no other; HCP
 * Terraform refuses it once another run changed the state), and what it changes is read from
 * the run's JSON plan (`terraform show -json`), which also names the forcing attributes.
 * The run's URL is printed with the summary and carried in `--json`.
 */
async function planRemoteStep(deps: EngineDeps, stack: SynthedStack, options: Parameters<typeof planStep>[2]): Promise<StackPlan> {
  const out = options.out ?? PLAN_FILE;
  const plan = { out, refresh: options.refresh, destroy: options.destroy, targets: options.targets, ...(options.vars ? { vars: options.vars } : {}) };
  const { runUrl, sealed, shown } = await remotePlan(deps, stack, plan, options.destroy ? "plan-destroy" : "plan", true);
  const summary = summarizePlan(parseShownPlan(shown, `${stack.name}/${out}`));
  const reviewed = { ...summary, resources: withReplacePaths(summary.resources, shown), disruptions: withPlanDetails(summary.disruptions, shown), ...(runUrl ? { runUrl } : {}) };
  return { stack, summary: reviewed, sealed, ...(runUrl ? { runUrl } : {}) };
}

/**
 * The remote run, its bookmark sealed as soon as terraform wrote it, then the run's JSON plan.
 * `protectedAsDataLoss`: a run failing on a prevent_destroy resource is the data-loss refusal.
 */
async function remotePlan(deps: EngineDeps, stack: SynthedStack, options: PlanOptions, step: string, protectedAsDataLoss: boolean): Promise<{ runUrl?: string; sealed: SealedPlan; shown: ShownPlan }> {
  const { planRemote, showPlan } = deps.runner;
  if (!planRemote || !showPlan) throw new Error("this TerraformRunner cannot run remote plans (planRemote and showPlan are required for spec.state.backend: hcp)");
  const run = await deps.progress.step(`${step} (HCP Terraform)`, stack.name, async () => {
    try {
      return await planRemote.call(deps.runner, stack.dir, options);
    } catch (err) {
      if (protectedAsDataLoss && err instanceof TerraformError && err.failureKind === "protected") throw protectedReplacementRefusal(stack.name, err);
      throw err;
    }
  });
  const sealed = sealPlan(stack.dir, options.out);
  const shown = (await deps.progress.step("read the run's plan", stack.name, () => showPlan.call(deps.runner, stack.dir, options.out))) as ShownPlan;
  return { ...(run.runUrl ? { runUrl: run.runUrl } : {}), sealed, shown };
}

/**
 * What a plan changes, without a summary (destroy's targeted unguard plan): from the plan's JSON
 * stream locally; on HCP Terraform from the remote run's JSON plan, because a remote run prints
 * the engine's rendering, not terraform's machine-readable stream (remotePlan). The saved
 * plan is sealed as soon as it is written.
 */
export async function planChanges(
  deps: EngineDeps,
  stack: SynthedStack,
  options: { out: string; refresh: boolean; targets: readonly string[] },
  step: string,
): Promise<{ changes: PlannedChanges; sealed: SealedPlan }> {
  const source = `${stack.name}/${options.out}`;
  if (!cloudBlock(stack.dir)) {
    const messages = await deps.progress.step(step, stack.name, () => deps.runner.plan(stack.dir, options));
    return { sealed: sealPlan(stack.dir, options.out), changes: parsePlanStream(messages, source) };
  }
  const { sealed, shown } = await remotePlan(deps, stack, options, step, false);
  return { sealed, changes: parseShownPlan(shown, source) };
}

/**
 * Applies exactly the reviewed plan: its bytes are checked against the seal and copied to a
 * private file right before `terraform apply` (src/output/plan-file.ts); MLP_PLAN_CHANGED
 * (exit 1, nothing applied) when they differ.
 */
export async function applyReviewed(deps: EngineDeps, stack: SynthedStack, sealed: SealedPlan, step = "apply"): Promise<void> {
  const copy = reviewedPlanCopy(stack.dir, stack.name, sealed);
  try {
    await deps.progress.step(step, stack.name, () => deps.runner.apply(stack.dir, copy.file));
  } finally {
    copy.dispose();
  }
}

/** The JSON shape of one planned stack (`plan --json`, and the base of deploy's and destroy's). */
export function stackJson(p: StackPlan) {
  const { add, change, destroy, replace, dataLoss, disruptions, sections, resources, changes } = p.summary;
  return { name: p.stack.name, ...(p.runUrl ? { runUrl: p.runUrl } : {}), add, change, destroy, replace, dataLoss, disruptions, sections, resources, changes };
}
