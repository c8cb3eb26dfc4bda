import type { z } from "zod";
import { diag, type Diagnostic, type FieldPath } from "./diagnostics.js";
import { closest } from "./did-you-mean.js";

type Issue = z.core.$ZodIssue & { input?: unknown };

/** Unknown keys listed one by one per mapping; a file of 200,000 gets the first ones and a count. */
const MAX_UNKNOWN_KEYS = 50;

/**
 * zod issues → diagnostics with stable codes, the value found, what is allowed and a hint.
 * `root` is the schema, walked to list the keys allowed where an unknown key was found.
 * `redact` maps each input before it is described (interpolated secrets become their reference).
 */
export function issuesToDiagnostics(issues: readonly Issue[], root: z.ZodType, data: unknown, redact: (v: unknown) => unknown = (v) => v): Diagnostic[] {
  return issues.flatMap((issue) => toDiagnostics("input" in issue ? ({ ...issue, input: redact(issue.input) } as Issue) : issue, root, data));
}

function toDiagnostics(issue: Issue, root: z.ZodType, data: unknown): Diagnostic[] {
  const path = issue.path as FieldPath;
  const found = "input" in issue && issue.input !== undefined ? show(issue.input) : undefined;
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(root, path, data);
      // Beyond the first MAX_UNKNOWN_KEYS keys of one mapping, one diagnostic counts the rest.
      const keys = issue.keys.slice(0, MAX_UNKNOWN_KEYS);
      const more = issue.keys.length - keys.length;
      const rest = more
        ? [diag({ code: "MLP_UNKNOWN_KEY", message: `${more} more unknown keys in this mapping (${issue.keys.slice(keys.length, keys.length + 3).map((k) => `\`${k}\``).join(", ")}, …).`, path, allowed: known.join(", ") || undefined, hint: `remove them; this section takes ${known.join(", ") || "no keys"}.` })]
        : [];
      return [...keys.map((key) => {
        const guess = closest(key, known);
        return diag({
          code: "MLP_UNKNOWN_KEY",
          message: `unknown key \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}.`,
          path: [...path, key],
          found: key,
          allowed: known.length ? known.join(", ") : undefined,
          hint: guess ? `rename \`${key}\` to \`${guess}\`.` : `remove \`${key}\`; this section takes ${known.join(", ") || "no keys"}.`,
        });
      }), ...rest];
    }
    case "invalid_type": {
      if (issue.expected === "number" && typeof issue.input === "number") {
        // zod refuses Infinity and NaN as numbers: say what is wrong with them.
        return [diag({ code: "MLP_WRONG_TYPE", message: `expected a finite number, found ${show(issue.input)}.`, path, found, allowed: "a finite number", hint: "write a number such as 100; YAML reads .inf and .nan as infinity and not-a-number." })];
      }
      if (issue.input === undefined) {
        return [diag({ code: "MLP_REQUIRED", message: `\`${String(path[path.length - 1])}\` is required.`, path, allowed: article(issue.expected), hint: `add \`${String(path[path.length - 1])}\`.` })];
      }
      return [
        diag({
          code: "MLP_WRONG_TYPE",
          message: `expected ${article(issue.expected)}, found ${typeName(issue.input)}.`,
          path,
          found,
          allowed: article(issue.expected),
          hint: typeHint(issue.expected, issue.input),
        }),
      ];
    }
    case "invalid_value":
      if (issue.input === undefined)
        return [diag({ code: "MLP_REQUIRED", message: `\`${String(path[path.length - 1])}\` is required.`, path, allowed: issue.values.map(String).join(" | "), hint: `add \`${String(path[path.length - 1])}\`: one of ${issue.values.map(String).join(", ")}.` })];
      return [
        diag({
          code: "MLP_INVALID_VALUE",
          message: `${issue.message.startsWith("Invalid") ? "not an allowed value" : issue.message}.`,
          path,
          found,
          allowed: issue.values.map(String).join(" | "),
          hint: suggestValue(issue.input, issue.values.map(String)),
        }),
      ];
    case "invalid_union": {
      const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
      if (disc) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        const value = (issue.input as Record<string, unknown> | undefined)?.[disc];
        return [
          diag({
            code: "MLP_INVALID_VALUE",
            message: value === undefined ? `\`${disc}\` is required.` : `not an allowed ${disc}.`,
            path,
            found: value === undefined ? undefined : show(value),
            allowed: options.join(" | "),
            hint: suggestValue(value, options),
          }),
        ];
      }
      // A plain union (`gpu: A100-80GB:8` or `{ type, count }`): report the branch whose type
      // the value has, in its own words, instead of zod's "Invalid input".
      const branches = (issue as { errors?: Issue[][] }).errors ?? [];
      const typed = branches.filter((b) => b.length > 0 && !(b.length === 1 && b[0]!.code === "invalid_type" && b[0]!.path.length === 0));
      if (typed.length === 1)
        return typed[0]!.flatMap((i) => toDiagnostics({ ...i, path: [...issue.path, ...i.path], ...(i.path.length === 0 && "input" in issue ? { input: issue.input } : {}) } as Issue, root, data));
      return [diag({ code: "MLP_INVALID_VALUE", message: issue.message, path, found })];
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const raw = (small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum) as number | bigint;
      const origin = (issue as { origin?: string }).origin;
      const custom = !issue.message.startsWith("Too ");
      const what = origin === "array" ? "items" : origin === "string" ? "characters" : "";
      // `.positive()` is `> 0`: for an integer field that is "at least 1", otherwise "greater than 0".
      const exclusive = (issue as { inclusive?: boolean }).inclusive === false;
      const integer = origin === "number" && isIntegerField(root, path, data);
      const bound = exclusive && integer && typeof raw === "number" ? String(small ? raw + 1 : raw - 1) : String(raw);
      const strict = exclusive && !integer;
      const phrase = strict ? (small ? "greater than" : "less than") : small ? "at least" : "at most";
      return [
        diag({
          code: small ? "MLP_TOO_SMALL" : "MLP_TOO_LARGE",
          message: custom ? `${issue.message}.` : `${phrase} ${bound}${what ? ` ${what}` : ""} allowed.`,
          path,
          found,
          allowed: `${strict ? (small ? ">" : "<") : small ? ">=" : "<="} ${bound}${what ? ` ${what}` : ""}`,
          hint: `use a value ${strict ? (small ? "greater than" : "less than") : small ? "of at least" : "of at most"} ${bound}.`,
        }),
      ];
    }
    case "invalid_format":
      return [
        diag({
          code: "MLP_INVALID_FORMAT",
          message: issue.message.startsWith("Invalid") ? `not a valid ${issue.format}.` : `${issue.message}.`,
          path,
          found,
          allowed: issue.format === "regex" ? (issue as { pattern?: string }).pattern : issue.format,
          hint: formatHint(path, issue.input),
        }),
      ];
    case "invalid_key":
      return [diag({ code: "MLP_INVALID_KEY", message: `invalid key: ${issue.issues[0]?.message ?? issue.message}.`, path, found })];
    default:
      return [diag({ code: "MLP_INVALID", message: issue.message, path, found })];
  }
}

