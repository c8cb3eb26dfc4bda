import { blueprintJsonSchema } from "../../src/blueprint/json-schema.js";

/**
 * Every string-valued field of the blueprint's JSON Schema, as a path pattern: `.` between keys,
 * `[]` for "each item of a list", `*` for "any key of a map" (its value), `*key` for the key
 * itself. Derived from the schema at test time, so a field added to the schema is fed payloads
 * without anyone remembering to list it.
 */
export function stringFieldPatterns(): string[] {
  const schema = blueprintJsonSchema() as JsonSchema;
  const defs = (schema.definitions ?? schema.$defs ?? {}) as Record<string, JsonSchema>;
  const out = new Set<string>();
  const walk = (node: JsonSchema | undefined, path: string, depth: number): void => {
    if (!node || depth > 14) return;
    if (node.$ref) return walk(defs[node.$ref.replace(/^#\/(definitions|\$defs)\//, "")], path, depth + 1);
    for (const k of ["anyOf", "oneOf", "allOf"] as const) node[k]?.forEach((n) => walk(n, path, depth + 1));
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes("string") && !node.const) out.add(path);
    if (node.properties) for (const [k, v] of Object.entries(node.properties)) walk(v, `${path}.${k}`, depth + 1);
    if (node.additionalProperties && typeof node.additionalProperties === "object") {
      out.add(`${path}.*key`);
      walk(node.additionalProperties, `${path}.*`, depth + 1);
    }
    if (node.items && !Array.isArray(node.items)) walk(node.items, `${path}[]`, depth + 1);
  };
  walk(schema, "", 0);
  return [...out].map((p) => p.replace(/^\./, "")).sort();
}

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
}

type Doc = Record<string, unknown>;

/**
 * Sets `value` at every place of `doc` that `pattern` names: each item of a `[]` list, a new key
 * `inj` for a `*` map value, a new key equal to `value` for `*key`; a missing last key (or list
 * of strings) is created. Returns how many places were set; 0 when the document has no parent
 * object for the field (the caller reports it as uncovered).
 * For `environments.*`, only `env` is walked.
 */
export function setAtPattern(doc: Doc, pattern: string, value: string, env?: string): number {
  const segs = pattern.split(/\.|(?=\[\])/).filter(Boolean);
  let count = 0;
  const visit = (node: unknown, i: number, inEnvironments: boolean): void => {
    if (node === null || typeof node !== "object") return;
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg === "[]") {
      if (!Array.isArray(node)) return;
      if (last) {
        node.forEach((_, j) => ((node[j] = value), count++));
        return;
      }
      node.forEach((item) => visit(item, i + 1, false));
      return;
    }
    const obj = node as Doc;
    if (seg === "*key") {
      obj[value] = "v";
      count++;
      return;
    }
    if (seg === "*") {
      if (inEnvironments) {
        if (env && env in obj) visit(obj[env], i + 1, false);
        return;
      }
      if (last) {
        obj.inj = value;
        count++;
      } else Object.values(obj).forEach((v) => visit(v, i + 1, false));
      return;
    }
    if (last) {
      obj[seg] = value;
      count++;
      return;
    }
    // A missing list of strings at the end of the path is created with the one value.
    if (!(seg in obj) && segs[i + 1] === "[]" && i + 1 === segs.length - 1) {
      obj[seg] = [value];
      count++;
      return;
    }
    if (!(seg in obj)) return;
    visit(obj[seg], i + 1, seg === "environments");
  };
  visit(doc, 0, false);
  return count;
}
