import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import { KubernetesPrune, renderPrune, staleObjects } from "../../src/engine/kubernetes-prune.js";
import type { MlplatError } from "../../src/util/errors.js";
import { planStream, stateJson } from "./fakes.js";
import { AWS_OUTPUTS, llmServing, phaseHarness } from "../kubectl/engine-harness.js";
import { RECORDED } from "../kubectl/recorded-kubectl.js";

/**
 * Deploy's prune of removed endpoints (src/engine/kubernetes-prune.ts) over the RECORDED FAKE
 * kubectl (test/kubectl/recorded-kubectl.ts): no API server exists on the machines these tests
 * run on, so the answers of `kubectl get … -o json` are written by hand in kubectl's JSON shape
 * (a `List` of objects with apiVersion, kind and metadata), not captured from a cluster. Some
 * answers hold objects a real server would have filtered out by the label selector (another
 * stack's, an unlabelled one, one in another namespace) to prove that prune checks each object
 * itself and never relies on the selector alone.
 */
const STACK = "llm-serving-default";
const SELECTOR = `app.kubernetes.io/managed-by=mlplat,app.kubernetes.io/part-of=${STACK},mlplat.io/endpoint`;
const CORE = "horizontalpodautoscalers.autoscaling,deployments.apps,services,serviceaccounts";

type Listed = { apiVersion: string; kind: string; name: string; namespace?: string; labels?: Record<string, string> };

/** The labels src/k8s/endpoint.ts writes on every object of an endpoint. */
const labels = (endpoint: string, stack = STACK) => ({
  "app.kubernetes.io/name": endpoint,
  "mlplat.io/endpoint": endpoint,
  "app.kubernetes.io/part-of": stack,
  "app.kubernetes.io/managed-by": "mlplat",
  "mlplat.io/pool": "llm",
});
/** An endpoint's ServiceAccount, Deployment, Service and HPA as the cluster lists them. */
const endpointObjects = (endpoint: string, stack = STACK): Listed[] => [
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", name: endpoint, labels: labels(endpoint, stack) },
  { apiVersion: "apps/v1", kind: "Deployment", name: endpoint, labels: labels(endpoint, stack) },
  { apiVersion: "v1", kind: "Service", name: endpoint, labels: labels(endpoint, stack) },
  { apiVersion: "v1", kind: "ServiceAccount", name: endpoint, labels: labels(endpoint, stack) },
];

/** llm-serving deployed (state, outputs): the cluster lists `objects` for this stack's selector. */
function deployed(objects: Listed[], options: { answer?: boolean; changes?: boolean; rollouts?: Listed[] } = {}) {
  const h = phaseHarness(llmServing());
  h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }, { address: "aws_sagemaker_endpoint.serving_embed" }, { address: "aws_iam_role.serving_chat" }]);
  h.runner.outputs[STACK] = AWS_OUTPUTS;
  h.runner.plans[STACK] = planStream(options.changes === false ? [] : [["aws_eks_cluster.cluster", "update"]]);
  h.exec.on("kubectl", ["get", CORE], RECORDED.objects(objects));
  h.exec.on("kubectl", ["get", "rollouts.argoproj.io", "-l", SELECTOR], RECORDED.objects(options.rollouts ?? []));
  h.exec.on("kubectl", ["delete", "-n", "mlplat-serving"], RECORDED.objectsDeleted);
  const questions: string[] = [];
  if (options.answer !== undefined) {
    (h.deps.ui as { confirm?: (q: string) => Promise<boolean> }).confirm = async (q) => {
      questions.push(q);
      return options.answer!;
    };
  }
  return { ...h, questions };
}

const kubectlDeletes = (h: { exec: { commands(): string[] } }) => h.exec.commands().filter((c) => c.startsWith("kubectl") && c.includes(" delete "));
const OLD_CHAT_DELETE =
  "kubectl --kubeconfig K delete -n mlplat-serving --ignore-not-found --wait --timeout=300s " +
  "horizontalpodautoscalers.autoscaling/old-chat deployments.apps/old-chat services/old-chat serviceaccounts/old-chat";

