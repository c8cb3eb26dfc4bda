import { FORBIDDEN_KEYS } from "./yaml-checks.js";
import type { TreeMap, TreeSeq, YamlTree } from "./yaml-tree.js";

/**
 * The fast path of blueprint parsing: one pass over the lines of a blueprint written in plain
 * block YAML, the form every reference blueprint and `mlplat init` use, giving the same value as
 * yaml's `parseDocument(...).toJS()` and the same tree as `treeOf(doc.contents)`. yaml's lexer,
 * parser and composer cost ~40 ms on a 300-item blueprint in a one-shot process (their code runs
 * cold); this costs ~3 ms.
 *
 * It is only ever a shortcut: it gives up (undefined) on anything outside the subset and on
 * anything yaml or checkDocument would report, and the caller then parses with yaml as before,
 * which reports exactly what it always did. The subset:
 *  - keys and values in printable ASCII (comments may hold any character but a control one; no
 *    tab or CR anywhere);
 *  - one document, no `---`, `...` or `%` directive lines;
 *  - block mappings with keys `[A-Za-z_][A-Za-z0-9_./-]*` (not a null or boolean word, not
 *    `__proto__`/`constructor`/`prototype`, no key twice) and block sequences (`- `), including
 *    a sequence at its key's indentation and a mapping started on a `- ` line;
 *  - one-line scalars: plain (resolved by the YAML 1.2 core schema, as yaml does), single-quoted
 *    and double-quoted without escapes; one-line flow mappings and sequences of those;
 *  - comments after whitespace, and blank lines; no key more than 1000 characters past what
 *    precedes it.
 * No anchors, aliases, tags, block scalars (`|`, `>`), multi-line scalars or flows, complex keys.
 * test/blueprint/plain-yaml.test.ts holds it to yaml on every YAML file in the repository and
 * on thousands of mutated and generated documents.
 */
export interface PlainYaml {
  readonly value: Record<string, unknown>;
  readonly tree: YamlTree;
}

/** Deeper nesting than this is left to yaml's parser and its depth check. */
const MAX_NESTING = 40;

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*/;
const NOT_A_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Control characters (tab and CR too) anywhere; a comment may hold any other character. */
// eslint-disable-next-line no-control-regex
const OUTSIDE_SUBSET = /[\x00-\x09\x0b-\x1f\x7f]/;
/** What a key or value may hold: printable ASCII. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

class GiveUp {}
const GIVE_UP = new GiveUp();

interface Line {
  indent: number;
  /** Offset of the first character after the indentation. */
  start: number;
  /** Offset of the line's end (its `\n`, or the text's end). */
  readonly end: number;
  /** Where the previous line holding anything (a comment too) ends: yaml measures keys from there. */
  readonly after: number;
}

/**
 * YAML limits an implicit key to 1024 characters, and yaml counts them from the end of what
 * precedes the key (blank lines and indentation after an empty value included): anything near the
 * limit is left to yaml, which reports it (KEY_OVER_1024_CHARS).
 */
const KEY_REACH = 1000;

