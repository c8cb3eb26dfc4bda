import { diag, type Diagnostic, type FieldPath } from "./diagnostics.js";

/**
 * Environment overlays: `environments.<name>` deep-merged over the base.
 *  - maps merge key by key;
 *  - lists of objects with a `name` merge item by item on `name` (new names are appended);
 *    an overlay may also write such a list as a mapping keyed by name;
 *  - other lists and scalars replace;
 *  - `null` deletes a key, or a named item.
 * An overlay item of a named list that is not a mapping, a name given twice in one overlay list,
 * and a `name` that differs from the key of the mapping form (a rename) are errors at the
 * overlay's line. Results are null-prototype objects.
 * Every node of the result remembers where it came from (`Origins`), so a problem found in the
 * merged document is reported at the line the user wrote: in the base or in the overlay.
 */
export class Origins {
  private readonly map = new Map<string, FieldPath>();

  set(merged: FieldPath, source: FieldPath): void {
    this.map.set(JSON.stringify(merged), source);
  }

  /** The source path of a merged path; the nearest recorded ancestor plus the rest of the path. */
  sourceOf(merged: FieldPath): FieldPath {
    for (let n = merged.length; n >= 0; n--) {
      const hit = this.map.get(JSON.stringify(merged.slice(0, n)));
      if (hit) return [...hit, ...merged.slice(n)];
    }
    return merged;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const isNamed = (v: unknown): v is Obj & { name: unknown } => isObj(v) && "name" in v;

/** Identity origins for a document without an overlay. */
export function recordOrigins(value: unknown, origins: Origins, path: FieldPath = []): void {
  origins.set(path, path);
  if (Array.isArray(value)) value.forEach((v, i) => recordOrigins(v, origins, [...path, i]));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) recordOrigins(v, origins, [...path, k]);
}

function record(value: unknown, src: FieldPath, out: FieldPath, origins: Origins): void {
  origins.set(out, src);
  if (Array.isArray(value)) value.forEach((v, i) => record(v, [...src, i], [...out, i], origins));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) record(v, [...src, k], [...out, k], origins);
}

/**
 * Merges `over` (found at `overPath` in the file) over `base` (at `basePath`), writing the
 * result's origins under `out`.
 */
export function mergeOverlay(
  base: unknown,
  basePath: FieldPath,
  over: unknown,
  overPath: FieldPath,
  out: FieldPath,
  origins: Origins,
  problems: Diagnostic[] = [],
): unknown {
  if (over === undefined) {
    record(base, basePath, out, origins);
    return base;
  }
  if (isObj(base) && isObj(over)) {
    origins.set(out, basePath);
    const result: Obj = Object.create(null);
    for (const key of new Set([...Object.keys(base), ...Object.keys(over)])) {
      if (over[key] === null) continue;
      if (!Object.hasOwn(base, key)) {
        record(over[key], [...overPath, key], [...out, key], origins);
        result[key] = over[key];
      } else {
        result[key] = mergeOverlay(base[key], [...basePath, key], over[key], [...overPath, key], [...out, key], origins, problems);
      }
    }
    return result;
  }
  if (Array.isArray(base) && base.every(isNamed) && (isObj(over) || (Array.isArray(over) && over.every(isNamed)))) {
    return mergeNamedList(base, basePath, over, overPath, out, origins, problems);
  }
  record(over, overPath, out, origins);
  return over;
}

function mergeNamedList(base: Obj[], basePath: FieldPath, over: Obj | Obj[], overPath: FieldPath, out: FieldPath, origins: Origins, problems: Diagnostic[]): unknown[] {
  origins.set(out, basePath);
  // Overlay entries by name, with their own source paths; a mapping form is keyed by name.
  const entries: { name: string; value: Obj | null; src: FieldPath }[] = [];
  const seen = new Set<string>();
  const list = Array.isArray(over) ? over.map((v, i) => [String(v.name), v, i] as const) : Object.entries(over).map(([name, v]) => [name, v, name] as const);
  for (const [name, v, at] of list) {
    const src = [...overPath, at];
    if (v !== null && !isObj(v)) {
      problems.push(diag({ code: "MLP_OVERLAY_ITEM_NOT_MAPPING", message: `the overlay item \`${name}\` is ${describe(v)}; an item of a named list is a mapping of its fields, or null to delete it.`, path: src, found: JSON.stringify(v), allowed: "a mapping, or null", hint: `write \`${name}: { field: value }\` with the fields to change, or \`${name}: null\` to remove the item.` }));
      continue;
    }
    if (v !== null && !Array.isArray(over) && Object.hasOwn(v, "name") && String(v.name) !== name) {
      problems.push(diag({ code: "MLP_OVERLAY_RENAME", message: `the overlay item keyed \`${name}\` sets name \`${String(v.name)}\`; an overlay can't rename an item.`, path: [...src, "name"], found: String(v.name), allowed: name, hint: `delete \`${name}\` (\`${name}: null\`) and add \`${String(v.name)}\` as a new item, or drop the name field.` }));
      continue;
    }
    if (seen.has(name)) {
      problems.push(diag({ code: "MLP_OVERLAY_DUPLICATE_NAME", message: `the overlay names \`${name}\` twice in one list; the items would overwrite each other.`, path: [...src, "name"], found: name, hint: "merge the two items into one." }));
      continue;
    }
    seen.add(name);
    entries.push({ name, value: v === null ? null : Array.isArray(over) ? v : (Object.assign(Object.create(null), { name }, v) as Obj), src });
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const result: unknown[] = [];
  base.forEach((item, i) => {
    const e = byName.get(String(item.name));
    if (e?.value === null) return;
    const at = [...out, result.length];
    result.push(e ? mergeOverlay(item, [...basePath, i], e.value, e.src, at, origins, problems) : (record(item, [...basePath, i], at, origins), item));
  });
  const baseNames = new Set(base.map((b) => String(b.name)));
  for (const e of entries) {
    if (baseNames.has(e.name) || e.value === null) continue;
    record(e.value, e.src, [...out, result.length], origins);
    result.push(e.value);
  }
  return result;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  return typeof v === "string" ? "a string" : typeof v === "number" ? "a number" : typeof v === "boolean" ? "a boolean" : `a ${typeof v}`;
}
