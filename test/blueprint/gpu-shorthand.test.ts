import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderDiagnostic, isError } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

const work = mkdtempSync(join(tmpdir(), "mlplat-gpu-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function load(poolGpu: string, overlay = "") {
  const file = join(work, `bp-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: a@example.com }
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  network: { adminCidrs: [10.99.0.0/16] }
  cluster:
    version: "1.35"
    nodePools:
      - { name: train, gpu: ${poolGpu}, max: 1 }
  serving:
    endpoints:
      - { name: scorer, image: "reg.example.com/s:1", gpu: T4:1 }
${overlay}`,
  );
  return loadBlueprint(file, { today: "2026-11-25", vars: {}, env: overlay ? "big" : undefined });
}

describe("gpu: TYPE:COUNT shorthand", () => {
  it("means { type, count } in node pools and endpoints", () => {
    const r = load("A100-80GB:8");
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model!.cluster!.nodePools[0]!.gpu).toMatchObject({ type: "A100-80GB", count: 8 });
    expect(r.model!.cluster!.nodePools[0]!.instanceType).toBe("p4de.24xlarge");
    expect(r.model!.endpoints[0]!.gpu).toMatchObject({ type: "T4", count: 1 });
  });

  it("an environment may replace the shorthand with the mapping form and the other way round", () => {
    const r = load("L4:1", "environments:\n  big:\n    spec:\n      cluster:\n        nodePools:\n          - { name: train, gpu: { type: A100-80GB, count: 8 } }\n");
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model!.cluster!.nodePools[0]!.gpu).toMatchObject({ type: "A100-80GB", count: 8 });
    const back = load("{ type: L4, count: 1 }", "environments:\n  big:\n    spec:\n      cluster:\n        nodePools:\n          - { name: train, gpu: H100:8 }\n");
    expect(back.model!.cluster!.nodePools[0]!.gpu).toMatchObject({ type: "H100", count: 8 });
  });

  it("rejects a count outside 1-16 in the shorthand's own words", () => {
    const r = load("A100-80GB:17");
    expect(r.diagnostics.filter(isError).map((d) => renderDiagnostic(d).split("\n").slice(0, 2).join("\n"))).toEqual([
      expect.stringMatching(/:12:\d+ error MLP_INVALID_FORMAT spec\.cluster\.nodePools\[0\]\.gpu\n {2}write TYPE:COUNT, e\.g\. A100-80GB:8 \(count 1-16\)\.$/),
    ]);
  });

  it("calls a bare A100 ambiguous and names both sizes", () => {
    const r = load("{ type: A100, count: 8 }");
    const e = r.diagnostics.find((d) => d.code === "MLP_GPU_UNKNOWN")!;
    expect(e.message).toBe('accelerator "A100" is ambiguous.');
    expect(e.hint).toBe("say which: A100-40GB or A100-80GB.");
  });
});
