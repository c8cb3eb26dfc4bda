import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { MlplatError } from "../../src/util/errors.js";

// The synth entry fails on its second call, after the first wrote a complete output.
let calls = 0;
vi.mock("../../stacks/app.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../stacks/app.js")>();
  return {
    synthApp: async (...args: Parameters<typeof real.synthApp>) => {
      calls++;
      if (calls === 2) throw new Error("provider exploded half-way");
      return real.synthApp(...args);
    },
  };
});

describe("synth is atomic", () => {
  it("leaves the previous output untouched and no temporary folder behind when synth fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-atomic-"));
    cpSync(resolve("test/fixtures/spec-example.yaml"), join(dir, "p.yaml"));
    const out = join(dir, "cdktf.out");
    await synthesizeBlueprint(join(dir, "p.yaml"), { outDir: out, offline: true });
    const before = readFileSync(join(out, "stacks/fraud-default/cdk.tf.json"), "utf8");
    const err = await synthesizeBlueprint(join(dir, "p.yaml"), { outDir: out, offline: true, env: "dev" }).catch((e) => e);
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.code).toBe("MLP_SYNTH_FAILED");
    expect(err.exitCode).toBe(70);
    expect(readFileSync(join(out, "stacks/fraud-default/cdk.tf.json"), "utf8")).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["cdktf.out", "p.yaml"]);
  });
});
