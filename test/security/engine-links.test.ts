import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/plan.js";
import { ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { liftProtection } from "../../src/terraform/protection.js";
import { MlplatError } from "../../src/util/errors.js";
import { config, harness } from "../engine/fakes.js";

/**
 * Links planted in a stack folder are never followed: terraform's log is opened with
 * O_NOFOLLOW, mlplat's own files are read with O_NOFOLLOW and replaced by rename (which
 * replaces a link, not its target), and the folders they go in must not be links.
 */
function fakeTerraform(body: string): string {
  const root = mkdtempSync(join(tmpdir(), "mlplat-fake-tf-"));
  const bin = join(root, "terraform");
  writeFileSync(bin, `#!/bin/bash\n${body}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe("links in a stack folder", () => {
  it("refuses a terraform.log that is a link, before terraform runs, and leaves its target untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    const victim = join(mkdtempSync(join(tmpdir(), "mlplat-victim-")), "authorized_keys");
    writeFileSync(victim, "ssh-ed25519 AAAA me\n");
    symlinkSync(victim, join(dir, "terraform.log"));
    const ran = join(dir, "..", `${dir.split("/").pop()}-ran`);
    const runner = new ProcessTerraformRunner({ env: { ...process.env, MLPLAT_TERRAFORM: fakeTerraform(`touch ${ran}; echo hello`) } });
    const err = (await runner.init(dir).catch((e: unknown) => e)) as MlplatError;
    expect(err).toBeInstanceOf(MlplatError);
    expect({ code: err.code, exitCode: err.exitCode, message: err.message }).toEqual({
      code: "MLP_OUT_LINK",
      exitCode: 1,
      message: `${dir}/terraform.log is a symbolic link; mlplat never follows a link out of its output.`,
    });
    expect(readFileSync(victim, "utf8")).toBe("ssh-ed25519 AAAA me\n");
    expect(() => readFileSync(ran)).toThrow();
  });

  it("refuses a .terraform that is a link when writing the init marker, and writes nothing through it", async () => {
    const h = harness({ "fraud-default": config([]) });
    const elsewhere = mkdtempSync(join(tmpdir(), "mlplat-victim-"));
    const stackDir = join(h.synth.outDir, "stacks", "fraud-default");
    mkdirSync(stackDir, { recursive: true });
    symlinkSync(elsewhere, join(stackDir, ".terraform"));
    const err = (await runPlan("p.yaml", {}, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_OUT_LINK");
    expect(err.message).toBe(`${stackDir}/.terraform is a symbolic link; mlplat never follows a link out of its output.`);
    expect(h.synth.released).toBe(1);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("rewrites cdk.tf.json by rename: a cdk.tf.json link is refused on read, its target untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    const victim = join(mkdtempSync(join(tmpdir(), "mlplat-victim-")), "main.tf.json");
    const text = JSON.stringify({ resource: { aws_s3_bucket: { b: { lifecycle: { prevent_destroy: true } } } } });
    writeFileSync(victim, text);
    symlinkSync(victim, join(dir, "cdk.tf.json"));
    expect(() => liftProtection(dir)).toThrow(/cdk\.tf\.json is a symbolic link; mlplat never follows a link out of its output\./);
    expect(readFileSync(victim, "utf8")).toBe(text);
  });
});
