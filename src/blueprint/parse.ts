import { LineCounter } from "yaml";
import { capDiagnostics, diag, type Diagnostic, type FieldPath } from "./diagnostics.js";
import { parsePlainYaml } from "./plain-yaml.js";
import { readBlueprintBytes } from "./read-file.js";
import { checkDocument, parseYamlText } from "./yaml-checks.js";
import { locateOffset, treeOf, type YamlTree } from "./yaml-tree.js";

/** A parsed blueprint file: where its nodes start (for locating) and its plain value. */
export interface ParsedFile {
  readonly file: string;
  readonly text: string;
  readonly tree: YamlTree | undefined;
  readonly lineCounter: LineCounter;
  readonly lines: readonly string[];
  readonly value: Record<string, unknown>;
}

/** yaml's guard against billion-laughs alias expansion. */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads and parses one blueprint file. Never throws for the file's content: unreadable, binary,
 * non-UTF-8, empty, invalid YAML, duplicate keys, alias bombs, several documents and non-mapping
 * documents all come back as located diagnostics.
 */
export function parseBlueprintFile(file: string): { parsed?: ParsedFile; diagnostics: Diagnostic[] } {
  const fail = (code: string, message: string, hint: string, at: Partial<Diagnostic> = {}) => ({
    diagnostics: [{ ...diag({ code, message, path: [], hint }), file, ...at }],
  });
  const read = readBlueprintBytes(file);
  if (!read.ok) return fail(read.code, read.message, read.hint);
  const bytes = read.bytes;
  if (bytes.includes(0)) return fail("MLP_FILE_BINARY", "the file is binary (it contains NUL bytes), not YAML.", "pass a blueprint YAML file.");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("MLP_FILE_NOT_UTF8", "the file is not valid UTF-8.", "save the blueprint as UTF-8.");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "" || text.split("\n").every((l) => /^\s*(#.*)?$/.test(l))) {
    return fail("MLP_FILE_EMPTY", "the blueprint is empty.", "start from a reference blueprint: `mlplat init`.", { line: 1, col: 1 });
  }

  const lineCounter = new LineCounter();
  const lines = text.split(/\r?\n/);
  // Plain block YAML, as blueprints are written, takes the fast path; anything else, and
  // anything with a problem to report, is parsed by yaml below (src/blueprint/plain-yaml.ts).
  const plain = parsePlainYaml(text);
  if (plain) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
    return { parsed: { file, text, tree: plain.tree, lineCounter, lines, value: plain.value }, diagnostics: [] };
  }
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, source: lines[line - 1] };
  };
  const parsedText = parseYamlText(text, lineCounter);
  if ("tooDeep" in parsedText) {
    const t = parsedText.tooDeep;
    return { diagnostics: [{ ...diag({ code: t.code, message: t.message, path: [], hint: t.hint }), ...at(t.offset) }] };
  }
  const docs = parsedText.docs;
  if (docs.length === 0) return fail("MLP_YAML_SYNTAX", "the file holds no YAML document.", "write a YAML mapping.");
  if (docs.length > 1) {
    return { diagnostics: [{ ...diag({ code: "MLP_YAML_MULTIPLE_DOCUMENTS", message: `the file holds ${docs.length} YAML documents; a blueprint is one.`, path: [], hint: "remove the `---` separators, or split the platforms into one file each." }), ...at(docs[1]!.range[0]) }] };
  }
  const doc = docs[0]!;
  // One message per position: yaml often reports two symptoms of one mistake at the same place.
  // Tags are reported by checkDocument, which names them.
  const seen = new Set<number>();
  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED")].filter((e) => !seen.has(e.pos[0]) && !!seen.add(e.pos[0]));
  const problems: Diagnostic[] = syntax.map((e) => ({
    ...diag({
      code: "MLP_YAML_SYNTAX",
      severity: doc.errors.includes(e) ? "error" : "warning",
      message: `invalid YAML: ${firstLine(e.message)}`,
      path: [],
      hint: "check indentation, quoting and the `key: value` form near the caret.",
    }),
    ...at(e.pos[0]),
  }));
  for (const f of checkDocument(doc, text)) {
    if (seen.has(f.offset)) continue;
    seen.add(f.offset);
    problems.push({ ...diag({ code: f.code, message: f.message, path: f.path ?? [], hint: f.hint, found: f.found }), ...at(f.offset) });
  }
  if (problems.length > 0) {
    const { kept, summary } = capDiagnostics(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0)));
    return { diagnostics: summary ? [...kept, { ...summary, file }] : kept };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return fail("MLP_YAML_ALIAS_LIMIT", `YAML aliases expand too far (${firstLine(String((e as Error).message))}).`, "blueprints need no more than a few anchors; expand them by hand.", { line: 1, col: 1 });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
    return {
      diagnostics: [{ ...diag({ code: "MLP_NOT_A_MAPPING", message: `the document is ${kind}; a blueprint is a mapping with apiVersion, kind, metadata and spec.`, path: [], found: kind, allowed: "a mapping", hint: "start from a reference blueprint: `mlplat init`." }), ...at(doc.contents?.range?.[0] ?? 0) }],
    };
  }
  return { parsed: { file, text, tree: treeOf(doc.contents), lineCounter, lines, value: value as Record<string, unknown> }, diagnostics: [] };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

/**
 * Where a path is in the file: the value node's start, or with `key: true` the key of the last
 * segment (for unknown keys). A missing path walks up to the nearest existing ancestor.
 */
export function locate(parsed: ParsedFile, path: FieldPath, opts: { key?: boolean } = {}): { line: number; col: number; source: string } | undefined {
  const offset = locateOffset(parsed.tree, path, opts);
  if (offset === undefined) return undefined;
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, col, source: parsed.lines[line - 1] ?? "" };
}
