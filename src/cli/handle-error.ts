import { EXIT, MlplatError } from "../util/errors.js";
import { style } from "./output.js";

/**
 * The one place errors become exit codes. User and terraform errors print their message, details
 * and hint, never a stack trace; anything else is a bug and asks to be reported.
 */
export function handleError(err: unknown): never {
  if (err instanceof MlplatError) {
    const lines = [`${style.red("error")} ${style.dim(`[${err.code}]`)} ${err.message}`];
    if (err.details) lines.push(err.details);
    if (err.hint) lines.push(`${style.cyan("hint:")} ${err.hint}`);
    process.stderr.write(lines.join("\n") + "\n");
    process.exit(err.exitCode);
  }
  if (isCommanderExit(err)) process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.user);
  // stdout's reader went away (`… | head -1`): stop quietly, as Unix tools do.
  if ((err as NodeJS.ErrnoException | undefined)?.code === "EPIPE") process.exit(EXIT.ok);
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    `${style.red("internal error")}: ${err instanceof Error ? err.message : String(err)}\n` +
      `This is a bug in mlplat. Please report it with the command you ran and this trace:\n${detail}\n`,
  );
  process.exit(EXIT.internal);
}

function isCommanderExit(err: unknown): err is { exitCode: number; code: string } {
  return typeof err === "object" && err !== null && "code" in err && String((err as { code: unknown }).code).startsWith("commander.");
}
