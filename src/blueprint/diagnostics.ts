import { escapeUnsafe } from "./unsafe-text.js";

/**
 * Diagnostics: every problem found in a blueprint, located at file:line:col with the field path,
 * what was found, what is allowed and a hint. Rules return them; nothing throws for user mistakes.
 */
export type Severity = "error" | "warning";

/** A field path as written in the blueprint: keys and list indices. */
export type FieldPath = readonly (string | number)[];

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code, e.g. `MLP_GPU_NOT_IN_REGION`; documented and snapshot-tested. */
  readonly code: string;
  /** One sentence saying what is wrong. */
  readonly message: string;
  /** Path in the blueprint document (after mapping environment overlays back to their source). */
  readonly path: FieldPath;
  /** What was found (rendered as given). */
  readonly found?: string;
  /** What is allowed. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly hint?: string;
  /** Filled in by the locator. */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** The source line, for the caret display. */
  readonly source?: string;
}

/** Loose input for rules: severity defaults to error. */
export type DiagnosticInput = Omit<Diagnostic, "severity" | "file" | "line" | "col" | "source"> & {
  readonly severity?: Severity;
};

export function diag(input: DiagnosticInput): Diagnostic {
  return { severity: "error", ...input };
}

export function isError(d: Diagnostic): boolean {
  return d.severity === "error";
}

/** `spec.cluster.nodePools[0].gpu.type` */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out || "(document)";
}

/** Most diagnostics reported for one file; the rest are counted in one closing diagnostic. */
export const MAX_DIAGNOSTICS = 100;

/**
 * The first MAX_DIAGNOSTICS problems, and a summary of the rest: a file with 200,000 unknown
 * keys gets a readable report, and the locating and rendering stay cheap.
 */
export function capDiagnostics(ds: readonly Diagnostic[], max = MAX_DIAGNOSTICS): { kept: Diagnostic[]; summary?: Diagnostic } {
  if (ds.length <= max) return { kept: [...ds] };
  const rest = ds.slice(max);
  const errors = rest.filter(isError).length;
  return {
    kept: ds.slice(0, max),
    summary: diag({
      code: "MLP_TOO_MANY_PROBLEMS",
      severity: errors ? "error" : "warning",
      message: `${rest.length} more problems (${errors} error${errors === 1 ? "" : "s"}) are not shown; only the first ${max} are listed.`,
      path: [],
      hint: "fix the problems listed, then validate again to see the rest.",
    }),
  };
}

/** Sort by position so output reads top to bottom; stable for equal positions. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/**
 * Human rendering, garden/rustc style:
 *
 *   platform.yaml:14:15 error MLP_GPU_COUNT spec.cluster.nodePools[0].gpu.count
 *     L4 comes in counts 1, 4, 8 on aws.
 *     14 |         gpu: { type: L4, count: 2 }
 *        |                               ^
 *     found: 2 · allowed: 1, 4, 8
 *     hint: use count 1, 4 or 8, or another accelerator.
 */
export function renderDiagnostic(d: Diagnostic, colour: (kind: "error" | "warning" | "dim" | "hint", s: string) => string = (_k, s) => s): string {
  const e = (s: string) => escapeUnsafe(clip(s));
  const where = d.file ? `${e(d.file)}${d.line ? `:${d.line}:${d.col ?? 1}` : ""}` : "";
  const head = `${where}${where ? " " : ""}${colour(d.severity, d.severity)} ${colour("dim", d.code)} ${e(formatPath(d.path))}`;
  const lines = [head, `  ${e(d.message)}`];
  if (d.source !== undefined && d.line) {
    const num = String(d.line);
    const pad = " ".repeat(num.length);
    const frame = codeFrame(d.source, d.col ?? 1);
    lines.push(`  ${num} | ${frame.text}`);
    lines.push(`  ${pad} | ${" ".repeat(frame.caret)}^`);
  }
  const facts = [d.found !== undefined ? `found: ${e(d.found)}` : "", d.allowed !== undefined ? `allowed: ${e(d.allowed)}` : ""].filter(Boolean);
  if (facts.length) lines.push(`  ${facts.join(" · ")}`);
  if (d.hint) lines.push(`  ${colour("hint", "hint:")} ${e(d.hint)}`);
  return lines.join("\n");
}

/** Longest message, found, allowed or hint shown whole: a 3 MB value is cut, its length said. */
export const MAX_TEXT = 400;

export function clip(s: string): string {
  return s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT - 100)}… (${s.length} characters) …${s.slice(-40)}`;
}

/** Longest source line shown whole in a code frame; longer lines show a window around the column. */
export const FRAME_WIDTH = 120;

/**
 * The source line for display: unsafe characters escaped, and a line longer than FRAME_WIDTH cut
 * to a window around the column with `…` on the cut sides. `caret` is the caret's offset in `text`.
 */
export function codeFrame(source: string, col: number): { text: string; caret: number } {
  const at = Math.max(0, Math.min(col - 1, source.length));
  let from = 0;
  let to = source.length;
  if (source.length > FRAME_WIDTH) {
    from = Math.max(0, Math.min(at - Math.floor(FRAME_WIDTH / 3), source.length - FRAME_WIDTH));
    to = from + FRAME_WIDTH;
  }
  const before = (from > 0 ? "…" : "") + escapeUnsafe(source.slice(from, at));
  const text = before + escapeUnsafe(source.slice(at, to)) + (to < source.length ? "…" : "");
  return { text, caret: [...before].length };
}

/** JSON rendering for `--json`. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const e = (s: string | undefined) => (s === undefined ? undefined : escapeUnsafe(clip(s)));
  return {
    severity: d.severity,
    code: d.code,
    message: e(d.message),
    path: e(formatPath(d.path)),
    file: d.file,
    line: d.line,
    column: d.col,
    found: e(d.found),
    allowed: e(d.allowed),
    hint: e(d.hint),
  };
}