function formatHint(path: FieldPath, input: unknown): string | undefined {
  const field = String(path[path.length - 1]);
  // A value from the environment: a suggestion derived from it would show it.
  if (typeof input === "string" && input.includes("${env:")) return undefined;
  if (typeof input === "string" && /[A-Z_ ]/.test(input) && (field === "name" || path.includes("name"))) {
    return `try \`${input.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}\`.`;
  }
  if (field === "accountId") return "quote it so YAML keeps leading zeros: accountId: \"012345678901\".";
  if (field === "version") return "quote the version: version: \"1.33\" (unquoted, YAML reads 1.30 as the number 1.3).";
  return undefined;
}

function typeHint(expected: string, input: unknown): string | undefined {
  if (expected === "string" && typeof input === "number") return "quote the value so YAML reads it as text.";
  if (expected === "number" && typeof input === "string") return "write a number without quotes.";
  if (expected === "boolean") return "write true or false without quotes.";
  if (expected === "array") return "write a YAML list: `- item` lines or [a, b].";
  if (expected === "object") return "write a mapping of `key: value` lines.";
  return undefined;
}

function suggestValue(input: unknown, options: readonly string[]): string | undefined {
  if (typeof input !== "string") return options.length ? `use one of ${options.join(", ")}.` : undefined;
  const guess = closest(input, options);
  return guess ? `did you mean \`${guess}\`?` : `use one of ${options.join(", ")}.`;
}

