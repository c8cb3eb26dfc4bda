import { diagnosticJson, isError, renderDiagnostic, type Diagnostic } from "../blueprint/diagnostics.js";
import { style } from "./output.js";

const paint = (kind: "error" | "warning" | "dim" | "hint", s: string) =>
  kind === "error" ? style.red(s) : kind === "warning" ? style.yellow(s) : kind === "hint" ? style.cyan(s) : style.dim(s);

/** Renders diagnostics for a terminal (stderr). */
export function renderDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map((d) => renderDiagnostic(d, paint)).join("\n\n");
}

export function countLine(ds: readonly Diagnostic[]): string {
  const e = ds.filter(isError).length;
  const w = ds.length - e;
  return `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}`;
}

export { diagnosticJson };
