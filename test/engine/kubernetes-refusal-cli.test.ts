import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { llmServing } from "../kubectl/engine-harness.js";

/**
 * The built CLI (bin/mlplat.js → dist) on the reference llm-serving blueprint without
 * `adminCidrs`, with a FAKE terraform (MLPLAT_TERRAFORM) and a FAKE kubectl (MLPLAT_KUBECTL)
 * that only record being called: the refusal must come before either runs.
 */
function fakeTool(dir: string, name: string): string {
  const bin = join(dir, name);
  writeFileSync(bin, `#!/bin/sh\necho "$@" >> "${dir}/${name}.calls"\nexit 0\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe("mlplat deploy (built CLI) on a private EKS cluster without an access path", () => {
  it("exits 1 with MLP_CLUSTER_NO_ACCESS_PATH before terraform or kubectl runs, and writes no state", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-refusal-"));
    writeFileSync(join(dir, "platform.yaml"), llmServing({ adminCidrs: [] }));
    const env = { MLPLAT_TERRAFORM: fakeTool(dir, "terraform"), MLPLAT_KUBECTL: fakeTool(dir, "kubectl") };
    const r = mlplat(["deploy", "platform.yaml", "--auto-approve"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error [MLP_CLUSTER_NO_ACCESS_PATH] Deploy refused: mlplat could not apply k8s/ after the terraform apply: the EKS API endpoint is private and network.adminCidrs is empty",
    );
    expect(r.stderr).toContain("hint: add the private range mlplat runs from");
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(join(dir, "terraform.calls"))).toBe(false);
    expect(existsSync(join(dir, "kubectl.calls"))).toBe(false);
    expect(existsSync(join(dir, ".mlplat", "state", "llm-serving-default.tfstate"))).toBe(false);
  });

  it("with --skip-kubernetes goes on to terraform (here a fake that plans nothing) and never calls kubectl", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-refusal-"));
    writeFileSync(join(dir, "platform.yaml"), llmServing({ adminCidrs: [] }));
    const env = { MLPLAT_TERRAFORM: fakeTool(dir, "terraform"), MLPLAT_KUBECTL: fakeTool(dir, "kubectl") };
    mlplat(["deploy", "platform.yaml", "--auto-approve", "--skip-kubernetes"], { cwd: dir, env });
    expect(readFileSync(join(dir, "terraform.calls"), "utf8")).toMatch(/^init -no-color -input=false/);
    expect(existsSync(join(dir, "kubectl.calls"))).toBe(false);
  });
});
