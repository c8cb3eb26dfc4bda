import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { loadBlueprintOrThrow } from "../blueprint/load.js";
import type { Diagnostic } from "../blueprint/diagnostics.js";
import type { PlatformModel, SynthContext } from "../model/platform.js";
import { TARGETS } from "../targets/index.js";
import { writeKubernetesManifests } from "../k8s/write.js";
import { MlplatError } from "../util/errors.js";

export interface SynthOptions {
  readonly env?: string;
  /** @default cdktf.out (relative to the working directory) */
  readonly outDir?: string;
  /** @default .mlplat/state beside the blueprint */
  readonly stateDir?: string;
  readonly offline?: boolean;
  readonly strict?: boolean;
  /** Called before the slow part (cdktf) starts, for progress output. */
  readonly onProgress?: (step: string) => void;
}

export interface SynthResult {
  readonly model: PlatformModel;
  readonly outDir: string;
  readonly stacks: readonly { readonly name: string; readonly dir: string }[];
  readonly warnings: readonly Diagnostic[];
}

/** Kept from the previous output so `terraform init` need not start over after every synth. */
const CARRY_OVER = [".terraform", ".terraform.lock.hcl", "terraform.log"];

/**
 * Blueprint → `cdktf.out/` (manifest.json, stacks/<stack>/cdk.tf.json, stacks/<stack>/k8s/). Atomic: the output is
 * written to a temporary folder beside the target and renamed into place only when complete, so
 * a failed synth leaves the previous output untouched. Local state never lives in the output.
 */
export async function synthesizeBlueprint(file: string, opts: SynthOptions = {}): Promise<SynthResult> {
  const { model, warnings } = loadBlueprintOrThrow(file, { env: opts.env, strict: opts.strict, stateDir: opts.stateDir });
  const outDir = resolve(opts.outDir ?? "cdktf.out");
  const stateDir = resolve(opts.stateDir ?? join(dirname(resolve(file)), ".mlplat", "state"));
  guardOutDir(outDir, stateDir);
  const stackDir = join(outDir, "stacks", model.stackName);
  const ctx: SynthContext = {
    offline: opts.offline ?? false,
    localStatePath: relative(stackDir, join(stateDir, `${model.stackName}.tfstate`)),
  };

  mkdirSync(dirname(outDir), { recursive: true });
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    opts.onProgress?.(`synth ${model.stackName} (${model.cloud})`);
    const props = TARGETS[model.cloud].resolve(model, ctx);
    const { synthApp } = await import("../../stacks/app.js");
    const stacks = await synthApp(model, ctx, tmp, props);
    // Kubernetes manifests beside the stack, from the same props, swapped in with it.
    writeKubernetesManifests(model, props, join(tmp, "stacks", model.stackName));
    writeFileSync(join(tmp, "mlplat.json"), JSON.stringify({ blueprint: basename(file), env: model.env, cloud: model.cloud, stacks, offline: ctx.offline }, null, 2) + "\n");
    carryOver(outDir, tmp, stacks);
    swapInto(tmp, outDir);
    return { model, outDir, stacks: stacks.map((name) => ({ name, dir: join(outDir, "stacks", name) })), warnings };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (err instanceof MlplatError) throw err;
    throw new MlplatError("MLP_SYNTH_FAILED", `synth of ${file} failed: ${(err as Error).message}`, {
      exitCode: 70,
      cause: err,
      hint: "the previous output was left untouched. This is likely a bug in mlplat; please report it with the blueprint.",
      details: (err as Error).stack,
    });
  }
}

/** Refuses to replace a folder that is not an mlplat output, or one that holds the state. */
function guardOutDir(outDir: string, stateDir: string): void {
  if (stateDir === outDir || stateDir.startsWith(outDir + "/")) {
    throw new MlplatError("MLP_STATE_IN_OUTPUT", `the state folder ${stateDir} is inside the synth output ${outDir}, which synth replaces as a whole.`, {
      hint: "choose an --out outside the state folder, or a --state-dir outside the output.",
    });
  }
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  if (entries.length > 0 && !entries.includes("manifest.json")) {
    throw new MlplatError("MLP_OUT_NOT_SYNTH_OUTPUT", `${outDir} exists and is not a synth output (no manifest.json); mlplat replaces the output folder as a whole and will not delete it.`, {
      hint: "pass an empty or new folder with --out.",
    });
  }
}

function carryOver(outDir: string, tmp: string, stacks: readonly string[]): void {
  for (const s of stacks) {
    for (const name of CARRY_OVER) {
      const from = join(outDir, "stacks", s, name);
      const to = join(tmp, "stacks", s, name);
      if (existsSync(from) && !existsSync(to)) renameSync(from, to);
    }
  }
}

function swapInto(tmp: string, outDir: string): void {
  if (!existsSync(outDir)) return renameSync(tmp, outDir);
  const old = `${outDir}.old-${process.pid}-${Date.now().toString(36)}`;
  renameSync(outDir, old);
  renameSync(tmp, outDir);
  rmSync(old, { recursive: true, force: true });
}
