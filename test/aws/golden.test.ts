import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { Template } from "../helpers/template.js";

/**
 * Golden tests: each AWS reference blueprint goes through the real pipeline (load, validate,
 * resolve, synth) and its cdk.tf.json must equal the committed one. A difference is either a
 * regression or an intended change: regenerate with `UPDATE_GOLDEN=1 npx vitest run test/aws/golden.test.ts`
 * and review the diff like code (addresses and names in it are API).
 */
const root = new URL("../../", import.meta.url).pathname;
const goldenDir = join(root, "test/aws/golden");
const work = mkdtempSync(join(tmpdir(), "mlplat-aws-golden-"));
// The blueprints read these with fallbacks; a developer's own values must not leak into goldens.
const ENV_KEYS = ["AWS_ACCOUNT_ID", "MLPLAT_OWNER", "GCP_PROJECT", "GCP_BILLING_ACCOUNT", "AZURE_SUBSCRIPTION_ID"];
const saved: Record<string, string | undefined> = {};
beforeAll(() => ENV_KEYS.forEach((k) => ((saved[k] = process.env[k]), delete process.env[k])));
afterAll(() => {
  ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])));
  rmSync(work, { recursive: true, force: true });
});

async function synthGolden(file: string, env?: string): Promise<Template> {
  const name = `${file.split("/").pop()!.replace(/\.yaml$/, "")}-${env ?? "default"}`;
  const out = join(work, name, "out");
  const { stacks, model } = await synthesizeBlueprint(join(root, file), { env, outDir: out, stateDir: join(work, name, "state") });
  expect(model.cloud).toBe("aws");
  expect(stacks.length).toBe(1);
  const text = readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8");
  const golden = join(goldenDir, `${name}.cdk.tf.json`);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
    if (process.env.CI && !existsSync(golden)) throw new Error(`missing golden file ${golden}`);
    writeFileSync(golden, JSON.stringify(JSON.parse(text), null, 2) + "\n");
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(golden, "utf8")));
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

  // The other blueprints whose default cloud is AWS (shared with the other clouds through environments).
  const others = readdirSync(join(root, "blueprints"))
    .filter((f) => f.endsWith(".yaml") && f !== "aws-sagemaker-scoring.yaml")
    .filter((f) => /^\s*cloud:\s*aws\b/m.test(readFileSync(join(root, "blueprints", f), "utf8").split(/^environments:/m)[0]!))
    .map((f) => `blueprints/${f}`);

  it.each(others)("synthesizes %s as committed, on the platform key and the derived names", async (file) => {
    const t = await synthGolden(file);
    expect(t.resourceTypes()).toContain("aws_kms_key");
    expect(t.json.data).toBeUndefined();
  }, 60_000);
});
