import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { kubernetesManifests } from "../../src/k8s/manifests.js";
import { kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { TARGETS } from "../../src/targets/index.js";
import { fastManifestYaml } from "../../src/k8s/fast-yaml.js";
import { scaleBlueprint } from "../../bench/lib/scale-blueprint.mjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

/**
 * The manifests' fast YAML path (issue 19) must write exactly what yaml.stringify writes. Every
 * document renderManifests renders is rendered both ways here (the module is wrapped), for every
 * reference blueprint in every environment and the bench's generated 300-item platform; and a
 * corpus of awkward strings, keys and shapes is compared directly.
 */
const OPTS = { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false } as const;
const seen = { fast: 0, fallback: 0, mismatches: [] as string[] };

vi.mock("../../src/k8s/fast-yaml.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/k8s/fast-yaml.js")>();
  return {
    fastManifestYaml: (o: Record<string, unknown>) => {
      const fast = real.fastManifestYaml(o);
      if (fast === undefined) seen.fallback++;
      else {
        seen.fast++;
        const slow = stringify(o, OPTS).trimEnd();
        if (fast !== slow) seen.mismatches.push(`${fast}\n--- yaml wrote ---\n${slow}`);
      }
      return fast;
    },
  };
});

const root = new URL("../../", import.meta.url).pathname;

function manifestsOf(file: string, env = "default") {
  const { model, diagnostics } = loadBlueprint(file, { env, vars: {} });
  expect(model, diagnostics.map((d) => d.message).join("\n")).toBeDefined();
  if (!model!.cluster) return {};
  const props = TARGETS[model!.cloud].resolve(model!, { offline: true, localStatePath: "state.tfstate" });
  return kubernetesManifests(model!, kubernetesPlatform(model!, props));
}

describe("fast manifest YAML", () => {
  it("renders every reference blueprint's manifests (every environment) and a 300-item platform byte for byte as yaml does", () => {
    for (const f of readdirSync(join(root, "blueprints")).filter((x) => x.endsWith(".yaml"))) {
      const file = join(root, "blueprints", f);
      for (const env of ["default", ...loadBlueprint(file, { vars: {} }).environments]) manifestsOf(file, env);
    }
    const dir = mkdtempSync(join(tmpdir(), "mlplat-fast-yaml-"));
    writeFileSync(join(dir, "scale.yaml"), scaleBlueprint(300));
    expect(Object.keys(manifestsOf(join(dir, "scale.yaml"))).length).toBeGreaterThan(150);
    expect(seen.mismatches).toEqual([]);
    // Not vacuous: the fast path rendered the bulk of them.
    expect(seen.fast).toBeGreaterThan(450);
    // Every one of them: a single fallback costs ~8 ms of cold yaml code per synth (issue 19). If
    // a new manifest needs yaml, widen fast-yaml.ts (checked against yaml above) or drop this.
    expect(seen.fallback).toBe(0);
  });

  const strings = [
    "", "a", "serving", "serving:1.0.3", "123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:1.0", "/healthz", "500m", "16Gi",
    "1", "-1", "+1", "0x1F", "0o17", "1.5", ".5", "1e3", "1.0.3", ".inf", "-.Inf", ".nan", "~", "null", "Null", "true", "False", "TRUE",
    "yes", "no", "on", "off", "y", "a b", "a  b", "a b ", " a", "a: b", "a:b", "a:", "a #b", "a#b", "#a", "-a", "- a", "-", "?a", "? a",
    "a,b", "[a]", "{a}", "a]", "'a'", "\"a\"", "a'b", "a\"b", "a\nb", "a\tb", "a\\b", "@a", "`a`", "%a", "&a", "*a", "!a", "|a", ">a",
    "...", "---", "--- a", "a---", "é", "a=b", "nvidia.com/gpu", "app.kubernetes.io/name", "k8s.io/cluster-autoscaler/enabled",
    "(a)", "a+b", "a_b", "_a", "0", "00", "08", "1_000", "2026-12-07", "12:30", "1:2", "NaN", "Infinity",
    // leading `-` / `.` (command-line flags and relative paths, e.g. the cluster autoscaler's)
    "--v=4", "./cluster-autoscaler", "--node-group-auto-discovery=asg:tag=k8s.io/a,k8s.io/b", "--a b", "-a b", "-a:", "-a: b", "--",
    "-.", ".-", "..a", ".a", "...a", "---a", "-0", "-0.5", ".0", "-.5", "-.inf", "-_", "-/a", "./", "-=a", ".=a", "-1e3", "-0x1F", "-1:2",
  ];

  it("writes plain, quoted and awkward strings, as values, list items and keys, exactly as yaml or not at all", () => {
    let fast = 0;
    const check = (o: Record<string, unknown>) => {
      const got = fastManifestYaml(o);
      if (got !== undefined) {
        fast++;
        expect(got, JSON.stringify(o)).toBe(stringify(o, OPTS).trimEnd());
      }
    };
    for (const s of strings) {
      check({ k: s });
      check({ k: [s, s] });
      check({ [s]: 1 });
      check({ a: { [s]: { b: [{ [s]: s }] } } });
    }
    expect(fast).toBeGreaterThan(strings.length);
  });

  it("writes numbers, booleans, null, empty and nested collections exactly as yaml or not at all", () => {
    const shapes: Record<string, unknown>[] = [
      { a: 1, b: -2, c: 0.5, d: 1e21, f: 3.0, g: 1.25e-7, h: Number.MAX_SAFE_INTEGER },
      { a: true, b: false, c: null, d: undefined },
      { a: {}, b: [], c: { d: undefined }, e: [{}], h: [null, true, 2] },
      { a: -0 },
      { f: [[]], g: [[1]] },
      { z: 1, a: 2, B: 3, _: 4, "a.b": 5, "a/b": 6, "a-b": 7, aa: 8 },
      { spec: { containers: [{ name: "x", ports: [{ containerPort: 8080 }], env: [{ name: "A", value: "1" }] }], tolerations: [] } },
      { a: new Date(0) },
      { a: Number.NaN },
      { a: [undefined] },
    ];
    let fast = 0;
    for (const o of shapes) {
      const got = fastManifestYaml(o);
      if (got !== undefined) {
        fast++;
        expect(got, JSON.stringify(o)).toBe(stringify(o, OPTS).trimEnd());
      }
    }
    expect(fast).toBeGreaterThanOrEqual(5);
  });
});
