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
      if (fallback !== undefined) {
        const placeholder = placeholderKind(fallback);
        if (placeholder) {
          diagnostics.push(
            diag({
              severity: "warning",
              code: "MLP_PLACEHOLDER_DEFAULT",
              // The default itself is not quoted: diagnostics show a resolved value as its reference.
              message: `${name} is not set, so this value is its default, ${placeholder}; an online plan or deploy would use it.`,
              path,
              hint: `export ${name}=<the real value> before plan or deploy (offline commands do not need it), or write the real value as the default.`,
            }),
          );
        }
        return fallback;
      }
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

/**
 * Values the clouds' documentation uses as placeholders: AWS's example account ids
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html uses
 * 123456789012 and 111122223333…), ids made of one repeated digit (000000000000, the all-zero
 * UUID or billing account 000000-000000-000000) and the "my-project"/"PROJECT_ID" family of
 * project ids. A default that is one of them is a placeholder still in use.
 */
export function placeholderKind(value: string): string | undefined {
  const v = value.trim();
  if (/^(123456789012|111122223333|444455556666|777788889999)$/.test(v)) return "an AWS documentation example account id (a placeholder)";
  const digits = v.replace(/[-\s]/g, "");
  if (/^[0-9a-f]{8,}$/i.test(digits) && new Set(digits.toLowerCase()).size === 1) return `an id of one repeated digit (a placeholder)`;
  if (/^(my|your|example|sample)[-_]?project([-_]?id)?$|^project[-_]?id$/i.test(v)) return "a documentation example project id (a placeholder)";
  return undefined;
}

/**
 * A placeholder warning about another cloud's settings (`spec.gcp` of a blueprint deployed to
 * aws in this environment): nothing uses that value, so it is not reported.
 */
export function isOtherCloudPlaceholder(d: Diagnostic, cloud: unknown): boolean {
  if (d.code !== "MLP_PLACEHOLDER_DEFAULT" || typeof cloud !== "string") return false;
  const at = d.path[0] === "spec" ? 1 : d.path[0] === "environments" && d.path[2] === "spec" ? 3 : -1;
  const section = at < 0 ? undefined : d.path[at];
  return (section === "aws" || section === "gcp" || section === "azure") && section !== cloud;
}
