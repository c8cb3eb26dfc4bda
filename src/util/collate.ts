/**
 * `a.localeCompare(b)` without building ICU's collator. The first localeCompare of a process
 * initialises ICU collation, ~5 ms of a synth that only sorts a few label keys or quota codes
 * (node --cpu-prof: most of src/targets/gcp/names.ts's time). For strings of ASCII letters,
 * digits and `_ - . : / ,` this gives the order ICU's root collation gives (what localeCompare
 * uses in Node): punctuation `_ - , : . /` in that order before digits before letters, letters
 * compared case-insensitively first, then lowercase before uppercase at the first difference.
 * Any other character falls back to localeCompare itself, so the result is always the same.
 * test/util/collate.test.ts compares it with localeCompare on random strings.
 */
const PRIMARY = new Int16Array(128).fill(-1);
"_-,:./".split("").forEach((c, i) => (PRIMARY[c.charCodeAt(0)] = i));
for (let d = 0; d < 10; d++) PRIMARY[48 + d] = 10 + d;
for (let l = 0; l < 26; l++) {
  PRIMARY[97 + l] = 20 + l; // a-z
  PRIMARY[65 + l] = 20 + l; // A-Z: the same letter at the first level
}

export function rootCompare(a: string, b: string): number {
  let caseDiff = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const px = x < 128 ? PRIMARY[x]! : -1;
    const py = y < 128 ? PRIMARY[y]! : -1;
    if (px < 0 || py < 0) return a.localeCompare(b);
    if (px !== py) return fallbackIfRest(a, b, i) ?? px - py;
    // Same letter in another case: lowercase first, decided only if nothing else differs.
    if (x !== y && caseDiff === 0) caseDiff = x > y ? -1 : 1; // 'a' (97) > 'A' (65): lowercase sorts first
  }
  if (a.length !== b.length) return fallbackIfRest(a, b, n) ?? a.length - b.length;
  return caseDiff;
}

/** A character beyond the first difference that rootCompare does not know: let ICU decide. */
function fallbackIfRest(a: string, b: string, from: number): number | undefined {
  for (const s of [a, b]) {
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || PRIMARY[c]! < 0) return a.localeCompare(b);
    }
  }
  return undefined;
}
