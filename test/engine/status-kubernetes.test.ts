import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStatus } from "../../src/engine/status.js";
import { CliStatusSources } from "../../src/engine/status-sources.js";
import { markerText } from "../../src/output/marker.js";
import { AWS_OUTPUTS, llmServing, out, phaseHarness } from "../kubectl/engine-harness.js";
import { RECORDED } from "../kubectl/recorded-kubectl.js";

/**
 * `mlplat status` of `runtime: kubernetes` endpoints (src/engine/status-kubernetes.ts) over the
 * RECORDED FAKE kubectl (hand-written JSON in kubectl's shape, test/kubectl/recorded-kubectl.ts):
 * a plain Deployment, an Argo Rollout mid-canary, aborted and settled, and a cluster whose
 * credentials cannot be fetched. test/engine/status.test.ts covers the paused canary and the
 * unreachable cluster.
 */
const STACK = "llm-serving-default";
const CANARY = "        rollout: { strategy: canary, canaryPercent: 20, bakeMinutes: 5 }\n";
const CHAT_AUTOSCALING = "        autoscaling: { min: 1, max: 4, targetConcurrency: 16 }\n";
const ok = (v: unknown) => ({ code: 0, stdout: JSON.stringify(v), stderr: "" });

/** llm-serving deployed on AWS (chat on the cluster, embed on SageMaker), `chat` with a canary rollout when `canary`. */
async function deployed(opts: { canary: boolean; kubeconfig?: boolean; outputs?: Record<string, ReturnType<typeof out>>; extra?: string; blueprint?: string }) {
  const base = opts.blueprint ?? llmServing();
  const text = (opts.canary ? base.replace(CHAT_AUTOSCALING, CHAT_AUTOSCALING + CANARY) : base).replace("      - name: embed\n", `${opts.extra ?? ""}      - name: embed\n`);
  if (opts.canary && !text.includes(CANARY)) throw new Error("llm-serving.yaml changed shape: update this test");
  const h = phaseHarness(text);
  const synth = await h.synth(h.synth.file, { env: "default", offline: false });
  const dir = synth.stacks[0]!.dir;
  mkdirSync(join(dir, ".terraform"), { recursive: true });
  if (opts.kubeconfig !== false) writeFileSync(join(dir, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
  writeFileSync(join(h.synth.outDir, "mlplat.json"), markerText({ blueprint: "platform.yaml", env: "default", cloud: "aws", stacks: [STACK], offline: false }));
  h.runner.outputs[STACK] = opts.outputs ?? { ...AWS_OUTPUTS, endpoint_names: out({ embed: "llm-serving-default-embed" }) };
  h.runner.states[STACK] = { format_version: "1.0", values: { root_module: { resources: [] } } };
  h.exec.on("aws", ["sagemaker", "describe-endpoint"], ok({ EndpointStatus: "InService", EndpointConfigName: "c1", ProductionVariants: [{ VariantName: "primary", CurrentWeight: 1 }] }));
  h.exec.on("aws", ["cloudwatch", "describe-alarms"], ok({ MetricAlarms: [] }));
  const status = async () => {
    const report = await runStatus(h.synth.file, { env: "default", outDir: h.synth.outDir, stateDir: join(h.synth.outDir, "..", "state") }, { ...h.deps, sources: new CliStatusSources(h.exec) });
    return report.endpoints.find((e) => e.endpoint === "chat")!;
  };
  return { h, status };
}

describe("mlplat status of runtime kubernetes endpoints (RECORDED FAKE kubectl)", () => {
  it("an endpoint without rollout: its Deployment's availability, all traffic on it, no rollout; no Rollout is listed", async () => {
    const { h, status } = await deployed({ canary: false });
    h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 4, available: 3 }]));
    const chat = await status();
    expect(chat.serving).toEqual({ value: { state: "3/4 available" } });
    expect(chat.traffic).toEqual({ value: [{ revision: "deployment/chat", percent: 100 }] });
    expect(chat.rollout).toEqual({ value: { strategy: "allAtOnce", inProgress: false, detail: "none: a Deployment rolls pods over at once (no canary on this endpoint)" } });
    expect(h.exec.commands().filter((c) => c.includes("rollouts.argoproj.io"))).toEqual([]);
  });

  it("a Deployment or a Rollout missing from the cluster is unknown, naming the object (k8s/ not applied yet?)", async () => {
    const plain = await deployed({ canary: false });
    plain.h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "other", replicas: 1, available: 1 }]));
    expect((await plain.status()).serving).toEqual({ unknown: "no Deployment mlplat-serving/chat in the cluster (k8s/ not applied yet?)" });

    const canary = await deployed({ canary: true });
    canary.h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "other", replicas: 1, available: 1 }]));
    const chat = await canary.status();
    expect(chat.serving).toEqual({ unknown: "no Rollout mlplat-serving/chat in the cluster (k8s/ not applied yet?)" });
    expect(chat.rollout).toEqual(chat.serving);
  });

  it("a canary on its way: the split is the new pods' share of the desired ones (capped at 100%), in progress while it moves", async () => {
    const { h, status } = await deployed({ canary: true });
    // 3 of 4 pods updated, Progressing between steps: 75% on the new ReplicaSet.
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 4, available: 4, updated: 3, phase: "Progressing", stable: "aaa111", current: "bbb222" }]));
    let chat = await status();
    expect(chat.traffic).toEqual({ value: [{ revision: "aaa111", percent: 25 }, { revision: "bbb222", percent: 75 }] });
    expect(chat.rollout).toEqual({ value: { strategy: "canary", inProgress: true, detail: "Progressing, bbb222 replacing aaa111" } });

    // A surge pod over: 5 updated of 4 desired is still 100%, never more.
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 4, available: 4, updated: 5, phase: "Progressing", stable: "aaa111", current: "bbb222" }]));
    chat = await status();
    expect(chat.traffic).toEqual({ value: [{ revision: "aaa111", percent: 0 }, { revision: "bbb222", percent: 100 }] });
  });

  it("a Rollout endpoint beside a Deployment one: each read from its own kind, each matched by name", async () => {
    const draft = "      - name: draft\n        runtime: kubernetes\n        image: vllm:0.11.0\n        model: { bucket: models, path: llama-3.1-8b-instruct/ }\n        gpu: { type: L4, count: 1 }\n        autoscaling: { min: 1, max: 1 }\n";
    const { h, status } = await deployed({ canary: true, extra: draft });
    h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 0, available: 0 }, { name: "draft", replicas: 1, available: 1 }]));
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "other", replicas: 9, available: 9, phase: "Degraded" }, { name: "chat", replicas: 2, available: 2, phase: "Healthy" }]));
    const chat = await status();
    expect(chat.serving).toEqual({ value: { revision: "6d4f8b7c9", state: "Healthy, 2/2 available" } });
    const report = await runStatus(h.synth.file, { env: "default", outDir: h.synth.outDir, stateDir: join(h.synth.outDir, "..", "state") }, { ...h.deps, sources: new CliStatusSources(h.exec) });
    expect(report.endpoints.find((e) => e.endpoint === "draft")!.serving).toEqual({ value: { state: "1/1 available" } });
  });

  it("a Rollout paused on its own revision (no new one) is still in progress; one scaled to zero mid-canary splits nothing", async () => {
    const { h, status } = await deployed({ canary: true });
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 2, available: 2, phase: "Paused", step: 1, steps: 4, stable: "aaa111" }]));
    expect((await status()).rollout).toEqual({ value: { strategy: "canary", inProgress: true, detail: "Paused, step 1/4" } });
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 0, available: 0, updated: 0, phase: "Progressing", stable: "aaa111", current: "bbb222" }]));
    expect((await status()).traffic).toEqual({ value: [{ revision: "aaa111", percent: 100 }, { revision: "bbb222", percent: 0 }] });
  });

  it("a private cluster without an access path, and no kubeconfig here: unknown with the reason, nothing run", async () => {
    const { h, status } = await deployed({ canary: false, kubeconfig: false, blueprint: llmServing({ adminCidrs: [] }) });
    expect((await status()).serving).toEqual({ unknown: expect.stringMatching(/^no kubeconfig from a deploy here, and no access path to fetch one: ./) });
    expect(h.exec.commands().filter((c) => c.startsWith("kubectl") || c.startsWith("aws eks"))).toEqual([]);
  });

  it("a settled Rollout: all traffic on the stable revision, no rollout in progress, its phase named", async () => {
    const { h, status } = await deployed({ canary: true });
    h.exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 2, available: 2, phase: "Healthy", step: 4, steps: 4, stable: "aaa111" }]));
    const chat = await status();
    expect(chat.serving).toEqual({ value: { revision: "aaa111", state: "Healthy, 2/2 available" } });
    expect(chat.traffic).toEqual({ value: [{ revision: "aaa111", percent: 100 }] });
    expect(chat.rollout).toEqual({ value: { strategy: "canary", inProgress: false, detail: "none (Healthy)" } });
  });

  it("an aborted canary is not in progress and says traffic went back to the stable revision, with Argo's message", async () => {
    const { h, status } = await deployed({ canary: true });
    h.exec.on(
      "kubectl",
      ["get", "rollouts.argoproj.io"],
      RECORDED.rollouts([{ name: "chat", replicas: 4, available: 4, updated: 1, phase: "Degraded", abort: true, message: "RolloutAborted: Rollout aborted update to revision 2", stable: "aaa111", current: "bbb222" }]),
    );
    const chat = await status();
    expect(chat.rollout).toEqual({ value: { strategy: "canary", inProgress: false, detail: "aborted: RolloutAborted: Rollout aborted update to revision 2 (traffic back on aaa111)" } });
  });

  it("without a kubeconfig here: credentials go to a private (0700) temporary folder; with no cluster in the state, unknown and no tool runs", async () => {
    const fetched = await deployed({ canary: false, kubeconfig: false });
    const modes: number[] = [];
    const folders: string[] = [];
    fetched.h.exec.on("aws", ["eks", "update-kubeconfig"], (r) => {
      const kubeconfig = r.args[r.args.indexOf("--kubeconfig") + 1]!;
      modes.push(statSync(dirname(kubeconfig)).mode & 0o777);
      folders.push(dirname(dirname(kubeconfig)));
      return RECORDED.credentialsOk;
    });
    fetched.h.exec.on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 1, available: 1 }]));
    expect((await fetched.status()).serving).toEqual({ value: { state: "1/1 available" } });
    expect(modes).toEqual([0o700]);
    // The fetched credentials do not outlive the command.
    expect(folders.map((f) => [f.includes("mlplat-status-kube-"), existsSync(f)])).toEqual([[true, false]]);

    const { cluster_name: _cluster, ...noCluster } = AWS_OUTPUTS;
    const bare = await deployed({ canary: false, kubeconfig: false, outputs: noCluster });
    expect((await bare.status()).serving).toEqual({ unknown: "no kubeconfig from a deploy here, and the state names no cluster to fetch credentials for" });
    expect(bare.h.exec.commands().filter((c) => c.startsWith("kubectl") || c.startsWith("aws eks"))).toEqual([]);
  });
});
