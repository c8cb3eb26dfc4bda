import { describe, expect, it } from "vitest";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { BASE, codes, load, only } from "./blueprint-fixtures.js";

/**
 * Adversarial tier, text (issue 12): control and bidirectional-control characters anywhere,
 * Kubernetes label and taint syntax, and duplicate keys found in linear time.
 */

const UNSAFE: [string, string][] = [
  ["\u001b", "the control character U+001B (ESC)"],
  ["\u0007", "the control character U+0007"],
  ["\u007f", "the control character U+007F (DEL)"],
  ["\u0085", "the control character U+0085"],
  ["\u009b", "the control character U+009B"],
  ["\u202e", "the bidirectional control U+202E (right-to-left override)"],
  ["\u202a", "the bidirectional control U+202A (left-to-right embedding)"],
  ["\u2066", "the bidirectional control U+2066 (left-to-right isolate)"],
  ["\u2069", "the bidirectional control U+2069 (pop directional isolate)"],
  ["\u200f", "the bidirectional control U+200F (right-to-left mark)"],
  ["\u2028", "the U+2028 (line separator)"],
];

describe("control and bidirectional-control characters", () => {
  it.each(UNSAFE)("rejects %j in a string value, located, and never prints it raw", (ch, description) => {
    // YAML double quotes write the character as an escape; a plain scalar holds it raw.
    const escaped = `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    const text = BASE.replace("owner: team@example.com", `owner: "team${escaped}@example.com"`);
    const d = only(text, "MLP_CONTROL_CHARACTER");
    expect(d.message).toBe(`a string holds ${description} at character 5; blueprint text may not hold control or bidirectional-control characters.`);
    expect(d).toMatchObject({ line: 5, col: 10, path: ["metadata", "owner"] });
  });

  it.each(UNSAFE.filter(([c]) => c !== "\u2028" && c !== "\u0085"))("rejects %j written raw in a key, and escapes it in the code frame", (ch) => {
    const text = BASE.replace("owner: team@example.com", `owner: team@example.com\n  labels: { "te${ch}am": x }`);
    const [d] = load(text).diagnostics;
    expect(d).toMatchObject({ code: "MLP_CONTROL_CHARACTER", line: 6, path: ["metadata", "labels", `te${ch}am`] });
    const out = renderDiagnostic(d!);
    expect(out).not.toContain(ch);
    expect(out).toContain(`te\\u{${ch.charCodeAt(0).toString(16).toUpperCase()}}am`);
  });

  it("rejects a TAB or line feed inside a value (no blueprint field is multi-line)", () => {
    expect(codes(BASE.replace("owner: team@example.com", 'owner: "a\\tb"'))).toEqual(["MLP_CONTROL_CHARACTER"]);
    expect(codes(BASE.replace("owner: team@example.com", "owner: |\n    team\n    more"))).toEqual(["MLP_CONTROL_CHARACTER"]);
  });

  it("rejects a control character that arrives through ${env:…}, without printing the value", () => {
    const d = only(BASE.replace("owner: team@example.com", "owner: ${env:OWNER}"), "MLP_CONTROL_CHARACTER", { vars: { OWNER: "evil\u001b[2Jtext" } });
    expect(d.message).toBe("the value of `${env:OWNER}` holds the control character U+001B (ESC) at character 5; blueprint text may not hold control or bidirectional-control characters.");
    expect(d.found).toBe("${env:OWNER}");
  });

  it("accepts ordinary Unicode (accents, CJK, emoji) in owner and labels", () => {
    const text = BASE.replace("owner: team@example.com", "owner: équipe-数据@example.com 🚀\n  labels: { team: ü }");
    expect(load(text).diagnostics.filter(isError)).toEqual([]);
  });
});

describe("Kubernetes labels and taints of node pools", () => {
  const pool = (extra: string) =>
    `${BASE}  network: { adminCidrs: [198.51.100.0/24] }\n  cluster:\n    nodePools:\n      - name: cpu\n        instanceType: m6i.large\n        max: 2\n${extra}`;

  it.each([
    ["bad key!", "the name must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'"],
    ["-team", "the name must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'"],
    ["Example.com/team", "the prefix before `/` is not a DNS subdomain (lowercase letters, digits, '-' and '.')"],
    ["a/b/c", "it holds more than one `/`"],
    ["/team", "the prefix before `/` is empty"],
    ["example.com/", "the name is empty"],
    [`x${"a".repeat(63)}`, "the name is 64 characters; at most 63"],
    [`${"a".repeat(254)}/x`, "the prefix is 254 characters; at most 253"],
  ])("rejects the label key %j", (key, why) => {
    const d = only(pool(`        labels: { ${JSON.stringify(key)}: x }\n`), "MLP_K8S_LABEL_KEY");
    expect(d.message).toBe(`node label key \`${key}\` is not a valid Kubernetes label key: ${why}.`);
    expect(d).toMatchObject({ line: 20, col: 19 });
  });

  it.each([
    ["has space", "it must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'"],
    ["trailing-", "it must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'"],
    ["a/b", "it must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'"],
    ["v".repeat(64), "it is 64 characters; at most 63"],
  ])("rejects the label value %j", (value, why) => {
    const d = only(pool(`        labels: { team: ${JSON.stringify(value)} }\n`), "MLP_K8S_LABEL_VALUE");
    expect(d.message).toBe(`the value of node label \`team\` is not a valid Kubernetes label value: ${why}.`);
  });

  it("rejects taint keys and values Kubernetes refuses", () => {
    const k = only(pool("        taints: [{ key: 'dedicated team', value: gpu, effect: NoSchedule }]\n"), "MLP_K8S_TAINT_KEY");
    expect(k.message).toBe("taint key `dedicated team` is not a valid Kubernetes taint key: the name must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'.");
    expect(k).toMatchObject({ line: 20, col: 25, path: ["spec", "cluster", "nodePools", 0, "taints", 0, "key"] });
    const v = only(pool("        taints: [{ key: example.com/dedicated, value: 'g p u', effect: NoSchedule }]\n"), "MLP_K8S_TAINT_VALUE");
    expect(v.message).toBe("the value of taint `example.com/dedicated` is not a valid Kubernetes taint value: it must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'.");
    expect(codes(pool("        taints: [{ key: a, effect: NoRun }]\n"))).toEqual(["MLP_INVALID_VALUE"]);
  });

  it("accepts valid keys and values, including a prefix and an empty value", () => {
    const text = pool("        labels: { example.com/team: ml_Ops.1, workload: '', a: b }\n        taints: [{ key: nvidia.com/gpu, value: present, effect: NoSchedule }, { key: x, effect: NoExecute }]\n");
    expect(load(text).diagnostics.filter(isError)).toEqual([]);
  });
});

