import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { Cloud } from "../../src/model/platform.js";

/**
 * The golden cases: every reference blueprint in blueprints/ and each of its environments (plus
 * the spec's example), with the cloud its stack is on and the committed cdk.tf.json it must equal.
 * The list is written out, not found by scanning blueprints/: a new blueprint or environment
 * fails test/helpers/golden-cases.test.ts until it is added here and its golden is created with
 * `npm run goldens` (then reviewed and committed like code: addresses and names in it are API).
 */
export interface GoldenCase {
  /** Blueprint path relative to the repository root. */
  readonly blueprint: string;
  /** `default` (the base) or an environment name. */
  readonly env: string;
  /** Cloud of the synthesized stack (an environment may move the platform to another cloud). */
  readonly cloud: Cloud;
  /** Synth with --offline (local state whatever the backend). */
  readonly offline?: boolean;
  /** Validate with --strict (a warning fails the golden). */
  readonly strict?: boolean;
}

const c = (blueprint: string, env: string, cloud: Cloud, opts: { offline?: boolean; strict?: boolean } = {}): GoldenCase => ({ blueprint, env, cloud, ...opts });

export const GOLDEN_CASES: readonly GoldenCase[] = [
  c("test/fixtures/spec-example.yaml", "default", "aws"),
  c("test/fixtures/spec-example.yaml", "dev", "aws"),
  c("blueprints/aws-sagemaker-scoring.yaml", "default", "aws"),
  c("blueprints/aws-sagemaker-scoring.yaml", "dev", "aws"),
  c("blueprints/azure-aks-ml.yaml", "default", "azure"),
  c("blueprints/azure-platform.yaml", "default", "azure", { offline: true }),
  c("blueprints/azure-platform.yaml", "dev", "azure", { offline: true }),
  c("blueprints/azure-platform.yaml", "prod", "azure", { offline: true }),
  c("blueprints/batch-training.yaml", "default", "aws"),
  c("blueprints/batch-training.yaml", "dev", "aws"),
  c("blueprints/batch-training.yaml", "aws", "aws"),
  c("blueprints/batch-training.yaml", "gcp", "gcp"),
  c("blueprints/batch-training.yaml", "azure", "azure"),
  c("blueprints/continuous-training.yaml", "default", "aws"),
  c("blueprints/continuous-training.yaml", "gcp", "gcp"),
  c("blueprints/continuous-training.yaml", "azure", "azure"),
  c("blueprints/data-science-team.yaml", "default", "aws"),
  c("blueprints/data-science-team.yaml", "gcp", "gcp"),
  c("blueprints/data-science-team.yaml", "azure", "azure"),
  c("blueprints/data-science-workspace.yaml", "default", "azure"),
  c("blueprints/data-science-workspace.yaml", "azure", "azure"),
  c("blueprints/data-science-workspace.yaml", "aws", "aws"),
  c("blueprints/data-science-workspace.yaml", "gcp", "gcp"),
  c("blueprints/gcp-gke-t4-l4.yaml", "default", "gcp", { strict: true }),
  c("blueprints/gcp-platform.yaml", "default", "gcp", { strict: true }),
  c("blueprints/gcp-platform.yaml", "dev", "gcp", { strict: true }),
  c("blueprints/llm-serving.yaml", "default", "aws"),
  c("blueprints/llm-serving.yaml", "dev", "aws"),
  c("blueprints/llm-serving.yaml", "prod", "aws"),
  c("blueprints/llm-serving.yaml", "aws", "aws"),
  c("blueprints/llm-serving.yaml", "gcp", "gcp"),
  c("blueprints/llm-serving.yaml", "azure", "azure"),
  c("blueprints/multi-env-platform.yaml", "default", "aws"),
  c("blueprints/multi-env-platform.yaml", "dev", "aws"),
  c("blueprints/multi-env-platform.yaml", "prod", "aws"),
  c("blueprints/realtime-scoring.yaml", "default", "gcp"),
  c("blueprints/realtime-scoring.yaml", "prod", "gcp"),
  c("blueprints/realtime-scoring.yaml", "gcp", "gcp"),
  c("blueprints/realtime-scoring.yaml", "aws", "aws"),
  c("blueprints/realtime-scoring.yaml", "azure", "azure"),
  c("blueprints/safe-rollout.yaml", "default", "aws"),
];

export const ROOT = new URL("../../", import.meta.url).pathname;

/** `<blueprint file name>-<env>`, e.g. `llm-serving-gcp`. */
export function goldenName(g: GoldenCase): string {
  return `${g.blueprint.split("/").pop()!.replace(/\.yaml$/, "")}-${g.env}`;
}

/** The golden file, relative to the repository root. */
export function goldenPath(g: GoldenCase): string {
  return `test/${g.cloud}/golden/${goldenName(g)}.cdk.tf.json`;
}

export function casesOn(cloud: Cloud): GoldenCase[] {
  return GOLDEN_CASES.filter((g) => g.cloud === cloud);
}

/** `npm run goldens` sets this; a plain test run only compares. */
export const UPDATING = process.env.MLPLAT_UPDATE_GOLDENS === "1";

/**
 * Compares a synthesized cdk.tf.json with its golden. A test run never writes one: a missing
 * golden fails naming the command that creates it. Under `npm run goldens` the golden is
 * (re)written from this synth first.
 */
export function expectGolden(g: GoldenCase, text: string): void {
  const file = join(ROOT, goldenPath(g));
  if (UPDATING) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(JSON.parse(text), null, 2) + "\n");
  } else if (!existsSync(file)) {
    throw new Error(`missing golden file ${goldenPath(g)} for ${g.blueprint} --env ${g.env}: run \`npm run goldens\` to create it, then review and commit it`);
  }
  expect(JSON.parse(text), `${goldenPath(g)} differs; if the change is intended run \`npm run goldens\` and review the diff`).toEqual(JSON.parse(readFileSync(file, "utf8")));
}

/**
 * Unsets, for the test file's duration, every variable the golden blueprints interpolate
 * (`${env:NAME:-fallback}`): a developer's own values must not leak into goldens.
 */
export function isolateGoldenEnv(): void {
  const texts = [...new Set(GOLDEN_CASES.map((g) => g.blueprint))].map((f) => readFileSync(join(ROOT, f), "utf8"));
  const ENV_KEYS = [...new Set(texts.flatMap((t) => [...t.matchAll(/\$\{env:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)))];
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => ENV_KEYS.forEach((k) => ((saved[k] = process.env[k]), delete process.env[k])));
  afterAll(() => ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k]))));
}