describe("deploy deletes the Kubernetes objects of endpoints removed from the blueprint (RECORDED FAKE kubectl, hand-written JSON)", () => {
  it("lists them before the apply, then, with --allow-disruption, deletes exactly them after the current endpoints are applied", async () => {
    const h = deployed([...endpointObjects("chat"), ...endpointObjects("old-chat")]);
    const report = await runDeploy(h.synth.file, { autoApprove: true, allowDisruption: true }, h.deps);

    expect(report.status).toBe("applied");
    const printed = h.printed.join("\n");
    expect(printed).toContain(
      [
        `Stack ${STACK}, Kubernetes (${SELECTOR} in namespace mlplat-serving):`,
        "  WARNING: running parts of the platform would be deleted (deploy needs --allow-disruption):",
        '    - k8s: delete HorizontalPodAutoscaler mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint)',
        '    - k8s: delete Deployment mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint)',
        '    - k8s: delete Service mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint)',
        '    - k8s: delete ServiceAccount mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint)',
      ].join("\n"),
    );
    // The listing is scoped: the serving namespace, this stack's labels.
    expect(h.exec.commands()).toContain(`kubectl --kubeconfig K get ${CORE} -n mlplat-serving -l ${SELECTOR} -o json`);
    expect(kubectlDeletes(h)).toEqual([OLD_CHAT_DELETE]);
    // Shown before the apply, deleted after the endpoints are applied (make before break), before readiness is read.
    const cmds = h.exec.commands();
    const steps = h.steps.map((s) => s.split(" ")[0]);
    expect(steps.indexOf("k8s-prune-list")).toBeLessThan(steps.indexOf("apply"));
    expect(cmds.indexOf(OLD_CHAT_DELETE)).toBeGreaterThan(cmds.findIndex((c) => c.includes("-f k8s/chat.yaml")));
    expect(cmds.indexOf(OLD_CHAT_DELETE)).toBeLessThan(cmds.findIndex((c) => c.includes("get deployments -n mlplat-serving")));
    expect(report.kubernetes?.[0]?.deleted).toEqual([
      "HorizontalPodAutoscaler mlplat-serving/old-chat",
      "Deployment mlplat-serving/old-chat",
      "Service mlplat-serving/old-chat",
      "ServiceAccount mlplat-serving/old-chat",
    ]);
    expect(report.prune).toEqual([expect.objectContaining({ stack: STACK, read: true, leftovers: [] })]);
    expect(printed).toContain(`Stack ${STACK}: deleted the Kubernetes objects of endpoints removed from the blueprint: HorizontalPodAutoscaler mlplat-serving/old-chat, Deployment`);
  });

  it("never touches another stack's objects, unlabelled ones, other namespaces or kinds, even when listed", async () => {
    const h = deployed([
      ...endpointObjects("old-chat"),
      ...endpointObjects("rank", "search-prod"),
      { apiVersion: "apps/v1", kind: "Deployment", name: "hand-made" },
      { apiVersion: "apps/v1", kind: "Deployment", name: "debug", labels: { "app.kubernetes.io/managed-by": "helm", "mlplat.io/endpoint": "debug", "app.kubernetes.io/part-of": STACK } },
      { apiVersion: "apps/v1", kind: "Deployment", name: "elsewhere", namespace: "default", labels: labels("elsewhere") },
      { apiVersion: "serving.knative.dev/v1", kind: "Service", name: "kn", labels: labels("kn") },
    ]);
    const report = await runDeploy(h.synth.file, { autoApprove: true, allowDisruption: true }, h.deps);
    expect(kubectlDeletes(h)).toEqual([OLD_CHAT_DELETE]);
    expect(report.prune?.[0]?.deletions.map((d) => `${d.kind}/${d.name}`)).toEqual(["HorizontalPodAutoscaler/old-chat", "Deployment/old-chat", "Service/old-chat", "ServiceAccount/old-chat"]);
    expect(h.printed.join("\n")).not.toMatch(/rank|hand-made|debug|elsewhere|"kn"/);
  });

  it("refuses without --allow-disruption (MLP_DISRUPTION, exit 1) before anything is applied or deleted, non-interactive and at a terminal alike", async () => {
    const h = deployed([...endpointObjects("chat"), ...endpointObjects("old-chat")]);
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("refused");
    const err = report.error as MlplatError;
    expect(err.code).toBe("MLP_DISRUPTION");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe("Deploy refused: the plan would destroy or replace 4 running parts of the platform. Nothing was applied.");
    expect(err.details).toContain(`  - k8s: delete Deployment mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint) in ${STACK}`);
    expect(err.hint).toBe(
      "the Kubernetes objects of an endpoint removed from the blueprint would be deleted (its pods stop serving and free their nodes). " +
        "Restore the endpoint in the blueprint, or run again with --allow-disruption if removing it is intended.",
    );
    expect(h.runner.methods()).not.toContain(`apply ${STACK}`);
    expect(h.exec.commands().filter((c) => / (apply|delete) /.test(c))).toEqual([]);

    // At a terminal the guard is the same as the terraform one's: no question is asked.
    const t = deployed(endpointObjects("old-chat"), { answer: true });
    expect((await runDeploy(t.synth.file, {}, t.deps)).status).toBe("refused");
    expect(t.questions).toEqual([]);
    expect(kubectlDeletes(t)).toEqual([]);
  });

  it("asks at a terminal with --allow-disruption, even when terraform has nothing to change; 'no' deletes nothing", async () => {
    const h = deployed(endpointObjects("old-chat"), { answer: false, changes: false });
    const report = await runDeploy(h.synth.file, { allowDisruption: true }, h.deps);
    expect(h.questions).toEqual(['Delete the Kubernetes objects listed above? Only "yes" deletes: ']);
    expect(report.status).toBe("declined");
    expect(kubectlDeletes(h)).toEqual([]);

    const y = deployed(endpointObjects("old-chat"), { answer: true });
    await runDeploy(y.synth.file, { allowDisruption: true }, y.deps);
    expect(y.questions).toEqual([`Apply the plan above to ${STACK}? The Kubernetes objects listed above are deleted too. Only "yes" applies: `]);
    expect(kubectlDeletes(y)).toEqual([OLD_CHAT_DELETE]);
  });

  it("with --skip-kubernetes neither lists nor deletes, and is not refused", async () => {
    const h = deployed(endpointObjects("old-chat"));
    const report = await runDeploy(h.synth.file, { autoApprove: true, skipKubernetes: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(h.exec.calls).toEqual([]);
    expect(report.prune).toBeUndefined();
    expect(h.printed.join("\n")).toContain("Objects of endpoints removed from the blueprint were not looked for: delete them through GitOps too.");
  });

  it("makes no kubectl delete call when nothing is stale, and no question when terraform has nothing to change either", async () => {
    const h = deployed(endpointObjects("chat"), { answer: true, changes: false });
    const report = await runDeploy(h.synth.file, {}, h.deps);
    expect(report.status).toBe("no-changes");
    expect(h.questions).toEqual([]);
    expect(kubectlDeletes(h)).toEqual([]);
    // Listed once before (nothing to review), not again after the apply.
    expect(h.exec.commands().filter((c) => c.includes(`get ${CORE}`))).toHaveLength(1);
    expect(h.printed.join("\n")).not.toContain("k8s: delete");
  });

  it("keeps the objects of an endpoint deferred until its image is pushed (not in this synth's manifests) and says so", async () => {
    const h = deployed(endpointObjects("chat"));
    // chat is not in the state and its image is not pushed: the image phase defers it (no k8s/chat.yaml).
    h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }, { address: "aws_sagemaker_endpoint.serving_embed" }]);
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrImageMissing);
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("partial");
    expect(kubectlDeletes(h)).toEqual([]);
    expect(report.prune?.[0]?.deletions).toEqual([]);
    expect(h.printed.join("\n")).toContain('  left in place: Deployment mlplat-serving/chat: its endpoint "chat" is still in the blueprint (or waits for its image)');
  });

  it("leaves a Rollout whose endpoint is still declared (rollout turned off) in place, naming the manual steps; a missing Argo CRD lists as none", async () => {
    const rollout: Listed = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "chat", labels: labels("chat") };
    const h = deployed(endpointObjects("chat"), { rollouts: [rollout] });
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(kubectlDeletes(h)).toEqual([]);
    expect(h.printed.join("\n")).toContain("left in place: Rollout mlplat-serving/chat: its endpoint \"chat\" is still in the blueprint (or waits for its image) and mlplat deletes only objects of removed endpoints; after turning `rollout` off, scale the Deployment up and delete the Rollout by hand (README).");

    const n = deployed(endpointObjects("old-chat"));
    n.exec.on("kubectl", ["get", "rollouts.argoproj.io", "-l", SELECTOR], RECORDED.unknownRolloutType);
    await runDeploy(n.synth.file, { autoApprove: true, allowDisruption: true }, n.deps);
    expect(kubectlDeletes(n)).toEqual([OLD_CHAT_DELETE]);
  });

  it("after the apply deletes only what was reviewed: an object that became stale since is named and left for the next deploy", async () => {
    const h = deployed([]);
    let listings = 0;
    h.exec.on("kubectl", ["get", CORE], () => RECORDED.objects(++listings === 1 ? endpointObjects("old-chat").slice(1, 2) : endpointObjects("old-chat")));
    const report = await runDeploy(h.synth.file, { autoApprove: true, allowDisruption: true }, h.deps);
    expect(kubectlDeletes(h)).toEqual(["kubectl --kubeconfig K delete -n mlplat-serving --ignore-not-found --wait --timeout=300s deployments.apps/old-chat"]);
    expect(report.kubernetes?.[0]?.leftInPlace).toEqual(["HorizontalPodAutoscaler mlplat-serving/old-chat", "Service mlplat-serving/old-chat", "ServiceAccount mlplat-serving/old-chat"]);
    expect(h.printed.join("\n")).toContain("left in place, not reviewed before the apply: HorizontalPodAutoscaler mlplat-serving/old-chat");
  });

  it("a cluster it cannot read before the apply is said, nothing is refused or deleted on its account", async () => {
    const h = deployed(endpointObjects("old-chat"));
    let listings = 0;
    h.exec.on("kubectl", ["get", CORE], () => (++listings === 1 ? RECORDED.unreachable : RECORDED.objects(endpointObjects("old-chat"))));
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(h.printed.join("\n")).toContain(`Stack ${STACK}, Kubernetes: the cluster was not read (MLP_KUBECTL_FAILED: kubectl get ${CORE} failed in stack ${STACK} (exit 1).)`);
    expect(kubectlDeletes(h)).toEqual([]);
    expect(report.kubernetes?.[0]?.leftInPlace).toHaveLength(4);
    expect(h.printed.join("\n")).toContain("are not listed; this run deletes none.");
  });

  it("deletes nothing, and says nothing was deleted, when the reviewed objects are gone by the time the endpoints are applied", async () => {
    const h = deployed([]);
    let listings = 0;
    h.exec.on("kubectl", ["get", CORE], () => RECORDED.objects(++listings === 1 ? endpointObjects("old-chat") : []));
    const report = await runDeploy(h.synth.file, { autoApprove: true, allowDisruption: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(listings).toBe(2);
    expect(kubectlDeletes(h)).toEqual([]);
    const printed = h.printed.join("\n");
    expect(printed).not.toContain("deleted the Kubernetes objects");
    expect(printed).not.toContain("not reviewed before the apply");
  });

  it("lists nothing while the cluster is not in the state yet (nothing can run on it), and says nothing about it", async () => {
    const h = deployed(endpointObjects("old-chat"), { changes: false });
    const { cluster_name: _cluster, ...noCluster } = AWS_OUTPUTS;
    h.runner.outputs[STACK] = noCluster;
    const report = await runPlan(h.synth.file, {}, h.deps);
    expect(report.prune).toEqual([{ stack: STACK, read: true, deletions: [], leftovers: [] }]);
    expect(h.exec.calls).toEqual([]);
    expect(h.printed.join("\n")).not.toContain("Kubernetes");
  });

  it("a deferred endpoint's objects stay out of the deletions after the apply too, and are not called unreviewed", async () => {
    const h = deployed([...endpointObjects("chat"), ...endpointObjects("old-chat")]);
    h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }, { address: "aws_sagemaker_endpoint.serving_embed" }]);
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrImageMissing);
    await runDeploy(h.synth.file, { autoApprove: true, allowDisruption: true }, h.deps);
    expect(kubectlDeletes(h)).toEqual([OLD_CHAT_DELETE]);
    expect(h.printed.join("\n")).not.toContain("not reviewed before the apply");
  });

  it("without an access path to the cluster API it does not try, and says why", async () => {
    const h = phaseHarness(llmServing({ adminCidrs: [] }));
    h.runner.states[STACK] = stateJson([{ address: "aws_eks_cluster.cluster" }]);
    h.runner.outputs[STACK] = AWS_OUTPUTS;
    h.runner.plans[STACK] = planStream([]);
    const report = await runPlan(h.synth.file, {}, h.deps);
    expect(report.prune?.[0]).toMatchObject({ read: false, reason: expect.stringMatching(/^no access path: /) });
    expect(h.exec.calls).toEqual([]);
  });

  it("a Ctrl-C while listing stops the run: it is not taken for an unreadable cluster", async () => {
    const h = deployed(endpointObjects("old-chat"), { changes: false });
    h.exec.on("kubectl", ["get", CORE], { code: null, stdout: "", stderr: "", interrupted: "SIGINT" });
    const err = (await runPlan(h.synth.file, {}, h.deps).catch((e: unknown) => e)) as MlplatError;
    expect(err.message).toMatch(/was interrupted \(SIGINT\)/);
    expect(h.printed.join("\n")).not.toContain("the cluster was not read");
  });

  it("previews nothing for a blueprint without a cluster, or for another stack: no kubectl, no line", async () => {
    const h = deployed(endpointObjects("old-chat"));
    const synth = await h.synth(h.synth.file, { env: "default", offline: false });
    const stack = synth.stacks[0]!;
    const noCluster = new KubernetesPrune(h.deps, { ...synth.model!, cluster: undefined }, { command: "plan", offline: false });
    expect(await noCluster.preview(stack)).toBeUndefined();
    const otherStack = new KubernetesPrune(h.deps, synth.model!, { command: "plan", offline: false });
    expect(await otherStack.preview({ ...stack, name: "llm-serving-prod" })).toBeUndefined();
    expect([...noCluster.reports, ...otherStack.reports]).toEqual([]);
    expect(h.exec.calls).toEqual([]);
    expect(h.printed).toEqual([]);
  });

  it("a cluster whose credentials cannot be fetched is said (not read), and plan goes on", async () => {
    const h = deployed(endpointObjects("old-chat"), { changes: false });
    h.exec.on("aws", ["eks", "update-kubeconfig"], RECORDED.credentialsExpired);
    const report = await runPlan(h.synth.file, {}, h.deps);
    expect(report.prune?.[0]).toMatchObject({ read: false, reason: expect.stringMatching(/^MLP_CLUSTER_CREDENTIALS_FAILED: /) });
    expect(h.exec.commands().filter((c) => c.startsWith("kubectl"))).toEqual([]);
  });
});