const article = (t: string) => (t === "object" ? "a mapping" : t === "array" ? "a list" : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${article(typeof v)} (${show(v)})`;
}

/** A value as YAML would write it: strings quoted, `.inf`/`.nan`, mappings and lists in flow form. */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isNaN(v) ? ".nan" : v === Infinity ? ".inf" : v === -Infinity ? "-.inf" : String(v);
  if (v !== null && typeof v === "object") {
    const s = flow(v, 0);
    return s.length > 60 ? s.slice(0, 57) + "…" : s;
  }
  return String(v);
}

function flow(v: unknown, depth: number): string {
  if (v instanceof Uint8Array) return `binary data (${v.length} bytes)`;
  if (v instanceof Date) return v.toISOString();
  if (v === null || typeof v !== "object") return show(v);
  if (depth > 3) return "…";
  if (Array.isArray(v)) return `[${v.slice(0, 10).map((x) => flow(x, depth + 1)).join(", ")}${v.length > 10 ? ", …" : ""}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return "{}";
  return `{ ${entries.slice(0, 10).map(([k, x]) => `${k}: ${flow(x, depth + 1)}`).join(", ")}${entries.length > 10 ? ", …" : ""} }`;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; discriminator?: string };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const def = defOf(cur);
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") && def.innerType) cur = def.innerType;
    else if (def.type === "pipe" && def.in) cur = def.in;
    else return cur;
  }
}

/** Whether the number field at `path` is an integer (`z.number().int()`). */
function isIntegerField(root: z.ZodType, path: FieldPath, data: unknown): boolean {
  const schemas = schemasAt(root, path, data).map(unwrap);
  return schemas.length > 0 && schemas.every((s) => (s as unknown as { isInt?: boolean }).isInt === true);
}

/** The keys the schema allows for the object at `path` (for did-you-mean and "allowed"). */
export function knownKeysAt(root: z.ZodType, path: FieldPath, data: unknown): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(root, path, data).map(unwrap)) {
    const def = defOf(s);
    if (def.type === "object" && def.shape) Object.keys(def.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}

/** The schemas that may apply at `path`, unions expanded by the data's discriminators. */
function schemasAt(root: z.ZodType, path: FieldPath, data: unknown): z.ZodType[] {
  let schemas: z.ZodType[] = [root];
  let value: unknown = data;
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of schemas.map(unwrap)) {
      const def = defOf(s);
      if (def.type === "object" && def.shape && typeof seg === "string" && def.shape[seg]) next.push(def.shape[seg]);
      else if (def.type === "array" && def.element && typeof seg === "number") next.push(def.element);
      else if (def.type === "record" && def.valueType) next.push(def.valueType);
    }
    value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[seg] : undefined;
    schemas = next.flatMap((s) => expandUnion(s, value));
  }
  return schemas.flatMap((x) => expandUnion(x, value));
}

/** For a discriminated union, the option matching the data's discriminator; else every option. */
function expandUnion(s: z.ZodType, value: unknown): z.ZodType[] {
  const u = unwrap(s);
  const def = defOf(u);
  if (def.type !== "union" || !def.options) return [s];
  if (def.discriminator && value && typeof value === "object") {
    const want = (value as Record<string, unknown>)[def.discriminator];
    const hit = def.options.find((o) => {
      const lit = defOf(unwrap(o)).shape?.[def.discriminator!];
      return lit && (defOf(lit) as { values?: unknown[] }).values?.includes(want);
    });
    if (hit) return [hit];
  }
  return def.options;
}
