import type { Command } from "commander";
import { MlplatError } from "../../util/errors.js";

// Placeholder until its issue lands; replaced wholesale by the command's implementation.
export function register(program: Command): void {
  program
    .command("init")
    .description("(not available in this build)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new MlplatError("MLP_NOT_AVAILABLE", "`mlplat init` is not available in this build yet.");
    });
}