export function parsePlainYaml(text: string): PlainYaml | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    return new PlainParser(text).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class PlainParser {
  private readonly lines: Line[] = [];
  private li = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    let pos = 0;
    let after = 0;
    while (pos <= text.length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length;
      let i = pos;
      while (i < end && text.charCodeAt(i) === 32) i++;
      if (i - pos === 0 && (text.startsWith("---", pos) || text.startsWith("...", pos) || text.startsWith("%", pos))) giveUp();
      // Blank and comment-only lines say nothing about structure.
      if (i < end && text.charCodeAt(i) !== 35) this.lines.push({ indent: i - pos, start: i, end, after });
      if (i < end) after = end;
      pos = end + 1;
    }
  }

  document(): PlainYaml {
    const first = this.lines[0];
    if (!first || this.isSeqItem(first)) giveUp();
    const [value, tree] = this.map(first.indent);
    if (this.li !== this.lines.length) giveUp();
    return { value: value as Record<string, unknown>, tree };
  }

  private isSeqItem(line: Line): boolean {
    const c = this.text.charCodeAt(line.start + 1);
    return this.text.charCodeAt(line.start) === 45 && (line.start + 1 === line.end || c === 32);
  }

  /** A block node whose first line is the current one, more indented than its parent. */
  private block(): [unknown, YamlTree] {
    const line = this.lines[this.li]!;
    return this.isSeqItem(line) ? this.seq(line.indent) : this.map(line.indent);
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) giveUp();
  }

  private map(indent: number): [Record<string, unknown>, TreeMap] {
    this.enter();
    const value: Record<string, unknown> = {};
    const tree: TreeMap = { kind: "map", start: this.lines[this.li]!.start, keys: [], keyStarts: [], values: [] };
    while (this.li < this.lines.length) {
      const line = this.lines[this.li]!;
      if (line.indent < indent) break;
      if (line.indent > indent || this.isSeqItem(line)) giveUp();
      const key = this.key(line.start, line.end);
      if (Object.prototype.hasOwnProperty.call(value, key) || line.start + key.length - line.after > KEY_REACH) giveUp();
      // After `key:`, the spaces, then the value or a comment or the line's end.
      const after = this.skipSpaces(line.start + key.length + 1, line.end);
      let entry: [unknown, YamlTree];
      if (after === line.end || this.text.charCodeAt(after) === 35) {
        this.li++;
        const next = this.lines[this.li];
        if (next && next.indent > indent) entry = this.block();
        else if (next && next.indent === indent && this.isSeqItem(next)) entry = this.seq(indent);
        else entry = [null, { kind: "scalar", start: after }];
      } else {
        entry = this.inline(after, line.end);
        this.li++;
      }
      value[key] = entry[0];
      tree.keys.push(key);
      tree.keyStarts.push(line.start);
      tree.values.push(entry[1]);
    }
    this.depth--;
    return [value, tree];
  }

  private seq(indent: number): [unknown[], TreeSeq] {
    this.enter();
    const value: unknown[] = [];
    const tree: TreeSeq = { kind: "seq", start: this.lines[this.li]!.start, items: [] };
    while (this.li < this.lines.length) {
      const line = this.lines[this.li]!;
      if (line.indent < indent || (line.indent === indent && !this.isSeqItem(line))) break;
      if (line.indent > indent) giveUp();
      const after = this.skipSpaces(line.start + 1, line.end);
      let item: [unknown, YamlTree];
      if (after === line.end || this.text.charCodeAt(after) === 35) {
        this.li++;
        const next = this.lines[this.li];
        item = next && next.indent > indent ? this.block() : [null, { kind: "scalar", start: after }];
      } else if (this.keyAt(after, line.end) !== undefined) {
        // `- key: value`: a mapping at the key's column, its later keys on the lines below.
        line.indent = after - (line.start - line.indent);
        line.start = after;
        item = this.map(line.indent);
      } else {
        if (this.text.charCodeAt(after) === 45 && (after + 1 === line.end || this.text.charCodeAt(after + 1) === 32)) giveUp();
        item = this.inline(after, line.end);
        this.li++;
      }
      value.push(item[0]);
      tree.items.push(item[1]);
    }
    this.depth--;
    return [value, tree];
  }

  private skipSpaces(pos: number, end: number): number {
    while (pos < end && this.text.charCodeAt(pos) === 32) pos++;
    return pos;
  }

  /** The key written at `pos` when `:` and a space or the line's end follow it, else undefined. */
  private keyAt(pos: number, end: number): string | undefined {
    const m = KEY.exec(this.text.slice(pos, Math.min(end, pos + 256)));
    if (!m) return undefined;
    const colon = pos + m[0].length;
    return this.text.charCodeAt(colon) === 58 && (colon + 1 === end || this.text.charCodeAt(colon + 1) === 32) ? m[0] : undefined;
  }

  /** The key at `pos` (see keyAt), one the subset reads as a string key. */
  private key(pos: number, end: number): string {
    const key = this.keyAt(pos, end);
    if (key === undefined || NOT_A_STRING_KEY.test(key) || FORBIDDEN_KEYS.has(key)) giveUp();
    return key;
  }

  /** A value written on its line after `key: ` or `- `: nothing but a comment may follow it. */
  private inline(pos: number, end: number): [unknown, YamlTree] {
    const c = this.text[pos]!;
    let r: [unknown, YamlTree, number];
    if (c === "{" || c === "[") r = this.flow(pos, end);
    else if (c === '"' || c === "'") r = this.quoted(pos, end);
    else {
      // Searched within the line only: the text's other lines would make this quadratic.
      const rest = this.text.slice(pos, end);
      const comment = rest.indexOf(" #");
      const raw = trimSpaces(comment < 0 ? rest : rest.slice(0, comment));
      return [plainScalar(raw, false), { kind: "scalar", start: pos }];
    }
    const rest = this.skipSpaces(r[2], end);
    if (rest !== end && (this.text.charCodeAt(rest) !== 35 || rest === r[2])) giveUp();
    return [r[0], r[1]];
  }

  /** A quoted scalar closed on its line: [value, tree, offset after the closing quote]. */
  private quoted(pos: number, end: number): [string, YamlTree, number] {
    const q = this.text[pos]!;
    let out = "";
    let i = pos + 1;
    for (;;) {
      const found = this.text.slice(i, end).indexOf(q);
      if (found < 0) giveUp();
      const close = i + found;
      const part = this.text.slice(i, close);
      if ((q === '"' && part.includes("\\")) || NOT_PRINTABLE_ASCII.test(part)) giveUp();
      out += part;
      if (q === "'" && this.text[close + 1] === "'") {
        out += "'";
        i = close + 2;
        continue;
      }
      return [out, { kind: "scalar", start: pos }, close + 1];
    }
  }

  /** A flow mapping or sequence closed on its line: [value, tree, offset after it]. */
  private flow(pos: number, end: number): [unknown, YamlTree, number] {
    this.enter();
    const isMap = this.text[pos] === "{";
    const close = isMap ? "}" : "]";
    // The end of the `{` or `,` before the current entry.
    let tokenEnd = pos + 1;
    let i = this.skipSpaces(tokenEnd, end);
    const mapValue: Record<string, unknown> = {};
    const seqValue: unknown[] = [];
    const tree: YamlTree = isMap ? { kind: "map", start: pos, keys: [], keyStarts: [], values: [] } : { kind: "seq", start: pos, items: [] };
    if (this.text[i] === close) {
      this.depth--;
      return [isMap ? mapValue : seqValue, tree, i + 1];
    }
    for (;;) {
      let key: string | undefined;
      if (tree.kind === "map") {
        key = this.key(i, end);
        if (Object.prototype.hasOwnProperty.call(mapValue, key) || i + key.length - tokenEnd > KEY_REACH) giveUp();
        tree.keys.push(key);
        tree.keyStarts.push(i);
        i = this.skipSpaces(i + key.length + 1, end);
      }
      const [v, t, after] = this.flowValue(i, end);
      if (tree.kind === "map") {
        mapValue[key!] = v;
        tree.values.push(t);
      } else {
        seqValue.push(v);
        tree.items.push(t);
      }
      i = this.skipSpaces(after, end);
      const c = this.text[i];
      if (c === close) {
        this.depth--;
        return [isMap ? mapValue : seqValue, tree, i + 1];
      }
      if (c !== ",") giveUp();
      tokenEnd = i + 1;
      i = this.skipSpaces(tokenEnd, end);
      // A trailing comma, or a comma before nothing, is left to yaml.
      if (i >= end || this.text[i] === close || this.text[i] === ",") giveUp();
    }
  }

  private flowValue(pos: number, end: number): [unknown, YamlTree, number] {
    if (pos >= end) giveUp();
    const c = this.text[pos]!;
    if (c === "{" || c === "[") return this.flow(pos, end);
    if (c === '"' || c === "'") return this.quoted(pos, end);
    let i = pos;
    while (i < end) {
      const ch = this.text[i]!;
      if (ch === "," || ch === "}" || ch === "]") break;
      i++;
    }
    const raw = trimSpaces(this.text.slice(pos, i));
    return [plainScalar(raw, true), { kind: "scalar", start: pos }, i];
  }
}