describe("plan lists what deploy would delete from the cluster", () => {
  it("with the terraform summary, and counts it as a change (--detailed-exitcode)", async () => {
    const h = deployed(endpointObjects("old-chat"), { changes: false });
    const report = await runPlan(h.synth.file, {}, h.deps);
    expect(report.changes).toBe(true);
    expect(report.prune?.[0]?.deletions).toHaveLength(4);
    expect(h.printed.join("\n")).toContain(`Stack ${STACK}: no changes.\nStack ${STACK}, Kubernetes (${SELECTOR} in namespace mlplat-serving):\n  WARNING: running parts`);
    expect(kubectlDeletes(h)).toEqual([]);
  });

  it("offline it does not read the cluster and says so", async () => {
    const h = deployed(endpointObjects("old-chat"), { changes: false });
    const report = await runPlan(h.synth.file, { offline: true }, h.deps);
    expect(h.exec.calls).toEqual([]);
    expect(report.changes).toBe(false);
    expect(report.prune).toEqual([{ stack: STACK, read: false, reason: "--offline", deletions: [], leftovers: [] }]);
    expect(h.printed.join("\n")).toContain(
      `Stack ${STACK}, Kubernetes: the cluster was not read (--offline), so objects of endpoints removed from the blueprint are not listed; deploy lists them before asking.`,
    );
  });
});

