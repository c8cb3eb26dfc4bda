import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

const SPEC = resolve("test/fixtures/spec-example.yaml");

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-synth-"));
  cpSync(SPEC, join(dir, "platform.yaml"));
  return dir;
}

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(p, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

describe("mlplat synth", () => {
  let dir: string;
  let first: Record<string, string>;
  beforeAll(() => {
    dir = workspace();
    const r = mlplat(["synth", "platform.yaml", "--offline"], { cwd: dir });
    expect(r.stderr).toContain("fraud-default");
    expect(r.code).toBe(0);
    first = snapshotTree(join(dir, "cdktf.out"));
  });

  it("writes manifest.json and stacks/<name>-<env>/cdk.tf.json", () => {
    expect(Object.keys(first).sort()).toEqual([
      "manifest.json",
      "mlplat.json",
      "stacks/fraud-default/cdk.tf.json",
      // the cluster's GPU pools need the NVIDIA device plugin and the autoscaler (EKS)
      "stacks/fraud-default/k8s/kustomization.yaml",
      "stacks/fraud-default/k8s/platform/cluster-autoscaler.yaml",
      "stacks/fraud-default/k8s/platform/nvidia-device-plugin.yaml",
    ]);
    const tf = JSON.parse(first["stacks/fraud-default/cdk.tf.json"]!);
    expect(tf.terraform.backend.local.path).toBe("../../../.mlplat/state/fraud-default.tfstate");
  });

  it("is deterministic: a second synth gives byte-identical files", () => {
    expect(mlplat(["synth", "platform.yaml", "--offline"], { cwd: dir }).code).toBe(0);
    expect(snapshotTree(join(dir, "cdktf.out"))).toEqual(first);
  });

  it("names the stack after --env", () => {
    const d = workspace();
    const r = mlplat(["synth", "platform.yaml", "--env", "dev", "--json", "--out", "build"], { cwd: d });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stacks.map((s: { name: string }) => s.name)).toEqual(["fraud-dev"]);
    expect(existsSync(join(d, "build/stacks/fraud-dev/cdk.tf.json"))).toBe(true);
  });

  it("keeps the remote backend from spec.state without --offline, and never credentials", () => {
    const d = workspace();
    expect(mlplat(["synth", "platform.yaml"], { cwd: d }).code).toBe(0);
    const text = readFileSync(join(d, "cdktf.out/stacks/fraud-default/cdk.tf.json"), "utf8");
    expect(JSON.parse(text).terraform.backend.s3).toMatchObject({ bucket: "acme-tfstate", key: "fraud-default.tfstate", region: "us-east-1" });
    expect(text).not.toMatch(/secret_key|access_key|AKIA/);
  });

  it("leaves the previous output untouched and writes nothing when the blueprint is invalid", () => {
    const d = workspace();
    expect(mlplat(["synth", "platform.yaml", "--offline"], { cwd: d }).code).toBe(0);
    const before = snapshotTree(join(d, "cdktf.out"));
    writeFileSync(join(d, "platform.yaml"), readFileSync(SPEC, "utf8").replace("type: A100-80GB", "type: A1000"));
    const r = mlplat(["synth", "platform.yaml", "--offline"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("platform.yaml:");
    expect(r.stderr).toContain("MLP_GPU_UNKNOWN");
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshotTree(join(d, "cdktf.out"))).toEqual(before);
    expect(readdirSync(d).sort()).toEqual(["cdktf.out", "platform.yaml"]);
  });

  it("refuses to replace a folder that is not a synth output", () => {
    const d = workspace();
    mkdirSync(join(d, "precious"));
    writeFileSync(join(d, "precious", "notes.txt"), "keep me");
    const r = mlplat(["synth", "platform.yaml", "--out", "precious"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MLP_OUT_NOT_SYNTH_OUTPUT");
    expect(readFileSync(join(d, "precious", "notes.txt"), "utf8")).toBe("keep me");
  });

  it("refuses a state folder inside the output", () => {
    const d = workspace();
    const r = mlplat(["synth", "platform.yaml", "--state-dir", "cdktf.out/state"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MLP_STATE_IN_OUTPUT");
  });
});
