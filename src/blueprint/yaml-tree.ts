import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { FieldPath } from "./diagnostics.js";

/**
 * Where each node of a parsed YAML document starts: all that locating a field needs. Built from
 * yaml's Document (src/blueprint/parse.ts) or directly by the fast path for plain blueprints
 * (src/blueprint/plain-yaml.ts), which test/blueprint/plain-yaml.test.ts holds to the same tree.
 * Offsets are yaml's `range[0]`: a mapping starts at its first key (or its `{`), a sequence at
 * its first `-` (or its `[`), an empty value right after its indicator and the spaces after it.
 */
export type YamlTree = TreeScalar | TreeMap | TreeSeq;

export interface TreeScalar {
  readonly kind: "scalar";
  readonly start: number;
}

export interface TreeMap {
  readonly kind: "map";
  readonly start: number;
  /** The keys as `String(key.value)`; undefined for a key that is not a scalar. */
  readonly keys: (string | undefined)[];
  readonly keyStarts: number[];
  /** undefined where yaml has no value node (a `? key` with no value). */
  readonly values: (YamlTree | undefined)[];
}

export interface TreeSeq {
  readonly kind: "seq";
  readonly start: number;
  readonly items: (YamlTree | undefined)[];
}

/** The tree of a yaml node (its contents' starts), or undefined for no node or an alias. */
export function treeOf(node: Node | null | undefined): YamlTree | undefined {
  if (!node) return undefined;
  const start = node.range?.[0] ?? 0;
  if (isMap(node)) {
    const keys: (string | undefined)[] = [];
    const keyStarts: number[] = [];
    const values: (YamlTree | undefined)[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      keys.push(isScalar(key) ? String(key.value) : undefined);
      keyStarts.push(key?.range?.[0] ?? start);
      values.push(treeOf(pair.value as Node | null));
    }
    return { kind: "map", start, keys, keyStarts, values };
  }
  if (isSeq(node)) return { kind: "seq", start, items: node.items.map((i) => treeOf(i as Node | null)) };
  if (isScalar(node)) return { kind: "scalar", start };
  return undefined;
}

/**
 * The offset a path is reported at: the value node's start, or with `key: true` the key of the
 * last segment (for unknown keys). A missing path walks up to the nearest existing ancestor: a
 * missing field is reported at its parent's key; a whole section (mapping or list) at its own key.
 */
export function locateOffset(tree: YamlTree | undefined, path: FieldPath, opts: { key?: boolean } = {}): number | undefined {
  let node = tree;
  let best = node?.start;
  // The key of the deepest pair found: a missing field is reported at its parent's key.
  let lastKey: number | undefined;
  let complete = true;
  let keyIsLast = false;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (node?.kind === "map") {
      const at = node.keys.indexOf(String(seg));
      if (at < 0) {
        complete = false;
        break;
      }
      const keyStart = node.keyStarts[at]!;
      lastKey = keyStart;
      keyIsLast = last;
      if (last && opts.key) {
        best = keyStart;
        break;
      }
      node = node.values[at];
      best = node?.start ?? keyStart;
    } else if (node?.kind === "seq" && typeof seg === "number") {
      const item = node.items[seg];
      if (!item) {
        complete = false;
        break;
      }
      node = item;
      best = item.start;
    } else {
      complete = false;
      break;
    }
  }
  if (lastKey !== undefined && (!complete || (keyIsLast && (node?.kind === "map" || node?.kind === "seq")))) best = lastKey;
  return best;
}
