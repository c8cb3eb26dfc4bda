import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runDestroy } from "../../src/engine/destroy.js";
import { ARGO_ROLLOUTS_CRD_NAMES } from "../../src/k8s/argo-rollouts.js";
import type { MlplatError } from "../../src/util/errors.js";
import { planStream, stateJson } from "../engine/fakes.js";
import { AWS_OUTPUTS, llmServing, phaseHarness } from "./engine-harness.js";
import { RECORDED } from "./recorded-kubectl.js";

const STACK = "llm-serving-default";
const PRUNE_SELECTOR = `app.kubernetes.io/managed-by=mlplat,app.kubernetes.io/part-of=${STACK},mlplat.io/endpoint`;

/** llm-serving with a canary rollout on its `runtime: kubernetes` chat endpoint, deployed (state, outputs). */
function deployedWithRollout() {
  const blueprint = llmServing().replace(
    "        autoscaling: { min: 1, max: 4, targetConcurrency: 16 }\n",
    "        autoscaling: { min: 1, max: 4, targetConcurrency: 16 }\n        rollout: { strategy: canary, canaryPercent: 20, bakeMinutes: 5 }\n",
  );
  if (!blueprint.includes("canaryPercent: 20")) throw new Error("llm-serving.yaml changed shape: update this test");
  const h = phaseHarness(blueprint);
  h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }, { address: "aws_sagemaker_endpoint.serving_embed" }, { address: "aws_iam_role.serving_chat" }]);
  h.runner.outputs[STACK] = AWS_OUTPUTS;
  h.runner.plans[STACK] = planStream([["aws_eks_cluster.cluster", "update"]]);
  return h;
}

const crdArgs = ARGO_ROLLOUTS_CRD_NAMES.map((c) => `crd/${c}`).join(" ");

describe("deploy with Argo Rollouts endpoints (RECORDED FAKE kubectl: no API server)", () => {
  it("applies the Argo Rollouts CRDs and controller, waits for the CRDs to be Established and the controller to roll out, and only then the Rollout", async () => {
    const h = deployedWithRollout();
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 1, available: 1, phase: "Healthy", step: 4, steps: 4 }]));
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);

    expect(report.status).toBe("applied");
    expect(h.exec.commands()).toEqual([
      // Before the confirmation: the prune listing of removed endpoints' objects (none here).
      `aws eks update-kubeconfig --region us-east-1 --name ${STACK} --kubeconfig K --alias ${STACK}`,
      `kubectl --kubeconfig K get horizontalpodautoscalers.autoscaling,deployments.apps,services,serviceaccounts -n mlplat-serving -l ${PRUNE_SELECTOR} -o json`,
      `kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l ${PRUNE_SELECTOR} -o json`,
      // After the terraform apply.
      `aws eks update-kubeconfig --region us-east-1 --name ${STACK} --kubeconfig K --alias ${STACK}`,
      "kubectl --kubeconfig K apply --server-side --field-manager=mlplat -f k8s/platform/argo-rollouts.yaml -f k8s/platform/cluster-autoscaler.yaml -f k8s/platform/nvidia-device-plugin.yaml",
      `kubectl --kubeconfig K wait --for=condition=Established ${crdArgs} --timeout=300s`,
      "kubectl --kubeconfig K rollout status deployment/argo-rollouts -n argo-rollouts --timeout=300s",
      "kubectl --kubeconfig K rollout status deployment/cluster-autoscaler -n kube-system --timeout=300s",
      "kubectl --kubeconfig K rollout status daemonset/nvidia-device-plugin-daemonset -n kube-system --timeout=300s",
      "kubectl --kubeconfig K apply --server-side --field-manager=mlplat -f k8s/namespace.yaml -f k8s/chat.yaml",
      "kubectl --kubeconfig K get deployments -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
      "kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
    ]);
    const steps = h.steps.map((s) => s.split(" ")[0]);
    expect(steps.indexOf("k8s-platform")).toBeLessThan(steps.indexOf("k8s-crds"));
    expect(steps.indexOf("k8s-crds")).toBeLessThan(steps.indexOf("k8s-endpoints"));
    expect(report.kubernetes?.[0]?.endpoints).toEqual([{ endpoint: "chat", available: 1, desired: 1, ready: true, rollout: { phase: "Healthy", step: 4, steps: 4, aborted: false } }]);
    expect(h.printed.join("\n")).toContain("  endpoint chat: ready (1/1 available, rollout Healthy; `mlplat status` follows it)");
  });

  it("reports a canary paused mid-rollout and a degraded one as they are, without failing the deploy", async () => {
    const h = deployedWithRollout();
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 2, available: 2, phase: "Paused", step: 1, steps: 4, current: "7f9c6d5b8" }]));
    const paused = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(paused.kubernetes?.[0]?.endpoints[0]).toMatchObject({ ready: true, rollout: { phase: "Paused", step: 1, steps: 4 } });
    expect(h.printed.join("\n")).toContain("  endpoint chat: ready (2/2 available, rollout Paused at step 1/4; `mlplat status` follows it)");

    const g = deployedWithRollout();
    g.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 1, available: 1, phase: "Degraded", message: "ProgressDeadlineExceeded", step: 0, steps: 4, abort: true }]));
    const degraded = await runDeploy(g.synth.file, { autoApprove: true }, g.deps);
    expect(degraded.kubernetes?.[0]?.endpoints[0]).toMatchObject({ ready: false, rollout: { phase: "Degraded", aborted: true } });
    expect(g.printed.join("\n")).toContain("  endpoint chat: not ready yet (1/1 available, rollout aborted; `mlplat status` follows it)");
  });

  it("stops before the endpoints are applied when the CRDs are not Established in time (MLP_K8S_ROLLOUT_TIMEOUT)", async () => {
    const h = deployedWithRollout();
    h.exec.on("kubectl", ["wait", "--for=condition=Established"], { code: 1, stdout: "", stderr: "error: timed out waiting for the condition on customresourcedefinitions/rollouts.argoproj.io\n" });
    const err = (await runDeploy(h.synth.file, { autoApprove: true, rolloutTimeoutSeconds: 60 }, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_K8S_ROLLOUT_TIMEOUT");
    expect(err.message).toBe(`the CustomResourceDefinitions ${ARGO_ROLLOUTS_CRD_NAMES.join(", ")} were not Established within 60s (stack ${STACK}).`);
    expect(h.exec.commands().filter((c) => c.includes("k8s/chat.yaml"))).toEqual([]);
  });

  it("destroy deletes the Rollout's endpoint file before the Argo Rollouts controller and CRDs", async () => {
    const h = deployedWithRollout();
    h.runner.plans[STACK] = planStream([["aws_eks_cluster.cluster", "delete"]]);
    await runDestroy(h.synth.file, { autoApprove: true }, h.deps);
    const deletes = h.exec.commands().filter((c) => c.includes(" delete "));
    expect(deletes).toEqual([
      "kubectl --kubeconfig K delete --ignore-not-found --wait --timeout=300s -f k8s/chat.yaml -f k8s/namespace.yaml",
      "kubectl --kubeconfig K delete --ignore-not-found --wait --timeout=300s -f k8s/platform/nvidia-device-plugin.yaml -f k8s/platform/cluster-autoscaler.yaml -f k8s/platform/argo-rollouts.yaml",
    ]);
  });
});
