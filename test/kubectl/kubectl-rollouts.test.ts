import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KubectlCli } from "../../src/kubectl/kubectl-cli.js";
import type { MlplatError } from "../../src/util/errors.js";
import { RECORDED, RecordedExec } from "./recorded-kubectl.js";

const stackDir = () => mkdtempSync(join(tmpdir(), "mlplat-kubectl-"));
const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as MlplatError;

describe("KubectlCli and Argo Rollouts over a RECORDED FAKE of kubectl (no API server)", () => {
  it("waits for CRDs with kubectl wait --for=condition=Established, the stack's kubeconfig, and no call for none", async () => {
    const dir = stackDir();
    const exec = new RecordedExec();
    const kubectl = new KubectlCli(exec);
    await kubectl.waitEstablished(dir, [], 60);
    expect(exec.calls).toEqual([]);
    await kubectl.waitEstablished(dir, ["rollouts.argoproj.io", "analysisruns.argoproj.io"], 60);
    expect(exec.calls[0]).toMatchObject({
      tool: "kubectl",
      args: ["--kubeconfig", join(dir, "kubeconfig"), "wait", "--for=condition=Established", "crd/rollouts.argoproj.io", "crd/analysisruns.argoproj.io", "--timeout=60s"],
      logFile: join(dir, "kubectl.log"),
    });
  });

  it("reads Rollouts down to replicas, phase, step and revisions; a Rollout the controller has not seen yet has defaults", async () => {
    const exec = new RecordedExec().on("kubectl", ["get", "rollouts.argoproj.io"], {
      code: 0,
      stderr: "",
      stdout: JSON.stringify({
        items: [
          ...JSON.parse(RECORDED.rollouts([{ name: "chat", replicas: 4, available: 4, updated: 1, phase: "Paused", message: "CanaryPauseStep", step: 1, steps: 4, stable: "aaa", current: "bbb" }]).stdout).items,
          { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "rank" }, spec: {} },
        ],
      }),
    });
    const got = await new KubectlCli(exec).rollouts(stackDir(), "mlplat-serving", "app.kubernetes.io/managed-by=mlplat");
    expect(exec.commands()).toEqual(["kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json"]);
    expect(exec.calls[0]!.quietStdout).toBe(true);
    expect(got).toEqual([
      { name: "chat", endpoint: "chat", desired: 4, available: 4, updated: 1, phase: "Paused", message: "CanaryPauseStep", step: 1, steps: 4, aborted: false, stableRevision: "aaa", currentRevision: "bbb" },
      { name: "rank", endpoint: undefined, desired: 1, available: 0, updated: 0, phase: undefined, message: undefined, step: undefined, steps: 0, aborted: false, stableRevision: undefined, currentRevision: undefined },
    ]);
  });

  it("says MLP_KUBECTL_FAILED when kubectl prints something that is not a Rollout list, and when the CRD is not installed", async () => {
    const dir = stackDir();
    const garbled = new RecordedExec().on("kubectl", ["get", "rollouts.argoproj.io"], { code: 0, stdout: "<html>proxy error</html>", stderr: "" });
    const err = await failure(new KubectlCli(garbled).rollouts(dir, "mlplat-serving", "x=y"));
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.message).toMatch(/^kubectl get rollouts\.argoproj\.io in stack mlplat-kubectl-\w+ printed output mlplat cannot read: /);

    const noCrd = new RecordedExec().on("kubectl", ["get", "rollouts.argoproj.io"], {
      code: 1,
      stdout: "",
      stderr: 'error: the server doesn\'t have a resource type "rollouts"\n',
    });
    const missing = await failure(new KubectlCli(noCrd).rollouts(dir, "mlplat-serving", "x=y"));
    expect(missing.code).toBe("MLP_KUBECTL_FAILED");
    expect(missing.message).toMatch(/^kubectl get rollouts failed in stack mlplat-kubectl-\w+ \(exit 1\)\.$/);
  });
});
