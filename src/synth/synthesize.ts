import { basename, join, relative } from "node:path";
import { writeTerraformIgnore } from "./terraformignore.js";
import { loadBlueprintOrThrow } from "../blueprint/load.js";
import type { Diagnostic } from "../blueprint/diagnostics.js";
import type { PlatformModel, SynthContext } from "../model/platform.js";
import { TARGETS } from "../targets/index.js";
import { writeKubernetesManifests } from "../k8s/write.js";
import { MlplatError } from "../util/errors.js";
import { OutputDir } from "../output/output-dir.js";
import { applyExtension, type Extension } from "./extension.js";
import { checkOutputPaths, resolveOutputPaths } from "../output/paths.js";

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
  /** The command, named to a concurrent run that finds the output locked. @default "synth" */
  readonly command?: string;
  /**
   * @default false: the locks are released when synth returns. True (plan, deploy, destroy,
   * output): the output's lock and each stack's lock in the state folder stay held until the
   * result's `release` is called, so nothing else replaces the output while terraform works in it.
   */
  readonly holdLock?: boolean;
  /**
   * Endpoints left out of this synth (src/engine/image-phase.ts: managed endpoints whose image
   * is not pushed yet), filtered from the model before the target resolves it, so neither their
   * cloud resources nor their Kubernetes manifests are written. The returned model lacks them.
   * @default - every endpoint
   */
  readonly deferEndpoints?: readonly string[];
  /**
   * `--extension FILE` (plan, deploy, destroy): Terraform JSON merged into each stack's
   * cdk.tf.json before the output is swapped in, and checked there (src/synth/extension.ts).
   */
  readonly extension?: Extension;
}

export interface SynthResult {
  readonly model: PlatformModel;
  readonly outDir: string;
  readonly stacks: readonly { readonly name: string; readonly dir: string }[];
  readonly warnings: readonly Diagnostic[];
  /**
   * With `holdLock`: releases the output's and the stacks' locks, which the caller holds until
   * its command is done (they are released at process exit in any case).
   */
  readonly release?: () => void;
}

/**
 * Blueprint → `cdktf.out/` (mlplat.json, manifest.json, stacks/<stack>/cdk.tf.json,
 * stacks/<stack>/k8s/). The output folder belongs to src/output/output-dir.ts: it is locked for
 * the run, recognised by its marker, written to a temporary folder and swapped into place only
 * when complete, so a failed or interrupted synth leaves the previous output untouched and no
 * temporary folder behind. Local state never lives in the output.
 */
export async function synthesizeBlueprint(file: string, opts: SynthOptions = {}): Promise<SynthResult> {
  const paths = resolveOutputPaths(file, opts.outDir, opts.stateDir);
  // Before anything runs: an --out or --state-dir that cannot be used is refused first.
  checkOutputPaths(paths);
  const loaded = loadBlueprintOrThrow(file, { env: opts.env, strict: opts.strict, stateDir: opts.stateDir });
  const model = withoutEndpoints(loaded.model, opts.deferEndpoints ?? []);
  const warnings = loaded.warnings;
  const { outDir, stateDir } = paths;
  const stackDir = join(outDir, "stacks", model.stackName);
  const ctx: SynthContext = {
    offline: opts.offline ?? false,
    localStatePath: relative(stackDir, join(stateDir, `${model.stackName}.tfstate`)),
  };

  const output = OutputDir.open(paths, opts.command ?? "synth");
  let held = false;
  try {
    if (opts.holdLock) output.lockStacks([model.stackName]);
    opts.onProgress?.(`synth ${model.stackName} (${model.cloud})`);
    const stacks = await output.replace(async (tmp, write) => {
      const props = TARGETS[model.cloud].resolve(model, ctx);
      const { synthApp } = await import("../../stacks/app.js");
      const names = await synthApp(model, ctx, tmp, props);
      if (opts.extension) for (const name of names) await applyExtension(join(tmp, "stacks", name), opts.extension);
      // Kubernetes manifests beside the stack, from the same props, swapped in with it.
      const stackRel = join("stacks", model.stackName);
      writeKubernetesManifests(model, props, join(tmp, stackRel), (rel, content) => write(join(stackRel, rel), content));
      // HCP Terraform uploads the stack folder for a remote run: only what terraform needs goes.
      writeTerraformIgnore(model, ctx, join(tmp, "stacks", model.stackName));
      return { stacks: names, marker: { blueprint: basename(file), env: model.env, cloud: model.cloud, offline: ctx.offline } };
    });
    held = opts.holdLock === true;
    return {
      model,
      outDir,
      stacks: stacks.map((name) => ({ name, dir: join(outDir, "stacks", name) })),
      warnings,
      release: held ? () => output.release() : undefined,
    };
  } catch (err) {
    if (err instanceof MlplatError) throw err;
    throw new MlplatError("MLP_SYNTH_FAILED", `synth of ${file} failed: ${(err as Error).message}`, {
      exitCode: 70,
      cause: err,
      hint: "the previous output was left untouched. This is likely a bug in mlplat; please report it with the blueprint.",
      details: (err as Error).stack,
    });
  } finally {
    if (!held) output.release();
  }
}

function withoutEndpoints(model: PlatformModel, names: readonly string[]): PlatformModel {
  if (names.length === 0) return model;
  const unknown = names.filter((n) => !model.endpoints.some((e) => e.name === n));
  if (unknown.length > 0) throw new Error(`deferEndpoints names endpoints the blueprint lacks: ${unknown.join(", ")}`);
  return { ...model, endpoints: model.endpoints.filter((e) => !names.includes(e.name)) };
}
