/**
 * Extending mlplat in TypeScript: synthesize a blueprint's AWS platform stack with mlplat's own
 * layers, then add a construct of yours to it before writing the Terraform.
 *
 *   blueprint ─ loadBlueprintOrThrow ─► PlatformModel ─ TARGETS.aws.resolve ─► stack props
 *             ─ TARGETS.aws.loadStack ─► platform stack in your cdktf App ─► + your constructs ─► synth
 *
 * In this repository the imports are relative; from an installed package they are
 * `mlplat/dist/src/blueprint/load.js`, `mlplat/dist/src/targets/index.js` and so on.
 */
import { App, TerraformStack } from "cdktf";
import { join, relative, resolve } from "node:path";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import type { SynthContext } from "../../src/model/platform.js";
import { deriveName } from "../../src/model/names.js";
import { TARGETS } from "../../src/targets/index.js";
import { EndpointDashboard } from "./endpoint-dashboard.js";

export interface SynthWithDashboardOptions {
  /** `--env`. @default the base (`default`) */
  readonly env?: string;
  /** cdktf output folder. */
  readonly outDir: string;
  /** Providers make no API call when planning (as `mlplat synth --offline`). @default true */
  readonly offline?: boolean;
}

export interface SynthWithDashboardResult {
  readonly stackName: string;
  /** `<outDir>/stacks/<stack>/cdk.tf.json`. */
  readonly stackFile: string;
  readonly dashboardName: string;
}

export async function synthWithDashboard(file: string, opts: SynthWithDashboardOptions): Promise<SynthWithDashboardResult> {
  // 1. The blueprint, validated and resolved exactly as `mlplat synth` does it.
  const { model } = loadBlueprintOrThrow(file, { env: opts.env });
  if (model.cloud !== "aws") throw new Error(`this example extends the AWS stack; ${file} targets ${model.cloud} (pick an aws environment with env).`);

  // 2. The AWS target's props: resource names, instance types, everything already resolved.
  const outDir = resolve(opts.outDir);
  const stackDir = join(outDir, "stacks", model.stackName);
  const ctx: SynthContext = {
    offline: opts.offline ?? true,
    localStatePath: relative(stackDir, join(resolve(file, ".."), ".mlplat", "state", `${model.stackName}.tfstate`)),
  };
  const props = TARGETS.aws.resolve(model, ctx);

  // 3. The platform stack in our own App, then our construct inside that stack.
  const addStack = await TARGETS.aws.loadStack();
  const app = new App({ outdir: outDir, stackTraces: false, hclOutput: false });
  addStack(app, model.stackName, props);
  const stack = app.node.findChild(model.stackName) as TerraformStack;
  // A name derived like mlplat's own (`<platform>-<env>-endpoints`), so two environments never collide.
  const dashboardName = deriveName(model, "endpoints", { maxLength: 255, separator: "-" });
  const latencies = model.endpoints.flatMap((e) => (e.runtime === "managed" && e.alarms.latencyP99Ms ? [e.alarms.latencyP99Ms] : []));
  new EndpointDashboard(stack, "dashboard", {
    dashboardName,
    region: model.region,
    endpointNames: props.endpoints.map((e) => e.endpointName),
    latencyTargetMs: latencies.length ? Math.min(...latencies) : undefined,
  });

  // 4. Terraform JSON, as mlplat writes it: plan and deploy it with terraform in <outDir>/stacks/<stack>.
  app.synth();
  return { stackName: model.stackName, stackFile: join(stackDir, "cdk.tf.json"), dashboardName };
}
