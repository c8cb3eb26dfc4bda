import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { synthWithDashboard } from "../../examples/extend-typescript/synth-with-dashboard.js";
import { mlplat } from "../helpers/cli.js";

const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the TypeScript extension example", () => {
  it("adds a CloudWatch dashboard for the SageMaker endpoints to the synthesized platform stack", async () => {
    copyFileSync(join(root, "blueprints/llm-serving.yaml"), join(work, "llm-serving.yaml"));
    const r = await synthWithDashboard(join(work, "llm-serving.yaml"), { outDir: join(work, "out") });
    expect(r).toMatchObject({ stackName: "llm-serving-default", dashboardName: "llm-serving-default-endpoints" });
    const json = JSON.parse(readFileSync(r.stackFile, "utf8"));
    const dashboard = json.resource.aws_cloudwatch_dashboard.dashboard;
    expect(dashboard.dashboard_name).toBe("llm-serving-default-endpoints");
    const body = JSON.parse(dashboard.dashboard_body);
    const endpointName = json.resource.aws_sagemaker_endpoint.serving_embed.name;
    expect(body.widgets.map((w: { properties: { title: string } }) => w.properties.title)).toEqual([`${endpointName}: invocations`, `${endpointName}: model latency (µs)`]);
    expect(body.widgets[1].properties.annotations.horizontal[0].value).toBe(500_000);
    // Everything mlplat builds is still there, under its usual addresses.
    expect(json.resource.aws_eks_cluster).toBeDefined();
    expect(Object.keys(json.resource.aws_s3_bucket)).toEqual(expect.arrayContaining(["storage_models", "storage_evals"]));
  });

  it("puts a text widget on the dashboard of a platform without managed endpoints", async () => {
    const r = await synthWithDashboard(join(root, "blueprints/batch-training.yaml"), { env: "aws", outDir: join(work, "out-batch") });
    const body = JSON.parse(JSON.parse(readFileSync(r.stackFile, "utf8")).resource.aws_cloudwatch_dashboard.dashboard.dashboard_body);
    expect(body.widgets).toEqual([expect.objectContaining({ type: "text" })]);
  });

  it("throws for an environment on another cloud", async () => {
    await expect(synthWithDashboard(join(root, "blueprints/batch-training.yaml"), { env: "gcp", outDir: join(work, "out-gcp") })).rejects.toThrow(
      "this example extends the AWS stack; ",
    );
  });
});

describe("the multi-environment example", () => {
  const file = join(root, "examples/multi-environment/platform.yaml");
  const envs = ["default", ...Object.keys((parse(readFileSync(file, "utf8")) as { environments: object }).environments)];

  it("defines dev, staging and prod, and its $schema modeline points at the committed schema", () => {
    expect(envs).toEqual(["default", "dev", "staging", "prod"]);
    const first = readFileSync(file, "utf8").split("\n")[0]!;
    const target = first.replace("# yaml-language-server: $schema=", "");
    expect(existsSync(resolve(dirname(file), target))).toBe(true);
    expect(resolve(dirname(file), target)).toBe(join(root, "blueprints/blueprint.schema.json"));
  });

  it.each(envs)("validates with no error and synthesizes in environment %s", async (env) => {
    const r = loadBlueprint(file, { env, today: "2026-11-25", vars: {} });
    expect(r.diagnostics.filter(isError).map((d) => renderDiagnostic(d))).toEqual([]);
    const s = await synthesizeBlueprint(file, { env, outDir: join(work, `multi-${env}`), stateDir: join(work, "state"), offline: true });
    expect(s.model.stackName).toBe(`recsys-${env}`);
  });

  it("differs per environment as its README says: prod in us-west-2 on S3 state, dev on spot", () => {
    const prod = loadBlueprint(file, { env: "prod", vars: {} }).model!;
    expect(prod.region).toBe("us-west-2");
    expect(prod.state.backend).toBe("s3");
    expect(prod.aws?.accountId).toBe("333333333333");
    const dev = loadBlueprint(file, { env: "dev", vars: {} }).model!;
    expect(dev.cluster!.nodePools[0]!.spot).toBe(true);
    expect(dev.buckets.every((b) => !b.protect)).toBe(true);
  });

  it("the README's commands work through the CLI", () => {
    const readme = readFileSync(join(root, "examples/multi-environment/README.md"), "utf8");
    const cmds = [...readme.matchAll(/^mlplat (validate|cost) +platform\.yaml --env (\w+)/gm)].map((m) => [m[1]!, "platform.yaml", "--env", m[2]!]);
    expect(cmds.length).toBe(2);
    for (const args of cmds) {
      const r = mlplat(args, { cwd: dirname(file) });
      expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
    }
  });
});
