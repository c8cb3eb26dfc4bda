import { handleError } from "./handle-error.js";
import { buildProgram } from "./program.js";

/**
 * Entry point of the `mlplat` binary (bin/mlplat.js runs its bundle, dist/bundle/main.cjs). No
 * top-level await: the bundle is a CommonJS script (src/cli/code-cache.ts).
 */
quietOnClosedPipe();
buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => handleError(err));

/**
 * `mlplat catalog gpus | head -1`: once the reader is gone, writes to stdout fail with EPIPE.
 * Like a Unix tool killed by SIGPIPE, mlplat then stops quietly: exit 0, no trace (locks and
 * temporary folders are still cleaned up by the exit hooks). Errors on stderr are ignored:
 * there is nowhere left to report them.
 */
function quietOnClosedPipe(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    handleError(err);
  });
  process.stderr.on("error", () => undefined);
}
