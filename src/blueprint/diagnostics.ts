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
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.col ?? 1}` : ""}` : "";
  const head = `${where}${where ? " " : ""}${colour(d.severity, d.severity)} ${colour("dim", d.code)} ${formatPath(d.path)}`;
  const lines = [head, `  ${d.message}`];
  if (d.source !== undefined && d.line) {
    const num = String(d.line);
    const pad = " ".repeat(num.length);
    lines.push(`  ${num} | ${d.source}`);
    lines.push(`  ${pad} | ${" ".repeat(Math.max(0, (d.col ?? 1) - 1))}^`);
  }
  const facts = [d.found !== undefined ? `found: ${d.found}` : "", d.allowed !== undefined ? `allowed: ${d.allowed}` : ""].filter(Boolean);
  if (facts.length) lines.push(`  ${facts.join(" · ")}`);
  if (d.hint) lines.push(`  ${colour("hint", "hint:")} ${d.hint}`);
  return lines.join("\n");
}

/** JSON rendering for `--json`. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    path: formatPath(d.path),
    file: d.file,
    line: d.line,
    column: d.col,
    found: d.found,
    allowed: d.allowed,
    hint: d.hint,
  };
}
