import { App } from "cdktf";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PlatformModel, SynthContext } from "../src/model/platform.js";
import { TARGETS } from "../src/targets/index.js";
import { MlplatError } from "../src/util/errors.js";
import { escapeLiterals, unsafeExpressions } from "./common/terraform-literals.js";
import { deferPackages } from "./common/defer-packages.js";

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
  deferPackages(); // before cdktf loads: archiver and semver serve cdktf features mlplat never uses (common/defer-packages.ts)
  const addStack = await target.loadStack();
  skipTokenCreationStacks();
  // stackTraces off: construct stack traces would put absolute paths into the output and
  // break byte-for-byte determinism.
  const app = new App({ outdir, stackTraces: false, hclOutput: false, skipValidation: false });
  // Every literal of the blueprint is escaped once, here, before any construct sees it: only
  // references that constructs create stay Terraform expressions (common/terraform-literals.ts).
  addStack(app, model.stackName, escapeLiterals(props) as never);
  app.synth();
  assertNoForeignExpressions(join(outdir, "stacks", model.stackName, "cdk.tf.json"));
  return [model.stackName];
}

/**
 * The backstop behind the sink: a template sequence in the output that is not a reference or an
 * allowed call means some literal reached Terraform without being escaped. That is a bug in
 * mlplat, and writing the file would let a blueprint run code in terraform: fail the synth (the
 * caller discards the temporary output).
 */
function assertNoForeignExpressions(stackFile: string): void {
  const problems = unsafeExpressions(JSON.parse(readFileSync(stackFile, "utf8")));
  if (problems.length === 0) return;
  throw new MlplatError("MLP_UNSAFE_EXPRESSION", `the synthesized stack holds ${problems.length} Terraform expression(s) that mlplat did not write; nothing was written.`, {
    exitCode: 70,
    details: problems.map((p) => `  - ${p.path}: ${JSON.stringify(p.expression)} (${p.reason})`).join("\n"),
    hint: "a literal bypassed the escaping sink (stacks/common/terraform-literals.ts). This is a bug in mlplat; please report it with the blueprint.",
  });
}
