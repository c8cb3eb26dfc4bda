import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runDestroy } from "../../src/engine/destroy.js";
import type { MlplatError } from "../../src/util/errors.js";
import { planStream, stateJson } from "./fakes.js";
import { AWS_OUTPUTS, llmServing, out, phaseHarness } from "../kubectl/engine-harness.js";
import { RECORDED } from "../kubectl/recorded-kubectl.js";

const STACK = "llm-serving-default";
const PRUNE_SELECTOR = `app.kubernetes.io/managed-by=mlplat,app.kubernetes.io/part-of=${STACK},mlplat.io/endpoint`;
const CHANGES = planStream([["aws_eks_cluster.cluster", "update"]]);

/** An llm-serving harness whose stack is deployed (state, outputs, the embed image pushed): only the kubernetes phase is new. */
function deployed(blueprint = llmServing()) {
  const h = phaseHarness(blueprint);
  h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }, { address: "aws_sagemaker_endpoint.serving_embed" }, { address: "aws_iam_role.serving_chat" }]);
  h.runner.outputs[STACK] = AWS_OUTPUTS;
  h.runner.plans[STACK] = CHANGES;
  return h;
}

describe("deploy's Kubernetes layer (RECORDED FAKE kubectl: no API server)", () => {
  it("after the terraform apply: credentials into the stack's kubeconfig, k8s/platform/ applied and rolled out, then k8s/, then readiness", async () => {
    const h = deployed();
    h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 1, available: 1 }]));
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);

    expect(report.status).toBe("applied");
    expect(h.exec.commands()).toEqual([
      // Before the confirmation: the prune listing of removed endpoints' objects (none here).
      `aws eks update-kubeconfig --region us-east-1 --name ${STACK} --kubeconfig K --alias ${STACK}`,
      `kubectl --kubeconfig K get horizontalpodautoscalers.autoscaling,deployments.apps,services,serviceaccounts -n mlplat-serving -l ${PRUNE_SELECTOR} -o json`,
      `kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l ${PRUNE_SELECTOR} -o json`,
      // After the terraform apply.
      `aws eks update-kubeconfig --region us-east-1 --name ${STACK} --kubeconfig K --alias ${STACK}`,
      "kubectl --kubeconfig K apply --server-side --field-manager=mlplat -f k8s/platform/cluster-autoscaler.yaml -f k8s/platform/nvidia-device-plugin.yaml",
      "kubectl --kubeconfig K rollout status deployment/cluster-autoscaler -n kube-system --timeout=300s",
      "kubectl --kubeconfig K rollout status daemonset/nvidia-device-plugin-daemonset -n kube-system --timeout=300s",
      "kubectl --kubeconfig K apply --server-side --field-manager=mlplat -f k8s/namespace.yaml -f k8s/chat.yaml",
      "kubectl --kubeconfig K get deployments -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
    ]);
    // The kubeconfig is the stack folder's own, never ~/.kube/config.
    const kubeconfig = `${h.synth.outDir}/stacks/${STACK}/kubeconfig`;
    expect(h.exec.calls.every((c) => c.args.includes(kubeconfig) && c.env?.KUBECONFIG === kubeconfig)).toBe(true);
    // Terraform first, then the cluster: one timeline.
    const steps = h.steps.map((s) => s.split(" ")[0]);
    expect(steps.indexOf("k8s-prune-list")).toBeLessThan(steps.indexOf("apply"));
    expect(steps.indexOf("apply")).toBeLessThan(steps.lastIndexOf("credentials"));
    expect(steps.indexOf("k8s-platform")).toBeLessThan(steps.indexOf("rollout"));
    expect(steps.lastIndexOf("rollout")).toBeLessThan(steps.indexOf("k8s-endpoints"));
    expect(report.kubernetes).toEqual([
      {
        stack: STACK,
        status: "applied",
        files: ["k8s/platform/cluster-autoscaler.yaml", "k8s/platform/nvidia-device-plugin.yaml", "k8s/namespace.yaml", "k8s/chat.yaml"],
        endpoints: [{ endpoint: "chat", available: 1, desired: 1, ready: true }],
      },
    ]);
    expect(h.printed.join("\n")).toContain(`Stack ${STACK}: Kubernetes layer applied (2 add-on files rolled out, 1 endpoint).\n  endpoint chat: ready (1/1 available)`);
  });

  it("reports an endpoint whose Deployment has no available replica as not ready, without failing the deploy", async () => {
    const h = deployed();
    h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 1 }]));
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.kubernetes?.[0]?.endpoints).toEqual([{ endpoint: "chat", available: 0, desired: 1, ready: false }]);
    expect(h.printed.join("\n")).toContain("  endpoint chat: not ready yet (0/1 available; GPU nodes can take minutes to scale up");
  });

  it("stops with MLP_K8S_ROLLOUT_TIMEOUT when an add-on does not roll out in time, before the endpoints are applied", async () => {
    const h = deployed();
    h.exec.on("kubectl", ["rollout", "status"], RECORDED.rolloutTimeout);
    const err = (await runDeploy(h.synth.file, { autoApprove: true, rolloutTimeoutSeconds: 90 }, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_K8S_ROLLOUT_TIMEOUT");
    expect(err.message).toBe(`Deployment kube-system/cluster-autoscaler did not finish rolling out within 90s (stack ${STACK}).`);
    expect(h.exec.commands().filter((c) => c.includes("k8s/chat.yaml"))).toEqual([]);
  });

  it("stops with MLP_KUBECTL_CONFLICT on a recorded server-side apply conflict of the endpoints", async () => {
    const h = deployed();
    h.exec.on("kubectl", ["apply", "k8s/chat.yaml"], RECORDED.applyConflict);
    const err = (await runDeploy(h.synth.file, { autoApprove: true }, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_KUBECTL_CONFLICT");
    expect(err.message).toBe(`kubectl apply in stack ${STACK} conflicts with fields owned by "kube-controller-manager"; nothing in the conflicting object was changed.`);
  });

  it("runs no kubectl at all with --skip-kubernetes and says where k8s/ is", async () => {
    const h = deployed();
    const report = await runDeploy(h.synth.file, { autoApprove: true, skipKubernetes: true }, h.deps);
    expect(h.exec.calls.filter((c) => c.tool === "kubectl" || c.args.includes("update-kubeconfig"))).toEqual([]);
    expect(report.kubernetes).toEqual([{ stack: STACK, status: "skipped", reason: "--skip-kubernetes", files: [], endpoints: [] }]);
    expect(h.printed.join("\n")).toContain(`Stack ${STACK}: --skip-kubernetes: k8s/ was not applied; apply ${h.synth.outDir}/stacks/${STACK}/k8s through GitOps`);
  });

  it("runs no kubectl on --offline", async () => {
    const h = deployed();
    await runDeploy(h.synth.file, { offline: true }, h.deps);
    expect(h.exec.calls).toEqual([]);
  });

  it("refuses (MLP_CLUSTER_NO_ACCESS_PATH, exit 1) a private EKS cluster without adminCidrs before any terraform step", async () => {
    const h = deployed(llmServing({ adminCidrs: [] }));
    const err = (await runDeploy(h.synth.file, { autoApprove: true }, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_CLUSTER_NO_ACCESS_PATH");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      "Deploy refused: mlplat could not apply k8s/ after the terraform apply: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. Nothing was applied.",
    );
    expect(h.runner.calls).toEqual([]);
    expect(h.exec.calls).toEqual([]);
  });

  it("deploys the same blueprint with --skip-kubernetes (Terraform only)", async () => {
    const h = deployed(llmServing({ adminCidrs: [] }));
    const report = await runDeploy(h.synth.file, { autoApprove: true, skipKubernetes: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(h.runner.methods()).toContain(`apply ${STACK}`);
  });

  it("refuses a private AKS cluster without adminCidrs the same way (--env azure), and never GKE, reached through its DNS endpoint (--env gcp)", async () => {
    const h = phaseHarness(llmServing({ adminCidrs: [] }));
    const err = (await runDeploy(h.synth.file, { autoApprove: true, env: "azure" }, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_CLUSTER_NO_ACCESS_PATH");
    expect(err.message).toContain("the AKS API endpoint is private and network.adminCidrs is empty");
    const g = phaseHarness(llmServing({ adminCidrs: [] }));
    g.runner.outputs["llm-serving-gcp"] = { region: out("us-central1"), cluster_name: out("llm-serving-gcp"), registry_urls: out({}) };
    g.runner.states["llm-serving-gcp"] = stateJson([{ address: "google_cloud_run_v2_service.serving_embed" }, { address: "google_service_account.serving_chat" }]);
    const report = await runDeploy(g.synth.file, { autoApprove: true, env: "gcp" }, g.deps);
    expect(report.status).toBe("no-changes");
    expect(g.exec.commands()[0]).toBe("gcloud container clusters get-credentials llm-serving-gcp --location us-central1 --project llm-serving-demo --dns-endpoint");
  });

  it("AKS (--env azure): credentials with az aks get-credentials --file, then kubelogin for Entra ID", async () => {
    const h = phaseHarness(llmServing());
    const stack = "llm-serving-azure";
    h.runner.states[stack] = stateJson([{ address: "azurerm_container_app.serving_embed" }, { address: "azurerm_user_assigned_identity.serving_chat" }]);
    h.runner.outputs[stack] = { region: out("eastus"), cluster_name: out("llm-serving-azure-aks"), resource_group: out("llm-serving-azure") };
    await runDeploy(h.synth.file, { autoApprove: true, env: "azure" }, h.deps);
    expect(h.exec.commands().slice(0, 2)).toEqual([
      "az aks get-credentials --resource-group llm-serving-azure --name llm-serving-azure-aks --subscription 00000000-0000-0000-0000-000000000000 --file K --overwrite-existing",
      "kubelogin convert-kubeconfig -l azurecli --kubeconfig K",
    ]);
  });
});

describe("destroy deletes the Kubernetes objects first (RECORDED FAKE kubectl)", () => {
  it("deletes the endpoints, their namespace, then the add-ons, after confirmation and before the terraform destroy", async () => {
    const h = deployed();
    h.runner.plans[STACK] = planStream([["aws_eks_cluster.cluster", "delete"]]);
    await runDestroy(h.synth.file, { autoApprove: true }, h.deps);
    expect(h.exec.commands().filter((c) => c.startsWith("kubectl"))).toEqual([
      "kubectl --kubeconfig K delete --ignore-not-found --wait --timeout=300s -f k8s/chat.yaml -f k8s/namespace.yaml",
      "kubectl --kubeconfig K delete --ignore-not-found --wait --timeout=300s -f k8s/platform/nvidia-device-plugin.yaml -f k8s/platform/cluster-autoscaler.yaml",
    ]);
    const steps = h.steps.map((s) => s.split(" ")[0]);
    expect(steps.indexOf("plan-destroy")).toBeLessThan(steps.indexOf("k8s-delete-endpoints"));
    expect(steps.indexOf("k8s-delete-platform")).toBeLessThan(steps.indexOf("destroy"));
  });

  it("leaves them to the cluster with --skip-kubernetes, and when the cluster is not in state", async () => {
    const h = deployed();
    h.runner.plans[STACK] = planStream([["aws_eks_cluster.cluster", "delete"]]);
    await runDestroy(h.synth.file, { autoApprove: true, skipKubernetes: true }, h.deps);
    expect(h.exec.calls).toEqual([]);

    const g = deployed();
    g.runner.outputs[STACK] = {};
    g.runner.plans[STACK] = planStream([["aws_s3_bucket.storage_models", "delete"]]);
    await runDestroy(g.synth.file, { autoApprove: true }, g.deps);
    expect(g.exec.calls).toEqual([]);
    expect(g.printed.join("\n")).toContain(`Stack ${STACK}: Kubernetes objects not deleted first (no cluster in the state); they are deleted with the cluster.`);
  });
});
