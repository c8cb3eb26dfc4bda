import type { Command } from "commander";
import type { z as Zod } from "zod";

/**
 * Zod in a command module's option schemas is only ever the `z` passed in: the modules are
 * imported at start-up to register their commands, and a top-level `import { z } from "zod"`
 * would load and compile zod (~300 KB) for every run, `--help` included. Each action imports
 * zod when it runs and builds its schema then (`optionsSchema(z).parse(raw)`).
 */
export type ZodApi = typeof Zod;

/** Options every engine command takes (plan, deploy, destroy, output). */
export const commonCliOptions = (z: ZodApi) =>
  z.object({
    env: z.string().min(1).optional(),
    out: z.string().min(1).optional(),
    stateDir: z.string().min(1).optional(),
    json: z.boolean().default(false),
    verbose: z.boolean().default(false),
  });

/** `verbose`: the command's own --verbose description, when it runs no plan (output). */
export function addCommonOptions(cmd: Command, descriptions: { verbose?: string } = {}): Command {
  return cmd
    .option("-e, --env <name>", "environment overlay from the blueprint's `environments` (default: the base, env `default`)")
    .option("-o, --out <dir>", "synth output folder (default: cdktf.out in the current folder)")
    .option("--state-dir <dir>", "local state folder (default: .mlplat/state beside the blueprint)")
    .option("--json", "print only JSON on stdout")
    .option("--verbose", descriptions.verbose ?? "stream terraform's output to stderr (for plans: one line per change; `terraform show mlplat.tfplan` has the full diff)");
}

/**
 * A `.catch` for plan, deploy and destroy: a terraform failure caused by a blueprint value is
 * rethrown naming that field at its line (src/engine/blueprint-errors.ts, loaded only then).
 */
export function blueprintCause(file: string, env: string | undefined): (err: unknown) => Promise<never> {
  return async (err) => {
    const { withBlueprintCause } = await import("./blueprint-errors.js");
    throw withBlueprintCause(err, file, env);
  };
}

/** `--extension FILE` for plan, deploy and destroy (src/synth/extension.ts). */
export function addExtensionOption(cmd: Command): Command {
  return cmd.option("--extension <file.tf.json>", "merge this Terraform JSON (resources, data, outputs, locals) into the synthesized stack; the guards check the result");
}

/** Reads and checks `--extension` before any work; undefined without one. */
export async function loadExtension(file: string | undefined) {
  if (!file) return undefined;
  const { readExtension } = await import("../synth/extension.js");
  return readExtension(file);
}
