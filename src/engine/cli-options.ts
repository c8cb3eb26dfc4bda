import type { Command } from "commander";
import { z } from "zod";

/** Options every engine command takes (plan, deploy, destroy, output). */
export const CommonCliOptions = z.object({
  env: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  stateDir: z.string().min(1).optional(),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
});

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option("-e, --env <name>", "environment overlay from the blueprint's `environments` (default: the base, env `default`)")
    .option("-o, --out <dir>", "synth output folder (default: cdktf.out in the current folder)")
    .option("--state-dir <dir>", "local state folder (default: .mlplat/state beside the blueprint)")
    .option("--json", "print only JSON on stdout")
    .option("--verbose", "stream terraform's full output to stderr");
}