describe("staleObjects (pure)", () => {
  it("keeps what the manifests declare, splits the rest by whether the endpoint is still declared", () => {
    const declared = { keys: new Set(["Deployment/mlplat-serving/chat"]), endpoints: new Set(["chat"]) };
    const listed = [
      ...endpointObjects("chat").map((o) => ({ ...o, namespace: "mlplat-serving", labels: o.labels! })),
      ...endpointObjects("gone").map((o) => ({ ...o, namespace: "mlplat-serving", labels: o.labels! })),
    ];
    const { deletions, leftovers } = staleObjects(listed, declared, STACK);
    expect(deletions.map((d) => d.ref)).toEqual(["horizontalpodautoscalers.autoscaling/gone", "deployments.apps/gone", "services/gone", "serviceaccounts/gone"]);
    expect(leftovers.map((d) => d.ref)).toEqual(["horizontalpodautoscalers.autoscaling/chat", "services/chat", "serviceaccounts/chat"]);
  });

  it("orders the deletions HPA, Rollout, Deployment, Service, ServiceAccount (then by name), whatever the listing order, each object once", () => {
    const declared = { keys: new Set<string>(), endpoints: new Set<string>() };
    const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "b", labels: labels("b") };
    const listed = [...endpointObjects("b"), rollout, ...endpointObjects("a")].reverse().map((o) => ({ ...o, namespace: "mlplat-serving", labels: o.labels! }));
    const { deletions } = staleObjects([...listed, listed[0]!], declared, STACK);
    expect(deletions.map((d) => d.ref)).toEqual([
      "horizontalpodautoscalers.autoscaling/a",
      "horizontalpodautoscalers.autoscaling/b",
      "rollouts.argoproj.io/b",
      "deployments.apps/a",
      "deployments.apps/b",
      "services/a",
      "services/b",
      "serviceaccounts/a",
      "serviceaccounts/b",
    ]);
  });

  it("renders leftovers alone without the deletion warning, each with its own hint; nothing at all when nothing is stale", () => {
    const leftover = (kind: string) => ({ kind, namespace: "mlplat-serving", name: "chat", endpoint: "chat", ref: `x/${kind}` });
    const text = renderPrune({ stack: STACK, read: true, deletions: [], leftovers: [leftover("Service")] });
    expect(text).toBe(
      `Stack ${STACK}, Kubernetes (${SELECTOR} in namespace mlplat-serving):\n` +
        '  left in place: Service mlplat-serving/chat: its endpoint "chat" is still in the blueprint (or waits for its image) and mlplat deletes only objects of removed endpoints; delete it by hand if it is no longer wanted.',
    );
    expect(renderPrune({ stack: STACK, read: true, deletions: [], leftovers: [] })).toBe("");
    const deletion = { ...leftover("Deployment"), endpoint: "old", name: "old" };
    expect(renderPrune({ stack: STACK, read: true, deletions: [deletion], leftovers: [leftover("Service")] })).toContain("WARNING: running parts of the platform would be deleted");
  });
});
