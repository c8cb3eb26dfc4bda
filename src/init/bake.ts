import { isCollection, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, type Document } from "yaml";

/**
 * Environment overlays applied to a YAML *document* instead of plain values, so comments and
 * layout survive: the same rules as the loader's `mergeOverlay` (src/blueprint/overlay.ts):
 * maps merge key by key; lists of named items merge on `name` (also when the overlay writes
 * them as a mapping keyed by name); other lists and scalars replace; `null` deletes.
 * The init tests check that a baked document resolves to the same model as `--env` on the
 * template, so the two implementations cannot drift apart silently.
 */

const keyOf = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : String(p.key));
const isNull = (n: unknown): boolean => n === null || n === undefined || (isScalar(n) && n.value === null);
const isNamedMap = (n: unknown): n is YAMLMap => isMap(n) && n.items.some((p) => keyOf(p) === "name");
const nameOf = (m: YAMLMap): string => {
  const v = m.get("name", true);
  return isScalar(v) ? String(v.value) : String(v);
};

/** Merges the overlay node `over` into `base` (mutating it where they are both maps or named lists). */
export function mergeNodes(base: unknown, over: unknown): unknown {
  if (isMap(base) && isMap(over)) {
    for (const pair of over.items) {
      const key = keyOf(pair);
      const at = base.items.findIndex((p) => keyOf(p) === key);
      if (isNull(pair.value)) {
        if (at >= 0) base.items.splice(at, 1);
      } else if (at >= 0) {
        const target = base.items[at]!;
        // A comment written above the overlay's key explains the overlay's value: keep it.
        const above = (pair.key as { commentBefore?: string | null } | null)?.commentBefore;
        if (above && target.key && typeof target.key === "object") (target.key as { commentBefore?: string | null }).commentBefore = above;
        target.value = mergeNodes(target.value, pair.value);
      } else {
        base.items.push(pair);
      }
    }
    moveComment(over, base);
    return base;
  }
  if (isSeq(base) && base.items.every(isNamedMap) && (isMap(over) || (isSeq(over) && over.items.every(isNamedMap)))) {
    const items = base.items as YAMLMap[];
    const entries: { name: string; value: YAMLMap | null; before?: string | null }[] = isSeq(over)
      ? (over.items as YAMLMap[]).map((m, i) => ({ name: nameOf(m), value: m, before: i === 0 ? (over.commentBefore ?? m.commentBefore) : m.commentBefore }))
      : over.items.map((p) => ({ name: keyOf(p), value: isNull(p.value) ? null : withName(keyOf(p), p.value), before: (p.key as { commentBefore?: string | null } | null)?.commentBefore }));
    for (const e of entries) {
      const at = items.findIndex((m) => nameOf(m) === e.name);
      if (e.value === null) {
        if (at >= 0) items.splice(at, 1);
      } else if (at >= 0) {
        const before = e.before;
        mergeNodes(items[at], e.value);
        // A comment line above the overlay's item explains the change: put it above the item.
        if (before) items[at]!.commentBefore = items[at]!.commentBefore ? `${items[at]!.commentBefore}\n${before}` : before;
      } else {
        items.push(e.value);
      }
    }
    return base;
  }
  return over;
}

/**
 * After `over` merged into `base`: a trailing comment on the base's flow mapping described the
 * base's values and is dropped; the overlay's own trailing comment (`{ min: 0 }  # why`) moves
 * to the mapping when it is a flow mapping, else to the value of the overlay's last field.
 */
function moveComment(over: YAMLMap, base: YAMLMap): void {
  const why = over.comment;
  if (base.flow) {
    base.comment = why ?? undefined;
    return;
  }
  if (!why) return;
  const last = [...over.items].reverse().find((p) => keyOf(p) !== "name");
  const node = last ? base.items.find((p) => keyOf(p) === keyOf(last))?.value : undefined;
  if (isScalar(node) || isCollection(node)) node.comment = why;
}

/** A mapping-form overlay item (`a100: { max: 1 }`) as a named item (`{ name: a100, max: 1 }`). */
function withName(name: string, value: unknown): YAMLMap {
  const m = new YAMLMap();
  m.flow = isMap(value) ? value.flow : true;
  m.items.push(new Pair(new Scalar("name"), new Scalar(name)));
  if (isMap(value)) m.items.push(...(value.items as Pair[]));
  return m;
}

/** The names of environments whose overlay sets `spec.cloud`: the ones that port the platform. */
export function cloudEnvironments(doc: Document): { name: string; cloud: string }[] {
  const envs = doc.get("environments", true);
  if (!isMap(envs)) return [];
  return envs.items.flatMap((p) => {
    const cloud = isMap(p.value) ? p.value.getIn(["spec", "cloud"]) : undefined;
    return typeof cloud === "string" ? [{ name: keyOf(p), cloud }] : [];
  });
}

/** Applies `environments.<env>` to the base of the document (the environment itself stays). */
export function bakeEnvironment(doc: Document, env: string): void {
  const overlay = doc.getIn(["environments", env], true);
  if (!isMap(overlay)) throw new Error(`no environment ${env} in the document`);
  const root = doc.contents;
  if (!isMap(root)) throw new Error("the document is not a mapping");
  for (const pair of overlay.items) {
    const key = keyOf(pair);
    if (key !== "spec" && key !== "metadata") continue;
    const at = root.items.findIndex((p) => keyOf(p) === key);
    if (at >= 0) root.items[at]!.value = mergeNodes(root.items[at]!.value, pair.value);
  }
}

/** Deletes environments by name, and the `environments` key when none is left. */
export function removeEnvironments(doc: Document, names: readonly string[]): void {
  const envs = doc.get("environments", true);
  if (!isMap(envs)) return;
  envs.items = envs.items.filter((p) => !names.includes(keyOf(p)));
  if (envs.items.length === 0) doc.delete("environments");
}