/** CPU seconds `f` takes in this process (user + system). */
function cpuSeconds<T>(f: () => T): { result: T; seconds: number } {
  const c0 = process.cpuUsage();
  const result = f();
  const c = process.cpuUsage(c0);
  return { result, seconds: (c.user + c.system) / 1e6 };
}

describe("duplicate keys in linear time", () => {
  const many = (n: number, indent: string) => Array.from({ length: n }, (_, i) => `${indent}k${i}: v`).join("\n");

  it("finds the one duplicate among 200,000 keys of a mapping, located, in seconds", () => {
    // Quadratic before: 40,000 keys took 15 s of CPU and 200,000 never finished. Bounded in CPU
    // time, which a busy machine inflates far less than wall time: ~5 s measured on a 2-core
    // machine at load 28; quadratic would take ~6 minutes.
    const text = `${BASE}  x:\n${many(200_000, "    ")}\n    k5: again\n`;
    expect(text.length).toBeLessThan(4 * 1024 * 1024);
    const cpu = cpuSeconds(() => only(text, "MLP_YAML_DUPLICATE_KEY"));
    const d = cpu.result;
    expect(cpu.seconds).toBeLessThan(20);
    expect(d).toMatchObject({ line: 14 + 200_001, col: 5, path: ["spec", "x", "k5"] });
  });

  it("reports 200,000 unknown keys as the first 50 and a count, in seconds", () => {
    const text = `${BASE}${many(200_000, "")}\n`;
    const cpu = cpuSeconds(() => load(text).diagnostics);
    const ds = cpu.result;
    expect(cpu.seconds).toBeLessThan(20);
    expect(ds.length).toBe(51);
    expect(ds.every((d) => d.code === "MLP_UNKNOWN_KEY")).toBe(true);
    expect(ds.find((d) => d.message.includes("more"))!.message).toBe("199950 more unknown keys in this mapping (`k50`, `k51`, `k52`, …).");
  });

  it("counts problems past the first 100 in one closing diagnostic", () => {
    const text = `${BASE}  x:\n${Array.from({ length: 150 }, (_, i) => `    k${i}: 1\n    k${i}: 2`).join("\n")}\n`;
    const ds = load(text).diagnostics;
    expect(ds.length).toBe(101);
    expect(ds[100]).toMatchObject({ code: "MLP_TOO_MANY_PROBLEMS", message: "50 more problems (50 errors) are not shown; only the first 100 are listed." });
  });

  it("treats keys YAML reads as the same text (1 and \"1\") as duplicates", () => {
    expect(codes(`${BASE}  x: { 1: a, "1": b }\n`)).toEqual(["MLP_YAML_DUPLICATE_KEY"]);
  });
});
