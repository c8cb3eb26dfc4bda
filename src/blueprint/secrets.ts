import type { Diagnostic } from "./diagnostics.js";

/**
 * Where interpolated values came from, so no diagnostic shows what a `${env:NAME}` resolved to.
 *
 * Every string that interpolation changed is recorded with the text the user wrote. Every
 * diagnostic of a load passes through `redact`: each resolved scalar, and each variable's value,
 * is replaced by what was written (`${env:AWS_SECRET_ACCESS_KEY}`) wherever it appears in a
 * diagnostic's message, found, allowed or hint, and in values before they are described. Values
 * of 8 characters or more are replaced wherever they occur; shorter ones where they stand alone
 * (not inside a longer word), so a variable that holds `1` does not rewrite every `1` of a message.
 */
export class Interpolations {
  /** resolved text → the reference to show instead, longest first when applied. */
  private readonly replacements = new Map<string, string>();
  private pattern?: RegExp;

  /** A string written as `written` became `resolved`, using these variables. */
  add(written: string, resolved: string, vars: readonly { name: string; value: string }[]): void {
    if (resolved !== "" && resolved !== written) this.replace(resolved, written);
    for (const v of vars) if (v.value !== "") this.replace(v.value, `\${env:${v.name}}`);
    this.pattern = undefined;
  }

  /** Also the JSON-escaped form: messages quote values with JSON.stringify (`\"` for `"`). */
  private replace(from: string, to: string): void {
    if (!this.replacements.has(from)) this.replacements.set(from, to);
    const escaped = JSON.stringify(from).slice(1, -1);
    if (escaped !== from && !this.replacements.has(escaped)) this.replacements.set(escaped, JSON.stringify(to).slice(1, -1));
  }

  /** `s` with every resolved value replaced by its reference. */
  redact(s: string): string {
    if (this.replacements.size === 0) return s;
    // One pass over one alternation, longest value first: a replacement is never rewritten again.
    this.pattern ??= new RegExp(
      [...this.replacements.keys()]
        .sort((x, y) => y.length - x.length)
        .map((from) => (from.length >= 8 ? escapeRegExp(from) : `(?<![A-Za-z0-9])${escapeRegExp(from)}(?![A-Za-z0-9])`))
        .join("|"),
      "g",
    );
    return s.replace(this.pattern, (m) => this.replacements.get(m) ?? m);
  }

  /** A copy of `v` with every string redacted (before a value is described in a message). */
  redactValue = (v: unknown): unknown => {
    if (this.replacements.size === 0) return v;
    if (typeof v === "string") return this.redact(v);
    if (Array.isArray(v)) return v.map(this.redactValue);
    if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, x] of Object.entries(v)) out[this.redact(k)] = this.redactValue(x);
      return out;
    }
    return v;
  };

  /** Every text field of a diagnostic, redacted. */
  redactDiagnostic(d: Diagnostic): Diagnostic {
    if (this.replacements.size === 0) return d;
    const r = (s: string | undefined) => (s === undefined ? undefined : this.redact(s));
    return { ...d, message: this.redact(d.message), found: r(d.found), allowed: r(d.allowed), hint: r(d.hint) };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
