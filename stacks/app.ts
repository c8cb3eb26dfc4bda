import { App } from "cdktf";
import type { PlatformModel, SynthContext } from "../src/model/platform.js";
import { TARGETS } from "../src/targets/index.js";

/**
 * The one synth entry: the only code outside a cloud's folder that imports cdktf. It builds a
 * cdktf App in `outdir` with the model's cloud stack; cdktf writes `manifest.json` and
 * `stacks/<stack>/cdk.tf.json`. Only the target cloud's provider submodules are loaded.
 * `resolved` are the target's props when the caller already resolved them (the synth pipeline
 * does, to write the Kubernetes manifests from the same props).
 */
export async function synthApp(model: PlatformModel, ctx: SynthContext, outdir: string, resolved?: unknown): Promise<string[]> {
  const target = TARGETS[model.cloud];
  const props = resolved ?? target.resolve(model, ctx);
  const addStack = await target.loadStack();
  // stackTraces off: construct stack traces would put absolute paths into the output and
  // break byte-for-byte determinism.
  const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: false });
  addStack(app, model.stackName, props as never);
  app.synth();
  return [model.stackName];
}
