/**
 * Terminal output helpers. Colour only on a TTY without NO_COLOR and never under CI; JSON
 * results go to stdout and nothing else does when `--json` is on.
 */
const colour =
  process.stderr.isTTY === true && !("NO_COLOR" in process.env) && process.env.CI === undefined && process.env.TERM !== "dumb";

const wrap = (code: string) => (s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);

export const style = {
  red: wrap("31"),
  yellow: wrap("33"),
  green: wrap("32"),
  cyan: wrap("36"),
  dim: wrap("2"),
  bold: wrap("1"),
  enabled: colour,
};

/** Writes a JSON result to stdout (the only thing `--json` puts there). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Human lines: stdout when not in JSON mode. */
export function say(line = ""): void {
  process.stdout.write(line + "\n");
}

/** Progress and notes: stderr, so stdout stays parseable. */
export function note(line: string): void {
  process.stderr.write(line + "\n");
}
