/** Levenshtein distance, small and allocation-light (names here are short). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagPrev = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diagPrev + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagPrev = tmp;
    }
  }
  return prev[b.length]!;
}

/** Longest input compared; names, regions and types are far shorter. */
const MAX_INPUT = 100;

/**
 * The candidate closest to `input` (case-insensitive), when it is close enough to be a likely
 * typo: within a third of the length, or a prefix/suffix match.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  // Edit distance is quadratic: a 3 MB value is no typo of a short name.
  if (input.length > MAX_INPUT) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    const score = editDistance(lower, cl);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.ceil(Math.max(lower.length, best.length) / 3));
  if (bestScore <= limit) return best;
  const bl = best.toLowerCase();
  return lower.length >= 3 && (bl.startsWith(lower) || lower.startsWith(bl)) ? best : undefined;
}
