import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "cdktf";
import type { PlatformModel } from "../../src/model/platform.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { terraformEnv } from "../helpers/terraform.js";
import { OFFLINE, sagemakerOnlyModel, specExampleModel } from "./fixtures.js";

/**
 * The terraform tier: the real hashicorp/aws provider validates and plans the offline synth
 * output with dummy credentials and no network (`plan -refresh=false`). Steps run one after the
 * other: the machine is shared.
 */
const tf = terraformEnv();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const run = promisify(execFile);

/** Asynchronous on purpose: a blocking spawnSync of a 15 s plan starves vitest's worker RPC. */
async function terraform(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.env.MLPLAT_TERRAFORM ?? "terraform", args, { cwd, env: tf.env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { code?: number; stderr?: string; stdout?: string };
    throw new Error(`terraform ${args.join(" ")} failed (${err.code}):\n${err.stderr}\n${(err.stdout ?? "").slice(-4000)}`);
  }
}

async function synthToDir(model: PlatformModel): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), "mlplat-aws-tf-"));
  dirs.push(outdir);
  const addStack = await awsTarget.loadStack();
  const app = new App({ outdir, stackTraces: false });
  addStack(app, model.stackName, awsTarget.resolve(model, OFFLINE));
  app.synth();
  return join(outdir, "stacks", model.stackName);
}

/** init, validate, plan; returns the planned creations per resource type. */
async function initValidatePlan(dir: string): Promise<Record<string, number>> {
  await terraform(dir, ["init", "-input=false", "-no-color"]);
  expect(await terraform(dir, ["validate", "-no-color"])).toContain("Success! The configuration is valid.");
  await terraform(dir, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.bin"]);
  const plan = JSON.parse(await terraform(dir, ["show", "-json", "plan.bin"])) as { resource_changes: { type: string; change: { actions: string[] } }[] };
  const counts: Record<string, number> = {};
  for (const rc of plan.resource_changes) {
    if (rc.change.actions.includes("create")) counts[rc.type] = (counts[rc.type] ?? 0) + 1;
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe.skipIf(!tf.available)("terraform tier (AWS, offline)", () => {
  it("validates and plans the spec example with the real provider", async () => {
    const counts = await initValidatePlan(await synthToDir(specExampleModel()));
    expect(counts).toMatchObject({
      aws_vpc: 1,
      aws_subnet: 6,
      aws_nat_gateway: 3,
      aws_vpc_endpoint: 6,
      aws_kms_key: 3,
      aws_s3_bucket: 3,
      aws_ecr_repository: 1,
      aws_sagemaker_model_package_group: 1,
      aws_eks_cluster: 1,
      aws_eks_addon: 5, // vpc-cni, kube-proxy, eks-pod-identity-agent, coredns, metrics-server
      aws_eks_node_group: 3,
      aws_launch_template: 3,
      aws_autoscaling_group_tag: 22,
      aws_iam_openid_connect_provider: 1,
      aws_sagemaker_endpoint: 1,
      aws_appautoscaling_policy: 1,
      aws_cloudwatch_metric_alarm: 2,
      aws_sns_topic_subscription: 1,
      aws_budgets_budget: 1,
    });
    // network 35, kms 2, observability 5, storage 27, registry 3, cluster 45 (22 of them ASG tags), serving 10, budget 1.
    expect(total(counts)).toBe(128);
  });

  it("validates and plans a SageMaker-only platform with the real provider", async () => {
    const counts = await initValidatePlan(await synthToDir(sagemakerOnlyModel()));
    expect(counts.aws_eks_cluster).toBeUndefined();
    expect(counts).toMatchObject({ aws_s3_bucket: 2, aws_sagemaker_endpoint: 1, aws_cloudwatch_metric_alarm: 1, aws_vpc_endpoint: 6 });
    // network 35, kms 2, observability 4, storage 17, registry 2, serving 9.
    expect(total(counts)).toBe(69);
  });
});

/** Every blueprint in the repo whose default cloud is AWS, and the spec's example. */
const root = new URL("../../", import.meta.url).pathname;
const AWS_BLUEPRINTS = [
  "test/fixtures/spec-example.yaml",
  ...readdirSync(join(root, "blueprints"))
    .filter((f) => f.endsWith(".yaml") && /^\s*cloud:\s*aws\b/m.test(readFileSync(join(root, "blueprints", f), "utf8").split(/^environments:/m)[0]!))
    .map((f) => `blueprints/${f}`),
];

describe.skipIf(!tf.available)("terraform tier (AWS blueprints in the repo, offline)", () => {
  it("finds the AWS reference blueprints", () => {
    expect(AWS_BLUEPRINTS).toEqual(expect.arrayContaining(["test/fixtures/spec-example.yaml", "blueprints/aws-sagemaker-scoring.yaml"]));
  });

  it.each(AWS_BLUEPRINTS)("synthesizes %s with --offline, then validates and plans it", async (file) => {
    const work = mkdtempSync(join(tmpdir(), "mlplat-aws-bp-"));
    dirs.push(work);
    const { stacks, model } = await synthesizeBlueprint(join(root, file), { outDir: join(work, "out"), stateDir: join(work, "state"), offline: true });
    expect(model.cloud).toBe("aws");
    const counts = await initValidatePlan(stacks[0]!.dir);
    // Every blueprint gets a VPC, a platform key and its buckets; the plan creates what the synth declared.
    expect(counts.aws_vpc).toBe(1);
    expect(counts.aws_s3_bucket).toBe(model.buckets.length + (model.buckets.length > 0 ? 1 : 0));
    expect(counts.aws_eks_cluster ?? 0).toBe(model.cluster ? 1 : 0);
    expect(counts.aws_sagemaker_endpoint ?? 0).toBe(model.endpoints.filter((e) => e.runtime === "managed").length);
    expect(counts.aws_sagemaker_pipeline ?? 0).toBe(model.pipelines?.length ?? 0);
    expect(counts.aws_sagemaker_domain ?? 0).toBe(model.workspaces ? 1 : 0);
    expect(counts.aws_sagemaker_user_profile ?? 0).toBe(model.workspaces?.users.length ?? 0);
    expect(counts.aws_sagemaker_mlflow_tracking_server ?? 0).toBe(model.tracking ? 1 : 0);
    const declared = JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8")) as { resource: Record<string, object> };
    expect(total(counts)).toBe(Object.values(declared.resource).reduce((n, byId) => n + Object.keys(byId).length, 0));
  });
});

describe("the terraform tier", () => {
  // terraformEnv() prints a loud banner when it skips. Where terraform itself is installed (CI
  // here has it), a skip means the provider mirror was not wired up: that is a failure, not a skip.
  it("runs wherever the terraform binary is installed", () => {
    const onPath = spawnSync(process.env.MLPLAT_TERRAFORM ?? "terraform", ["version"]).status === 0;
    expect(onPath ? tf.available : true, tf.reason).toBe(true);
  });
});
