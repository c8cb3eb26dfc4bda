import { handleError } from "./handle-error.js";
import { buildProgram } from "./program.js";

/** Entry point of the `mlplat` binary (bin/mlplat.js imports this file). */
try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  handleError(err);
}
