/**
 * Characters a blueprint string may not hold, and how diagnostics display text safely.
 *
 * No blueprint field is multi-line, so every C0 control (including TAB and LF), DEL and every C1
 * control is refused, as are the Unicode bidirectional controls (embeddings/overrides
 * U+202A–U+202E, isolates U+2066–U+2069, marks U+200E, U+200F, U+061C) and the line/paragraph
 * separators U+2028/U+2029: they let a string display differently from what it holds
 * ("Trojan Source", CVE-2021-42574) or rewrite a terminal, and none is valid in a cloud name,
 * tag or Kubernetes label.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMES: Record<number, string> = {
  0x09: "TAB",
  0x0a: "line feed",
  0x0d: "carriage return",
  0x1b: "ESC",
  0x7f: "DEL",
  0x061c: "Arabic letter mark",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x2028: "line separator",
  0x2029: "paragraph separator",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
};

/** `U+202E`, four hex digits at least. */
export function codePoint(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The first unsafe character of `s`: its index and a description, or undefined. */
export function findUnsafe(s: string): { index: number; description: string } | undefined {
  const m = UNSAFE.exec(s);
  if (!m) return undefined;
  const c = m[0].charCodeAt(0);
  const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;
  const kind = bidi ? "the bidirectional control" : c === 0x2028 || c === 0x2029 ? "the" : "the control character";
  const name = NAMES[c] ? ` (${NAMES[c]})` : "";
  return { index: m.index, description: `${kind} ${codePoint(c)}${name}` };
}

/** `s` with every unsafe character shown as `\u{…}`, so displaying it can't reorder or hide text. */
export function escapeUnsafe(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_ALL, (ch) => `\\u{${ch.charCodeAt(0).toString(16).toUpperCase()}}`) : s;
}
