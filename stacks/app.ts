import { App } from "cdktf";
import { createRequire } from "node:module";
import type { PlatformModel, SynthContext } from "../src/model/platform.js";
import { TARGETS } from "../src/targets/index.js";

/**
 * The one synth entry: the only code outside a cloud's folder that imports cdktf. It builds a
 * cdktf App in `outdir` with the model's cloud stack; cdktf writes `manifest.json` and
 * `stacks/<stack>/cdk.tf.json`. Only the target cloud's provider submodules are loaded.
 * `resolved` are the target's props when the caller already resolved them (the synth pipeline
 * does, to write the Kubernetes manifests from the same props).
 */
/**
 * cdktf records a full, unlimited-depth stack trace for every token it creates (each attribute
 * reference such as a bucket's ARN), only to print it if that token later fails to resolve. For
 * a platform that is thousands of traces: ~40 ms of a synth (node --cpu-prof). mlplat's tokens
 * come from its own constructs, so a failure is a bug in mlplat, reported with mlplat's own
 * trace; the creation stacks are not worth their cost. cdktf is pinned (0.21.0, archived), so
 * this private module cannot move under us; the guard keeps a newer layout harmless.
 */
function skipTokenCreationStacks(): void {
  try {
    const traces = createRequire(import.meta.url)("cdktf/lib/tokens/private/stack-trace.js") as { captureStackTrace?: unknown };
    if (typeof traces.captureStackTrace === "function") traces.captureStackTrace = () => [];
  } catch {
    // another cdktf layout: keep its behaviour
  }
}

export async function synthApp(model: PlatformModel, ctx: SynthContext, outdir: string, resolved?: unknown): Promise<string[]> {
  const target = TARGETS[model.cloud];
  const props = resolved ?? target.resolve(model, ctx);
  const addStack = await target.loadStack();
  skipTokenCreationStacks();
  // stackTraces off: construct stack traces would put absolute paths into the output and
  // break byte-for-byte determinism.
  const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: false });
  addStack(app, model.stackName, props as never);
  app.synth();
  return [model.stackName];
}
