import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTool, ProcessToolExec } from "../../src/kubectl/exec.js";
import { KubectlCli } from "../../src/kubectl/kubectl-cli.js";
import type { MlplatError } from "../../src/util/errors.js";

/**
 * The process runner with a FAKE `kubectl` EXECUTABLE (a shell script named by MLPLAT_KUBECTL):
 * it writes each argument it receives on its own line to argv.txt, then answers like kubectl
 * would for the subcommand. Proves the argument arrays reach the binary unsplit and unquoted,
 * the log file, and the exit-code mapping; no cluster involved.
 */
function fakeKubectl(): { dir: string; bin: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-fake-kubectl-"));
  const bin = join(dir, "kubectl-fake");
  writeFileSync(
    bin,
    `#!/bin/sh
: > "${dir}/argv.txt"
for a in "$@"; do printf '%s\\n' "$a" >> "${dir}/argv.txt"; done
case "$3" in
  apply)
    case "$*" in
      *conflict.yaml*) echo 'error: Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.template.spec.containers[name="server"].image' >&2; exit 1 ;;
    esac
    echo "deployment.apps/chat serverside-applied" ;;
  rollout) touch "${dir}/started"; exec sleep 5 ;;
  *) echo "error: unknown command \\"$3\\" for \\"kubectl\\"" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return { dir, bin, env: { ...process.env, MLPLAT_KUBECTL: bin } };
}

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as MlplatError;

describe("ProcessToolExec with a FAKE kubectl executable (MLPLAT_KUBECTL)", () => {
  it("passes the argument array through unsplit and logs a header and the output to <stack>/kubectl.log", async () => {
    const f = fakeKubectl();
    const stack = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    await new KubectlCli(new ProcessToolExec({ env: f.env })).apply(stack, ["k8s/my endpoint.yaml", "k8s/$(touch pwned).yaml"]);
    expect(readFileSync(join(f.dir, "argv.txt"), "utf8").split("\n").slice(0, -1)).toEqual([
      "--kubeconfig",
      join(stack, "kubeconfig"),
      "apply",
      "--server-side",
      "--field-manager=mlplat",
      "-f",
      "k8s/my endpoint.yaml",
      "-f",
      "k8s/$(touch pwned).yaml",
    ]);
    expect(existsSync(join(stack, "pwned"))).toBe(false);
    const log = readFileSync(join(stack, "kubectl.log"), "utf8");
    expect(log).toMatch(/===== \S+ kubectl --kubeconfig \S+ apply --server-side --field-manager=mlplat -f k8s\/my endpoint\.yaml/);
    expect(log).toContain("deployment.apps/chat serverside-applied\n(exit 0)\n");
  });

  it("maps the fake's exit 1 with a conflict on stderr to MLP_KUBECTL_CONFLICT (exit 3)", async () => {
    const f = fakeKubectl();
    const stack = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    const err = await failure(new KubectlCli(new ProcessToolExec({ env: f.env })).apply(stack, ["k8s/conflict.yaml"]));
    expect(err.code).toBe("MLP_KUBECTL_CONFLICT");
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('conflicts with fields owned by "helm"');
    expect(readFileSync(join(stack, "kubectl.log"), "utf8")).toContain("(exit 1)");
  });

  it("forwards Ctrl-C to the tool once and reports the step as interrupted", async () => {
    const f = fakeKubectl();
    const stack = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    const pending = failure(new KubectlCli(new ProcessToolExec({ env: f.env })).rolloutStatus(stack, { kind: "DaemonSet", name: "nvidia-device-plugin-daemonset", namespace: "kube-system" }, 60));
    for (let i = 0; i < 100 && !existsSync(join(f.dir, "started")); i++) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    process.emit("SIGINT", "SIGINT");
    const err = await pending;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.message).toBe(`kubectl was interrupted (SIGINT) in stack ${stack.split("/").pop()}.`);
    expect(readFileSync(join(stack, "kubectl.log"), "utf8")).toContain("(exit by signal)");
  });

  it("does not follow a kubectl.log that is a symbolic link (the run goes on, the link target is untouched)", async () => {
    const f = fakeKubectl();
    const stack = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
    const victim = join(f.dir, "victim.txt");
    writeFileSync(victim, "keep\n");
    symlinkSync(victim, join(stack, "kubectl.log"));
    await new KubectlCli(new ProcessToolExec({ env: f.env })).apply(stack, ["k8s/a.yaml"]);
    expect(readFileSync(victim, "utf8")).toBe("keep\n");
  });

  it("refuses a MLPLAT_KUBECTL that is not executable (MLP_KUBECTL_NOT_FOUND) and a missing cloud CLI (MLP_CLOUD_CLI_NOT_FOUND)", () => {
    expect(() => findTool("kubectl", { MLPLAT_KUBECTL: "/nonexistent/kubectl", PATH: "" })).toThrow(
      expect.objectContaining({ code: "MLP_KUBECTL_NOT_FOUND", message: 'MLPLAT_KUBECTL is set to "/nonexistent/kubectl", which is not an executable file.' }),
    );
    expect(() => findTool("aws", { PATH: "/nonexistent" })).toThrow(expect.objectContaining({ code: "MLP_CLOUD_CLI_NOT_FOUND", message: "aws was not found on PATH." }));
  });
});
