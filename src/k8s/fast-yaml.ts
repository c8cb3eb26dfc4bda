import { boundedMemo } from "../util/bounded-memo.js";

/**
 * A fast path for `yaml.stringify(object, { sortMapEntries: true, lineWidth: 0,
 * aliasDuplicateObjects: false })` on the plain data a manifest is made of. yaml builds a
 * Document of nodes and then renders it; for the hundreds of Deployments, Services and HPAs of a
 * large platform that was the largest cost of synth that was mlplat's own (issue 19: ~130 ms of
 * a 300-item synth, node --cpu-prof).
 *
 * It renders only what it can render exactly as yaml 2.x does: plain objects and arrays, finite
 * numbers, booleans, null, and strings that yaml writes plain or as a simple double-quoted
 * scalar. Anything else (a string needing escapes, a block scalar or single quotes, a key that
 * needs quoting, an array directly inside an array, a non-plain object) returns undefined, and
 * the caller uses yaml itself. test/k8s/fast-yaml.test.ts checks it against yaml on every
 * reference blueprint's manifests and on a corpus of awkward strings.
 */

/** Plain scalars yaml's 1.2 core schema would read back as something other than a string. */
const CORE_NON_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * Strings yaml writes plain in block context: a first character that is no indicator, then
 * word characters, `./@=+,()-`, single spaces, and colons not followed by a space; no trailing
 * space or colon. (A conservative subset of YAML's plain scalars.)
 */
const PLAIN = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./@=+,()-]| (?=[^ ])|:(?=[^ ]))*$/;

/**
 * Values may also start with `-` or `.` followed by another such character (`--v=4`,
 * `./cluster-autoscaler`): yaml writes them plain too, unless they read back as a number
 * (CORE_NON_STRING: `-1`, `.5`, `-.inf`) or start with a document marker (`---`, `...`), which
 * yaml treats specially. Keys keep the stricter PLAIN.
 */
const PLAIN_VALUE = /^(?!---|\.\.\.)(?:[A-Za-z0-9_/]|[-.](?=[A-Za-z0-9_/=.-]))(?:[A-Za-z0-9_./@=+,()-]| (?=[^ ])|:(?=[^ ]))*$/;

/** Strings yaml writes as `"…"` with nothing to escape. */
const SIMPLE_QUOTED = /^[A-Za-z0-9_./@=+,() :-]*$/;

/** Manifests repeat the same keys and many values hundreds of times: each is classified once. */
const plainKey = boundedMemo((k) => PLAIN.test(k) && !CORE_NON_STRING.test(k));
const stringScalar = boundedMemo(classifyString);

/** The scalar as yaml writes it, or undefined when it is not certain to match. */
function scalar(v: unknown): string | undefined {
  return typeof v === "string" ? stringScalar(v) : nonStringScalar(v);
}

function classifyString(v: string): string | undefined {
  if (PLAIN_VALUE.test(v)) return CORE_NON_STRING.test(v) ? (SIMPLE_QUOTED.test(v) ? `"${v}"` : undefined) : v;
  if (v === "" || (SIMPLE_QUOTED.test(v) && CORE_NON_STRING.test(v))) return `"${v}"`;
  return undefined;
}

function nonStringScalar(v: unknown): string | undefined {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : undefined; // yaml writes -0
    case "boolean":
      return v ? "true" : "false";
    default:
      return v === null ? "null" : undefined;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Thrown inside the walk when a value is outside what this renders exactly. */
const UNSUPPORTED = Symbol("unsupported");

/** `key: value` lines of a map at `indent`, keys sorted as yaml's sortMapEntries sorts them. */
function map(obj: Record<string, unknown>, indent: string, out: string[]): void {
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined) // yaml drops undefined values (keepUndefined: false)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const k of keys) {
    if (!plainKey(k)) throw UNSUPPORTED;
    const v = obj[k];
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${indent}${k}: []`);
      else {
        out.push(`${indent}${k}:`);
        seq(v, `${indent}  `, out);
      }
    } else if (isPlainObject(v)) {
      if (Object.keys(v).every((x) => v[x] === undefined)) out.push(`${indent}${k}: {}`);
      else {
        out.push(`${indent}${k}:`);
        map(v, `${indent}  `, out);
      }
    } else {
      const s = scalar(v);
      if (s === undefined) throw UNSUPPORTED;
      out.push(`${indent}${k}: ${s}`);
    }
  }
}

/** `- item` lines of a sequence at `indent` (yaml's default indentSeq: items indented under their key). */
function seq(items: readonly unknown[], indent: string, out: string[]): void {
  for (const v of items) {
    if (isPlainObject(v)) {
      if (Object.keys(v).every((x) => v[x] === undefined)) {
        out.push(`${indent}- {}`);
        continue;
      }
      const first = out.length;
      map(v, `${indent}  `, out);
      out[first] = `${indent}- ${out[first]!.slice(indent.length + 2)}`;
    } else {
      const s = Array.isArray(v) ? undefined : scalar(v);
      if (s === undefined) throw UNSUPPORTED;
      out.push(`${indent}- ${s}`);
    }
  }
}

/**
 * The object as yaml.stringify renders it with `sortMapEntries: true, lineWidth: 0,
 * aliasDuplicateObjects: false`, without the final newline; undefined when the object holds
 * something this does not render exactly (use yaml then).
 */
export function fastManifestYaml(obj: Record<string, unknown>): string | undefined {
  if (!isPlainObject(obj)) return undefined;
  const out: string[] = [];
  try {
    map(obj, "", out);
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
  return out.length === 0 ? undefined : out.join("\n");
}
