/**
 * Random blueprint-like YAML for test/blueprint/plain-yaml.test.ts: block mappings and sequences,
 * compact `- key:` mappings, flows, comments (with Unicode) and blank lines, keys and scalars
 * chosen to sit on YAML's edges (core-schema spellings, indicators, quotes), with a little
 * misindentation. Written by the hostile review of the fast path (src/blueprint/plain-yaml.ts).
 */
/* eslint-disable */
const KEYS = ["a", "b", "c", "name", "a.b", "x/y", "k-1", "_", "e1", "n", "y", "NaN", "inf", "on", "toString", "a-", "v1.2", "d", "items", "x", "valueOf", "__proto", "a_b", "Z", "a/", "a."];
const ATOMS = ["x", "1", "-1", "+1", "0", "-0", "+0", "007", "0o17", "0o8", "0x1F", "0xg", "1.5", "-.5", ".5", "1.", "1e3", "1E-3", "+.5e+3", ".inf", "-.Inf", ".nan", ".NaN", "~", "null", "Null", "true", "FALSE", "yes", "a b", "a:b", "a :b", ":x", "?x", "-x", "::x", "--", "---", "...", "x#y", "x'y", "x\"y", "a,b", "f[0]", "x}", "x]", "a-b", "m6i.large", "10.0.0.0/16", "2026-12-07", "12:30", "1_000", "s3://b/k", "http://h:80/p", "a!", "a&", "a*", "a|b", "a%", "''", "'a''b'", "'a # b'", "'a: b'", "\"\"", "\"a # b\"", "\"a: b\"", "'a\\b'", "\"a'b\"", "'a\"b'", "' '", "\" x \"", "9".repeat(30), "0.0", "-0.0", "x:#", "-#", "?-", "-?", "-:x", "x  y", "x ? y", "x - y", "x -"];
const FATOMS = ["x", "1", "-1", "0x1F", ".inf", "~", "null", "true", "a b", "a:b", ":x", "?x", "-x", "x'y", "x\"y", "''", "'a,b'", "'a''b'", "\"a]\"", "\"\"", "1e3", "-0", "x}y".slice(0, 1), "a.b", "a/b", "x -", "x  y"];
const SP = ["", " ", " ", " ", "  "];
export function generateYaml(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number): boolean => rand() < p;
    function fkey(set: Set<string>): string { let k = ""; for (let t = 0; t < 5; t++) { k = pick(KEYS); if (!set.has(k)) break; } set.add(k); return k; }
  function flow(depth: number): string {
    const isMap = chance(0.5);
    const n = Math.floor(rand() * 4);
    const parts: string[] = []; const set = new Set<string>();
    for (let i = 0; i < n; i++) {
      const v = depth < 3 && chance(0.25) ? flow(depth + 1) : pick(FATOMS);
      parts.push(isMap ? `${fkey(set)}:${pick([" ", " ", "  "])}${v}` : v);
    }
    const s = parts.map((p) => pick(SP) + p + pick(SP)).join(pick([",", ", ", ", ", " ,", " , "]));
    return isMap ? `{${s}}` : `[${s}]`;
  }
  const comment = () => pick(["#", "# c", "#c", "# \u00e9 \u2028", "# \u0085", "# \ufeff", "# \u202e", "# a: b", "# - x", "#  [", "# '", "#\u00a0", "# \ud83d\ude00", "# \u2029 \u200e"]);
  const value = () => (chance(0.2) ? flow(0) : pick(ATOMS));
  const trail = () => (chance(0.15) ? pick([" ", "  ", " " + comment(), "  " + comment(), " #"]) : "");
  const noise = () => { if (chance(0.06)) lines.push(chance(0.4) ? " ".repeat(Math.floor(rand() * 8)) : " ".repeat(Math.floor(rand() * 10)) + comment()); };
  const lines: string[] = [];
  const bad = () => chance(0.01);
  function block(indent: number, depth: number, kind: "map" | "seq"): void {
    const n = 1 + Math.floor(rand() * 4);
    const set = new Set<string>();
    for (let i = 0; i < n && lines.length < 60; i++) {
      noise();
      const ind = indent + (bad() ? pick([-1, 1, 2, -2]) : 0);
      const pad = " ".repeat(Math.max(0, ind));
      if (kind === "map") {
        const key = fkey(set);
        const r = rand();
        if (r < 0.45 || depth > 12) lines.push(`${pad}${key}:${bad() ? "" : " "}${value()}${trail()}`);
        else if (r < 0.7) { lines.push(`${pad}${key}:${trail()}`); block(indent + pick([2, 2, 1, 4, 3]), depth + 1, chance(0.8) ? "map" : "seq"); }
        else if (r < 0.88) { lines.push(`${pad}${key}:${trail()}`); block(indent, depth + 1, "seq"); }
        else lines.push(`${pad}${key}:${trail()}`);
      } else {
        const dash = pick(["- ", "- ", "- ", "-   ", "-  "]);
        const r = rand();
        if (r < 0.35 || depth > 12) lines.push(`${pad}${chance(0.1) ? "-" : dash + value()}${trail()}`);
        else if (r < 0.8) {
          const col = ind + dash.length;
          const mset = new Set<string>();
          const m = Math.floor(rand() * 4);
          for (let j = 0; j <= m; j++) {
            const c2 = j === 0 ? col : col + (bad() ? pick([-1, 1, -2]) : 0);
            const pre = j === 0 ? pad + dash : " ".repeat(Math.max(0, c2));
            if (j > 0) noise();
            const k = fkey(mset);
            const r2 = rand();
            if (r2 < 0.6 || depth > 12) lines.push(`${pre}${k}: ${value()}${trail()}`);
            else if (r2 < 0.75) { lines.push(`${pre}${k}:${trail()}`); block(c2, depth + 1, "seq"); }
            else if (r2 < 0.9) { lines.push(`${pre}${k}:${trail()}`); block(c2 + pick([2, 1, 3]), depth + 1, chance(0.5) ? "seq" : "map"); }
            else lines.push(`${pre}${k}:${trail()}`);
          }
        } else { lines.push(`${pad}-${trail()}`); block(indent + pick([2, 2, 1, 4]), depth + 1, chance(0.5) ? "seq" : "map"); }
      }
    }
  }
  block(chance(0.1) ? pick([1, 2, 4]) : 0, 0, "map");
  while (lines.length < 5 && chance(0.5)) block(0, 0, "map");
  let text = lines.join("\n");
  if (chance(0.7)) text += "\n";
  return text;
}


/**
 * generateYaml with indentation (and the spaces after `-`) multiplied up to 1030 times and long
 * trailing spaces and comments: yaml's 1024-character limit on implicit keys.
 */
export function generateWideYaml(rand: () => number): string {
  const t = generateYaml(rand);
  const K = [100, 300, 520, 1030][Math.floor(rand() * 4)]!;
  return t
    .split("\n")
    .map((l) => {
      const m = /^( *)(- +)?([^]*)$/.exec(l)!;
      let out = " ".repeat(m[1]!.length * K) + (m[2] ? "-" + " ".repeat(rand() < 0.2 ? m[2].length * K : m[2].length - 1) : "") + m[3];
      if (rand() < 0.1) out += " ".repeat(Math.floor(rand() * 1200));
      if (rand() < 0.05) out += " #" + "x".repeat(Math.floor(rand() * 1200));
      return out;
    })
    .join("\n");
}
