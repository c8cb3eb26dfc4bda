import { describe, expect, it } from "vitest";
import { rootCompare } from "../../src/util/collate.js";

/** rootCompare must order exactly as localeCompare does (ICU root collation), on every input. */
describe("rootCompare", () => {
  const sign = (n: number) => Math.sign(n);
  function random(alphabet: string, seed: { s: number }): string {
    const next = () => ((seed.s = (seed.s * 1103515245 + 12345) & 0x7fffffff), seed.s);
    let out = "";
    for (let i = 0, n = 1 + (next() % 7); i < n; i++) out += alphabet[next() % alphabet.length];
    return out;
  }

  it("agrees with localeCompare on 100,000 random pairs of the characters it orders itself", () => {
    const alphabet = "_-,:./0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const seed = { s: 42 };
    const bad: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const a = random(alphabet, seed);
      const b = random(alphabet.slice(0, 16) + "aAbB", seed).slice(0, 3) + random(alphabet, seed); // shared prefixes too
      for (const [x, y] of [[a, b], [a, a.toUpperCase()], [a, a + "-"]] as const) {
        if (sign(rootCompare(x, y)) !== sign(x.localeCompare(y))) bad.push(`${x} ${y}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("hands anything else to localeCompare", () => {
    for (const [a, b] of [["é", "e"], ["a b", "a-b"], ["ä1", "a2"], ["x~", "x_"], ["Zürich", "zurich"]]) {
      expect(sign(rootCompare(a!, b!))).toBe(sign(a!.localeCompare(b!)));
    }
  });

  it("sorts GCP label keys and AWS quota codes as before", () => {
    const keys = ["team", "owner", "cost-center", "cost_center", "env2", "env-prod", "a1", "a_1"];
    expect([...keys].sort(rootCompare)).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
    const codes = ["L-DB2E81BA", "L-1216C47A", "l-1216c47a", "NVIDIA_T4_GPUS", "PREEMPTIBLE_NVIDIA_T4_GPUS", "standardNCSv3Family"];
    expect([...codes].sort(rootCompare)).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
  });
});
