import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { mergeJson, readExtension, type Extension } from "../../src/synth/extension.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { MlplatError } from "../../src/util/errors.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { terraformEnv } from "../helpers/terraform.js";
import { config, harness, planStream } from "../engine/fakes.js";

/**
 * `--extension FILE` (issue 15, item 13): the example adds a CloudWatch dashboard over the
 * SageMaker endpoints of aws-sagemaker-scoring and overrides one log group's retention; the
 * checks run on the merged stack.
 */
const EXAMPLE = resolve("examples/extension-json/dashboard.tf.json");
const work = mkdtempSync(join(tmpdir(), "mlplat-extension-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const blueprint = join(work, "platform.yaml");
copyFileSync("blueprints/aws-sagemaker-scoring.yaml", blueprint);
const vars = { AWS_ACCOUNT_ID: "210987654321" };

function ext(name: string, json: unknown): string {
  const f = join(work, name);
  writeFileSync(f, typeof json === "string" ? json : JSON.stringify(json));
  return f;
}
const errorOf = async (f: () => unknown): Promise<MlplatError> => {
  try {
    await f();
  } catch (e) {
    return e as MlplatError;
  }
  throw new Error("did not throw");
};
const stackOf = (out: string) => JSON.parse(readFileSync(join(out, "stacks", "scoring-default", "cdk.tf.json"), "utf8"));

describe("--extension", () => {
  it("merges the example into the synthesized stack: the dashboard added, one retention overridden, the rest kept", async () => {
    const out = join(work, "out-example");
    await synthesizeBlueprint(blueprint, { outDir: out, offline: true, extension: readExtension(EXAMPLE) });
    const stack = stackOf(out);
    expect(stack.resource.aws_cloudwatch_dashboard.extension_endpoints.dashboard_body).toContain("${aws_sagemaker_endpoint.serving_fraud.name}");
    expect(stack.resource.aws_cloudwatch_log_group["observability_endpoint-fraud"].retention_in_days).toBe(365);
    expect(stack.resource.aws_cloudwatch_log_group["observability_endpoint-fraud"].name).toBeDefined();
    expect(stack.resource.aws_cloudwatch_log_group["observability_endpoint-churn"].retention_in_days).toBe(90);
    expect(stack.output.extension_dashboard_url.value).toContain("${aws_cloudwatch_dashboard.extension_endpoints.dashboard_name}");
  });

  it("merges objects key by key and replaces everything else", () => {
    expect(mergeJson({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3] }, e: true })).toEqual({ a: { b: 1, c: [3] }, d: "x", e: true });
  });

  it("refuses an expression the escaping sink's backstop does not allow, and writes nothing", async () => {
    const out = join(work, "out-unsafe");
    const f = ext("unsafe.tf.json", { resource: { aws_ssm_parameter: { extension_x: { name: "x", type: "String", value: '${file("/etc/passwd")}' } } } });
    const e = await errorOf(() => synthesizeBlueprint(blueprint, { outDir: out, offline: true, extension: readExtension(f) }));
    expect(e).toMatchObject({ code: "MLP_EXTENSION_INVALID", exitCode: 1 });
    expect(e.message).toBe(`--extension ${f}: 1 Terraform expression mlplat does not allow; nothing was written.`);
    expect(e.details).toContain('resource.aws_ssm_parameter.extension_x.value: "${file(\\"/etc/passwd\\")}"');
    expect(existsSync(join(out, "stacks"))).toBe(false);
  });

  it("refuses another provider's types, backend/provider/module blocks, provisioners and non-JSON files", async () => {
    const foreign = ext("foreign.tf.json", { data: { external: { x: { program: ["sh", "-c", "id"] } } } });
    const e = await errorOf(() => synthesizeBlueprint(blueprint, { outDir: join(work, "out-foreign"), offline: true, extension: readExtension(foreign) }));
    expect(e.message).toBe(`--extension ${foreign}: data.external: not a type of the stack's providers (aws).`);
    const provider = await errorOf(() => readExtension(ext("provider.tf.json", { provider: { aws: [{ region: "us-east-1" }] }, terraform: {} })));
    expect(provider).toMatchObject({ code: "MLP_EXTENSION_INVALID" });
    expect(provider.message).toContain("`provider`, `terraform` are not allowed; an extension holds resource, data, output and locals blocks only.");
    const prov = await errorOf(() => readExtension(ext("prov.tf.json", { resource: { aws_s3_object: { extension_x: { bucket: "b", key: "k", provisioner: [{ "local-exec": { command: "id" } }] } } } })));
    expect(prov.message).toContain("provisioners run commands on this machine and are not allowed (resource.aws_s3_object.extension_x.provisioner)");
    expect((await errorOf(() => readExtension(ext("x.tf", "resource {}")))).message).toContain("an extension is a Terraform JSON file (.json or .tf.json).");
    expect((await errorOf(() => readExtension(ext("bad.json", "{")))).message).toMatch(/not valid JSON/);
    expect((await errorOf(() => readExtension(ext("list.json", "[]")))).message).toContain("must hold a JSON object of Terraform blocks");
  });

  it("deploy passes it to synth, and its guards still read the plan", async () => {
    const h = harness({ "scoring-default": config([]) });
    h.runner.plans["scoring-default"] = planStream([["aws_s3_bucket.storage_artifacts", "replace"], ["aws_cloudwatch_dashboard.extension_endpoints", "create"]]);
    const extension: Extension = readExtension(EXAMPLE);
    const report = await runDeploy("p.yaml", { autoApprove: true, extension }, h.deps);
    expect(h.synth.calls[0]!.options.extension).toBe(extension);
    expect(report.status).toBe("refused");
    expect(report.error?.code).toBe("MLP_DATA_LOSS");
  });

  it("synth --extension on the built CLI writes the merged stack", () => {
    const out = join(work, "out-synth-cli");
    const r = mlplat(["synth", "platform.yaml", "--offline", "--extension", EXAMPLE, "--out", out], { cwd: work, env: vars });
    expect(r.code, r.stderr).toBe(0);
    const added = Object.keys(JSON.parse(readFileSync(EXAMPLE, "utf8")).resource.aws_cloudwatch_dashboard);
    expect(Object.keys(stackOf(out).resource.aws_cloudwatch_dashboard ?? {})).toEqual(added);
  });

  it("is refused by the built CLI before anything runs, exit 1, no stack trace", () => {
    const bad = ext("cli-bad.tf.json", { module: { x: { source: "git::https://example.com/x" } } });
    for (const verb of ["synth", "plan", "deploy", "destroy"]) {
      const r = mlplat([verb, "platform.yaml", "--offline", "--auto-approve", "--extension", bad].filter((a) => !(["plan", "synth"].includes(verb) && a === "--auto-approve") && !(verb === "destroy" && a === "--offline")), { cwd: work, env: vars });
      expect(r.code, `${verb}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain("[MLP_EXTENSION_INVALID] --extension");
      expect(r.stderr).toContain("`module` is not allowed");
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    expect(existsSync(join(work, "cdktf.out"))).toBe(false);
  });

  const tf = terraformEnv();
  it.skipIf(!tf.available)("plans the example with the real provider: the dashboard in the review under its own section", () => {
    const r = mlplat(["plan", "platform.yaml", "--offline", "--json", "--extension", EXAMPLE, "--out", join(work, "out-plan")], { cwd: work, env: { ...tf.env, ...vars } });
    expect(r.code, r.stderr).toBe(0);
    const stack = JSON.parse(r.stdout).stacks[0];
    expect(stack.sections.extension).toEqual({ add: 1, change: 0, destroy: 0, replace: 0 });
    expect(stack.resources).toContainEqual(expect.objectContaining({ address: "aws_cloudwatch_dashboard.extension_endpoints", action: "add", section: "extension" }));
  }, 240_000);
});
