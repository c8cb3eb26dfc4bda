import { diag, type Diagnostic, type FieldPath } from "./diagnostics.js";
import { Interpolations } from "./secrets.js";
import { findUnsafe } from "./unsafe-text.js";

/** `${env:NAME}` and `${env:NAME:-fallback}`; no other `${...}` form is interpreted. */
const PATTERN = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces environment references in every string value (not keys). An unset variable without
 * a fallback is an error located at that value; the rest of the document is still processed.
 * Each changed string is recorded in `record` (what was written, the variables used), so
 * diagnostics show the reference instead of the value. Objects are rebuilt with a
 * null prototype: no key of the document can reach Object.prototype.
 */
export function interpolate(
  value: unknown,
  path: FieldPath,
  env: NodeJS.ProcessEnv,
  diagnostics: Diagnostic[],
  record: Interpolations = new Interpolations(),
): unknown {
  if (typeof value === "string") {
    if (!value.includes("${env:")) return value;
    const used: { name: string; value: string }[] = [];
    const out = value.replace(PATTERN, (whole, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) {
        used.push({ name, value: v });
        const bad = findUnsafe(v);
        if (bad) {
          diagnostics.push(
            diag({
              code: "MLP_CONTROL_CHARACTER",
              message: `the value of \`${whole}\` holds ${bad.description} at character ${bad.index + 1}; blueprint text may not hold control or bidirectional-control characters.`,
              path,
              found: whole,
              hint: `set ${name} to a value without it.`,
            }),
          );
        }
        return v;
      }
      if (fallback !== undefined) return fallback;
      diagnostics.push(
        diag({
          code: "MLP_ENV_VAR_UNSET",
          message: `environment variable ${name} is not set and \`${whole}\` has no fallback.`,
          path,
          found: whole,
          hint: `export ${name}=…, or give a fallback: \${env:${name}:-value}.`,
        }),
      );
      return whole;
    });
    if (out !== value) record.add(value, out, used);
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i], env, diagnostics, record));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, [...path, k], env, diagnostics, record);
    return out;
  }
  return value;
}
