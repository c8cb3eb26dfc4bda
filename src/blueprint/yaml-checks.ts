import { Composer, Lexer, Parser, isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { FieldPath } from "./diagnostics.js";
import { findUnsafe } from "./unsafe-text.js";

/**
 * The YAML layer's own limits, checked in linear time before anything recursive runs:
 *  - nesting depth, while lexing, before yaml's recursive composer sees the tokens;
 *  - duplicate keys with one Set per mapping (yaml's `uniqueKeys` compares every pair: quadratic);
 *  - only YAML 1.2 core tags (no `!!binary`, `!!set`, `!!timestamp`, `!foo`, `!!js/function`);
 *  - scalar keys only, no `<<` merge keys, no `__proto__` / `constructor` / `prototype`;
 *  - no control or bidirectional-control characters in keys or string values.
 */

/** Deepest nesting of collections a blueprint may use; the reference blueprints use at most 8. */
export const MAX_DEPTH = 64;

/** Options for yaml: the 1.2 core schema only, with no tag yaml would resolve beyond it. */
const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, schema: "core", merge: false, resolveKnownTags: false } as const;

/** Keys that would reach an object's prototype when a merged document is indexed. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Tags a blueprint may write explicitly: the YAML 1.2 core schema's, and `!` (non-specific). */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`).concat("!"));

export interface YamlFinding {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  /** Offset in the text. */
  readonly offset: number;
  readonly found?: string;
  /** The field, where the walk knows it. */
  readonly path?: FieldPath;
}

/**
 * parseAllDocuments, fed lexeme by lexeme (the pattern yaml's Parser documents), stopping as soon
 * as the parser's open collections exceed MAX_DEPTH: 1,000,000 `[` are refused after 66 tokens
 * instead of overflowing the composer's stack.
 */
export function parseYamlText(text: string, lineCounter: LineCounter): { docs: Document.Parsed[] } | { tooDeep: YamlFinding } {
  const parser = new Parser(lineCounter.addNewLine);
  let tooDeep: YamlFinding | undefined;
  function* tokens() {
    lineCounter.addNewLine(0);
    for (const lexeme of new Lexer().lex(text)) {
      yield* parser.next(lexeme);
      // The stack holds the document, the open collections and the token being built.
      if (parser.stack.length > MAX_DEPTH + 2) {
        tooDeep = {
          code: "MLP_YAML_TOO_DEEP",
          message: `the YAML nests more than ${MAX_DEPTH} levels deep; a blueprint needs about 8.`,
          hint: "look for unclosed `[` or `{`, or a runaway chain of `- ` or `? ` indicators, near the caret.",
          offset: Math.min(parser.offset, text.length),
        };
        return;
      }
    }
    yield* parser.end();
  }
  const docs = Array.from(new Composer(YAML_OPTIONS).compose(tokens()));
  if (tooDeep) return { tooDeep };
  return { docs: docs as Document.Parsed[] };
}

/** `!!binary` for yaml's `tag:yaml.org,2002:binary`; local tags as written. */
function tagAsWritten(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag.startsWith("!") ? tag : `!<${tag}>`;
}

/** Walks the whole document once, iteratively (no recursion, whatever the depth). */
export function checkDocument(doc: Document.Parsed, text: string): YamlFinding[] {
  const out: YamlFinding[] = [];
  const stack: [Node | null | undefined, FieldPath][] = [[doc.contents as Node | null, []]];
  const start = (n: Node | null | undefined, fallback = 0) => n?.range?.[0] ?? fallback;
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (!node || isAlias(node)) continue;
    if (node.tag && !CORE_TAGS.has(node.tag)) {
      const tag = tagAsWritten(node.tag);
      out.push({
        code: "MLP_YAML_TAG",
        message: `the YAML tag \`${tag}\` is not allowed; a blueprint uses plain YAML 1.2 values.`,
        hint: `remove \`${tag}\` and write the value as a plain string, number, list or mapping.`,
        offset: tagOffset(text, node),
        found: tag,
        path,
      });
    }
    if (isScalar(node)) {
      if (typeof node.value === "string") unsafeText(node.value, start(node), "a string", path, out);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (key && !isScalar(key)) {
          stack.push([pair.value as Node | null, path]);
          out.push({ code: "MLP_YAML_COMPLEX_KEY", message: "a mapping key must be a plain string, not a list, mapping or alias.", hint: "write the key as text: `name: value`.", offset: start(key, start(node)), path });
          continue;
        }
        const name = key === null || key.value === null ? "" : String(key.value);
        const at = start(key, start(node));
        const here = [...path, name];
        stack.push([pair.value as Node | null, here]);
        if (key?.tag && !CORE_TAGS.has(key.tag)) stack.push([key, here]);
        if (seen.has(name)) {
          out.push({ code: "MLP_YAML_DUPLICATE_KEY", message: "a key appears twice in the same mapping; YAML keeps only one, so this is an error.", hint: "remove or rename one of the two keys.", offset: at, path: here });
        }
        seen.add(name);
        if (FORBIDDEN_KEYS.has(name)) {
          out.push({ code: "MLP_FORBIDDEN_KEY", message: `\`${name}\` can't be a key: it names a property of every JavaScript object, so it could reach past the schema.`, hint: `remove \`${name}\`; no blueprint field or name uses it.`, offset: at, found: name, path: here });
        } else if (name === "<<" && key?.type === "PLAIN") {
          out.push({ code: "MLP_YAML_MERGE_KEY", message: "YAML merge keys (`<<`) are not supported: blueprints use YAML 1.2, where `<<` is an ordinary key.", hint: "write the keys out, or use an environment overlay to share settings.", offset: at, path: here });
        } else unsafeText(name, at, "a key", here, out);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i] as Node | null, [...path, i]]);
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function unsafeText(s: string, offset: number, what: string, path: FieldPath, out: YamlFinding[]): void {
  const bad = findUnsafe(s);
  if (!bad) return;
  out.push({
    code: "MLP_CONTROL_CHARACTER",
    message: `${what} holds ${bad.description} at character ${bad.index + 1}; blueprint text may not hold control or bidirectional-control characters.`,
    hint: "remove it: such characters hide or reorder text in terminals and reviews, and no cloud name, tag or label accepts them.",
    offset,
    path,
  });
}

/** Where the tag is written (`!!binary` before the value, on the same line), else the value's start. */
function tagOffset(text: string, node: Node): number {
  const s = node.range?.[0] ?? 0;
  let bang = text.lastIndexOf("!", s);
  while (bang > 0 && text[bang - 1] === "!") bang--;
  return bang >= 0 && s - bang < 200 && !/[\r\n]/.test(text.slice(bang, s)) ? bang : s;
}
