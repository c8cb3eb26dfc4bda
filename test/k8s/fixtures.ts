import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import type { Cloud, PlatformModel } from "../../src/model/platform.js";
import { TARGETS } from "../../src/targets/index.js";
import type { SynthContext } from "../../src/model/platform.js";

const REGION: Record<Cloud, string> = { aws: "us-east-1", gcp: "us-central1", azure: "eastus" };
const CPU_TYPE: Record<Cloud, string> = { aws: "m6i.xlarge", gcp: "n2-standard-4", azure: "Standard_D4s_v5" };

export interface FixtureOptions {
  /** Extra endpoint YAML items (indented as list items under endpoints). */
  readonly endpoints?: string;
  /** Replace the node pools section. */
  readonly pools?: string;
  /** Omit the cluster (and kubernetes endpoints). */
  readonly noCluster?: boolean;
}

/**
 * A small blueprint for one cloud: a spot T4 pool with a blueprint taint, a CPU pool, a bucket,
 * an image repository; a GPU endpoint scaling from zero (image from the repository, a model in
 * the bucket) and a CPU endpoint (image given as a full URI), both `runtime: kubernetes`.
 */
export function blueprintYaml(cloud: Cloud, opts: FixtureOptions = {}): string {
  const pools =
    opts.pools ??
    `      - name: gpu-spot
        gpu: { type: T4, count: 1 }
        spot: true
        max: 2
        taints: [{ key: team, value: risk, effect: NoSchedule }]
      - name: cpu
        instanceType: ${CPU_TYPE[cloud]}
        max: 3`;
  const endpoints =
    opts.endpoints ??
    `      - name: llm
        runtime: kubernetes
        image: serving:1.0.0
        model: { bucket: models, path: llm/1.0.0/ }
        gpu: { type: T4, count: 1 }
        autoscaling: { min: 0, max: 4, targetConcurrency: 4 }
      - name: ranker
        runtime: kubernetes
        image: ghcr.io/acme/ranker:2.1
        autoscaling: { min: 2, max: 6 }`;
  return `apiVersion: mlplat/v1
kind: Platform
metadata:
  name: kube
  owner: ml@example.com
spec:
  cloud: ${cloud}
  region: ${REGION[cloud]}
  aws: { accountId: "123456789012" }
  gcp: { project: mlplat-k8s-test }
  azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }
  storage:
    buckets:
      - name: models
  registry:
    images:
      - name: serving
${
  opts.noCluster
    ? ""
    : `  cluster:
    version: "1.34"
    nodePools:
${pools}
  serving:
    endpoints:
${endpoints}
`
}`;
}

export function writeBlueprint(cloud: Cloud, opts: FixtureOptions = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), `mlplat-k8s-${cloud}-`));
  const file = join(dir, "platform.yaml");
  writeFileSync(file, blueprintYaml(cloud, opts));
  return { dir, file };
}

const CTX: SynthContext = { offline: true, localStatePath: "../../../state/kube-default.tfstate" };

/** The model and the target props, as the synth pipeline resolves them. */
export function resolveFixture(cloud: Cloud, opts: FixtureOptions = {}): { model: PlatformModel; props: unknown } {
  const { file } = writeBlueprint(cloud, opts);
  const { model } = loadOrExplain(file);
  return { model, props: TARGETS[cloud].resolve(model, CTX) };
}

function loadOrExplain(file: string): { model: PlatformModel } {
  try {
    return loadBlueprintOrThrow(file, {});
  } catch (err) {
    // The diagnostics say which fixture line is wrong.
    throw new Error(`${(err as Error).message}\n${(err as { details?: string }).details ?? ""}`);
  }
}
