import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import type { EngineDeps, SynthFn, SynthOptions } from "../../src/engine/ports.js";
import { writeKubernetesManifests } from "../../src/k8s/write.js";
import { KubectlCli } from "../../src/kubectl/kubectl-cli.js";
import { CliRegistryImages } from "../../src/registry-images/registry-images.js";
import type { TerraformOutput } from "../../src/terraform/runner.js";
import { TARGETS } from "../../src/targets/index.js";
import { RecordingRunner } from "../engine/fakes.js";
import { RecordedExec } from "./recorded-kubectl.js";

const root = new URL("../../", import.meta.url).pathname;

/**
 * The reference blueprint llm-serving (an EKS cluster with an L4 pool, a `runtime: kubernetes`
 * chat endpoint, and a managed `embed` endpoint whose image `embeddings:1.8.0` is in the
 * platform's own registry), with its `network.adminCidrs` set to the given ranges (an empty
 * list: a private cluster without an access path on AWS and Azure).
 */
export function llmServing(options: { adminCidrs: string[] } = { adminCidrs: ["10.99.0.0/16"] }): string {
  const text = readFileSync(join(root, "blueprints/llm-serving.yaml"), "utf8");
  const line = `    adminCidrs: [${options.adminCidrs.join(", ")}]\n`;
  const out = /^ {4}adminCidrs: .*\n/m.test(text)
    ? text.replace(/^ {4}adminCidrs: .*\n/m, options.adminCidrs.length ? line : "")
    : text.replace("    cidr: 10.20.0.0/16\n", `    cidr: 10.20.0.0/16\n${options.adminCidrs.length ? line : ""}`);
  if (options.adminCidrs.length && !out.includes(line)) throw new Error("llm-serving.yaml changed shape: update the test harness");
  return out;
}

/**
 * A synth that does what the real one does minus cdktf: loads the blueprint, drops
 * `deferEndpoints`, resolves the cloud's props and writes the real Kubernetes manifests into
 * `<out>/stacks/<stack>/k8s/` (replacing the previous ones), with a stand-in cdk.tf.json.
 */
export function modelSynth(blueprint: string): SynthFn & { calls: SynthOptions[]; outDir: string; file: string } {
  const base = mkdtempSync(join(tmpdir(), "mlplat-phases-"));
  const file = join(base, "platform.yaml");
  writeFileSync(file, blueprint);
  const outDir = join(base, "cdktf.out");
  const calls: SynthOptions[] = [];
  const fn = async (f: string, options: SynthOptions) => {
    calls.push(options);
    const loaded = loadBlueprintOrThrow(f, { env: options.env }).model;
    const defer = options.deferEndpoints ?? [];
    const model = { ...loaded, endpoints: loaded.endpoints.filter((e) => !defer.includes(e.name)) };
    const dir = join(outDir, "stacks", model.stackName);
    rmSync(join(dir, "k8s"), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const props = TARGETS[model.cloud].resolve(model, { offline: options.offline, localStatePath: "x.tfstate" });
    writeKubernetesManifests(model, props, dir);
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify({ endpoints: model.endpoints.map((e) => e.name) }));
    return { outDir, stacks: [{ name: model.stackName, dir }], model, release: () => undefined };
  };
  return Object.assign(fn, { calls, outDir, file });
}

/** A recording terraform runner whose outputs change once a plan is applied, as a real stack's do. */
export class PhasedRunner extends RecordingRunner {
  afterApply: Record<string, Record<string, TerraformOutput>> = {};
  override async apply(dir: string, planFile: string) {
    await super.apply(dir, planFile);
    const stack = dir.split("/").pop()!;
    if (this.afterApply[stack]) this.outputs[stack] = this.afterApply[stack]!;
  }
}

export const out = (value: unknown): TerraformOutput => ({ value, sensitive: false });

export interface PhaseHarness {
  deps: EngineDeps;
  runner: PhasedRunner;
  exec: RecordedExec;
  synth: ReturnType<typeof modelSynth>;
  printed: string[];
  /** Every progress step, `step stack`, in order: terraform's and kubectl's on one timeline. */
  steps: string[];
}

export function phaseHarness(blueprint: string): PhaseHarness {
  const runner = new PhasedRunner();
  const exec = new RecordedExec();
  const synth = modelSynth(blueprint);
  const printed: string[] = [];
  const steps: string[] = [];
  return {
    runner,
    exec,
    synth,
    printed,
    steps,
    deps: {
      runner,
      synth,
      kubectl: new KubectlCli(exec),
      images: new CliRegistryImages(exec),
      progress: {
        async step(step, stack, work) {
          steps.push(`${step} ${stack}`);
          return work();
        },
      },
      ui: { print: (t) => printed.push(t) },
    },
  };
}

/** The outputs of the deployed llm-serving AWS stack (default env). */
export const AWS_OUTPUTS: Record<string, ReturnType<typeof out>> = {
  region: out("us-east-1"),
  cluster_name: out("llm-serving-default"),
  registry_urls: out({
    vllm: "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving-default/vllm",
    embeddings: "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving-default/embeddings",
  }),
};
