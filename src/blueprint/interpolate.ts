import { diag, type Diagnostic, type FieldPath } from "./diagnostics.js";

/** `${env:NAME}` and `${env:NAME:-fallback}`; no other `${...}` form is interpreted. */
const PATTERN = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces environment references in every string value (not keys). An unset variable without
 * a fallback is an error located at that value; the rest of the document is still processed.
 */
export function interpolate(
  value: unknown,
  path: FieldPath,
  env: NodeJS.ProcessEnv,
  diagnostics: Diagnostic[],
): unknown {
  if (typeof value === "string") {
    if (!value.includes("${env:")) return value;
    return value.replace(PATTERN, (whole, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
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
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i], env, diagnostics));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, [...path, k], env, diagnostics)]));
  }
  return value;
}
