import type { Command } from "commander";
import { MlplatError } from "../../util/errors.js";

// Placeholder until its issue lands; replaced wholesale by the command's implementation.
export function register(program: Command): void {
  program
    .command("output")
    .description("(not available in this build)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new MlplatError("MLP_NOT_AVAILABLE", "`mlplat output` is not available in this build yet.");
    });
}
