/**
 * Entry for teams already on cdktf-cli: `cdktf synth` runs this through cdktf.json's `app`.
 * The blueprint comes from MLPLAT_BLUEPRINT (and MLPLAT_ENV, MLPLAT_OFFLINE, MLPLAT_STATE_DIR);
 * cdktf-cli chooses the output folder (CDKTF_OUTDIR). mlplat's own commands never need cdktf-cli.
 */
import { join, relative, resolve, dirname } from "node:path";
import { handleError } from "../cli/handle-error.js";
import { loadBlueprintOrThrow } from "../blueprint/load.js";
import { MlplatError } from "../util/errors.js";

try {
  const file = process.env.MLPLAT_BLUEPRINT;
  if (!file) {
    throw new MlplatError("MLP_NO_BLUEPRINT", "MLPLAT_BLUEPRINT is not set: cdktf.json's app needs to know which blueprint to synthesize.", {
      hint: "MLPLAT_BLUEPRINT=blueprints/llm-serving.yaml cdktf synth   (or use `mlplat synth <file>`, which needs no cdktf-cli)",
    });
  }
  const { model } = loadBlueprintOrThrow(file, { env: process.env.MLPLAT_ENV || undefined, stateDir: process.env.MLPLAT_STATE_DIR });
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const stateDir = resolve(process.env.MLPLAT_STATE_DIR ?? join(dirname(resolve(file)), ".mlplat", "state"));
  const stackDir = join(outdir, "stacks", model.stackName);
  const { synthApp } = await import("../../stacks/app.js");
  await synthApp(model, { offline: process.env.MLPLAT_OFFLINE === "1", localStatePath: relative(stackDir, join(stateDir, `${model.stackName}.tfstate`)) }, outdir);
} catch (err) {
  handleError(err);
}
