import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { casesOn, expectGolden, goldenName, isolateGoldenEnv, ROOT, type GoldenCase } from "../helpers/golden.js";
import { Template } from "../helpers/template.js";

/**
 * Golden tests: each AWS golden case (test/helpers/golden.ts) goes through the real pipeline
 * (load, validate, resolve, synth) and its cdk.tf.json must equal the committed one. A
 * difference is either a regression or an intended change: regenerate with `npm run goldens`
 * and review the diff like code (addresses and names in it are API).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-aws-golden-"));
isolateGoldenEnv();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CASES = casesOn("aws");
const synthesized = new Map<string, Promise<Template>>();

/** Synthesizes a case once per file and compares it with its golden. */
function synthGolden(file: string, env = "default"): Promise<Template> {
  const g = CASES.find((x) => x.blueprint === file && x.env === env);
  if (!g) throw new Error(`${file} --env ${env} is not an AWS golden case in test/helpers/golden.ts`);
  const name = goldenName(g);
  if (!synthesized.has(name)) synthesized.set(name, synth(g));
  return synthesized.get(name)!;
}

async function synth(g: GoldenCase): Promise<Template> {
  const name = goldenName(g);
  const { stacks, model } = await synthesizeBlueprint(join(ROOT, g.blueprint), {
    env: g.env === "default" ? undefined : g.env,
    strict: g.strict,
    offline: g.offline,
    outDir: join(work, name, "out"),
    stateDir: join(work, name, "state"),
  });
  expect(model.cloud).toBe("aws");
  expect(stacks.length).toBe(1);
  const text = readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8");
  expectGolden(g, text);
  return Template.fromJson(text);
}

describe("AWS golden stacks of the reference blueprints", () => {
  it("synthesizes the spec's example as committed", async () => {
    const t = await synthGolden("test/fixtures/spec-example.yaml");
    expect(t.backend()).toEqual({ s3: { bucket: "acme-tfstate", key: expect.stringContaining("fraud-default"), region: "us-east-1", encrypt: true, use_lockfile: true } });
    expect(t.resource("aws_eks_node_group", "cluster_train")).toMatchObject({ instance_types: ["p4de.24xlarge"], ami_type: "AL2023_x86_64_NVIDIA", capacity_type: "SPOT" });
    expect(t.resource("aws_eks_node_group", "cluster_infer")).toMatchObject({ instance_types: ["g6.xlarge"], ami_type: "AL2023_x86_64_NVIDIA" });
    expect(Object.values(t.resources("aws_sagemaker_endpoint_configuration"))[0]!.production_variants[0].instance_type).toBe("ml.g4dn.xlarge");
  }, 60_000);

  it("synthesizes the example's dev environment with the training pool capped at one node", async () => {
    const t = await synthGolden("test/fixtures/spec-example.yaml", "dev");
    expect(t.resource("aws_eks_node_group", "cluster_train").scaling_config).toMatchObject({ min_size: 0, max_size: 1 });
    expect(t.resource("aws_eks_cluster", "cluster").name).toBe("fraud-dev");
  }, 60_000);

  it("synthesizes the SageMaker-only blueprint without a cluster, encrypting only the CPU endpoint's volume", async () => {
    const t = await synthGolden("blueprints/aws-sagemaker-scoring.yaml");
    t.resourceCountIs("aws_eks_cluster", 0);
    expect(t.backend()).toEqual({ local: { path: "../../../state/scoring-default.tfstate" } });
    const configs = Object.values(t.resources("aws_sagemaker_endpoint_configuration"));
    const byType = Object.fromEntries(configs.map((c) => [c.production_variants[0].instance_type, c.kms_key_arn]));
    expect(byType).toEqual({ "ml.m5.xlarge": "${aws_kms_key.kms.arn}", "ml.g4dn.xlarge": undefined });
    expect(Object.keys(t.outputs()).sort()).toEqual(["bucket_names", "endpoint_names", "region", "registry_urls"]);
  }, 60_000);

  it.each(CASES.map((g) => [goldenName(g), g] as const))("synthesizes %s as committed, on a platform key, with no data sources", async (_name, g) => {
    const t = await synthGolden(g.blueprint, g.env);
    expect(t.resourceTypes()).toContain("aws_kms_key");
    expect(t.json.data).toBeUndefined();
  }, 60_000);
});
