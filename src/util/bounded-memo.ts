/**
 * `compute`, remembered per key: for a pure function a run calls with the same keys many times
 * (a large platform repeats the same references, manifest keys and values hundreds of times).
 * Cleared when it holds `limit` keys, so a long-lived process (the test suite) stays bounded.
 */
export function boundedMemo<V>(compute: (key: string) => V, limit = 10_000): (key: string) => V {
  const memo = new Map<string, V>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as V;
    if (memo.size >= limit) memo.clear();
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}