/** Trailing spaces off (not String#trimEnd, which also takes U+2028, U+00A0 and U+FEFF). */
function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(0, end);
}

/** Characters a plain scalar may not start with (YAML 1.2 indicators), where `-?:` are followed by a space or nothing. */
const INDICATOR_START = /^(?:[&*!|>'"%@`#,[\]{}]|[-?:](?: |$))/;

/**
 * A one-line plain scalar's value, as yaml's core schema resolves it (yaml/dist/schema/core:
 * null, bool, int in base 8, 10 and 16, float with .inf/.nan and exponents), else the string.
 * Anything a plain scalar cannot be on one line (a `: ` or ` #` inside, an indicator first, an
 * empty value) gives up.
 */
function plainScalar(raw: string, inFlow: boolean): unknown {
  if (raw === "" || NOT_PRINTABLE_ASCII.test(raw) || INDICATOR_START.test(raw) || raw.includes(": ") || raw.endsWith(":") || raw.includes(" #")) giveUp();
  if (inFlow && /[#[\]{}]|:(?:[ [{]|$)/.test(raw)) giveUp();
  const c = raw.charCodeAt(0);
  // Only words starting like a number, a null or a boolean can resolve to anything but a string.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return raw;
  if (/^(?:~|[Nn]ull|NULL)$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === "t" || raw[0] === "T";
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) return raw.slice(-3).toLowerCase() === "nan" ? NaN : raw[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}
