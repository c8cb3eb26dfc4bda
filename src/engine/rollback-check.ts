/**
 * After deploy applies an AWS stack: did SageMaker keep each endpoint update the plan made?
 *
 * SageMaker rolls a blue/green update back by itself when one of the endpoint's alarms fires, and
 * the endpoint returns to InService on its old configuration; the provider can then report the
 * update as a success (hashicorp/terraform-provider-aws#46663, #48997), and the state records the
 * new configuration as deployed. So for every `aws_sagemaker_endpoint` the plan updated or
 * replaced, this reads the state's `endpoint_config_name` (what Terraform believes runs) and
 * `aws sagemaker describe-endpoint` (what runs), through the engine's cloud-CLI port. A different
 * configuration, or a failed status, is a rollback: deploy fails with MLP_ENDPOINT_ROLLED_BACK
 * (exit 3), naming the endpoint's rollback alarms that are in ALARM (`aws cloudwatch
 * describe-alarms --state-value ALARM`). The next plan shows the drift and applies the update
 * again once the cause is fixed; nothing here changes the cloud or the state.
 */
import { z } from "zod";
import type { PlatformModel } from "../model/platform.js";
import { EXIT, MlplatError } from "../util/errors.js";
import type { EngineDeps, SynthedStack } from "./ports.js";
import type { ReviewedChange } from "./review.js";

const ENDPOINT = "aws_sagemaker_endpoint";

const StateEndpoint = z.object({
  type: z.literal(ENDPOINT),
  address: z.string(),
  values: z.object({
    name: z.string(),
    endpoint_config_name: z.string(),
    deployment_config: z
      .array(z.object({ auto_rollback_configuration: z.array(z.object({ alarms: z.array(z.object({ alarm_name: z.string() })).optional() })).optional() }))
      .optional(),
  }),
});
type StateEndpoint = z.infer<typeof StateEndpoint>;

const DescribeEndpoint = z.object({
  EndpointName: z.string(),
  EndpointConfigName: z.string(),
  EndpointStatus: z.string(),
  FailureReason: z.string().optional(),
});
const DescribeAlarms = z.object({ MetricAlarms: z.array(z.object({ AlarmName: z.string(), StateReason: z.string().optional() })).default([]) });

export interface RolledBack {
  readonly address: string;
  readonly endpointName: string;
  /** The configuration Terraform applied (in the state). */
  readonly appliedConfig: string;
  /** The configuration SageMaker serves. */
  readonly servingConfig: string;
  readonly status: string;
  readonly failureReason?: string;
  /** Rollback alarms in ALARM now. */
  readonly alarmsInAlarm: readonly string[];
}

/** Endpoint addresses the plan updated or replaced. */
export function updatedEndpoints(resources: readonly ReviewedChange[]): string[] {
  return resources.filter((r) => r.type === ENDPOINT && (r.action === "change" || r.action === "replace")).map((r) => r.address);
}

/**
 * Throws MLP_ENDPOINT_ROLLED_BACK when an endpoint the plan updated does not serve what was
 * applied. No-op for other clouds, for plans that updated no endpoint, and without a cloud CLI
 * port (then it says the check did not run).
 */
export async function checkEndpointRollbacks(deps: EngineDeps, stack: SynthedStack, model: PlatformModel | undefined, resources: readonly ReviewedChange[]): Promise<RolledBack[]> {
  if (model?.cloud !== "aws") return [];
  const addresses = updatedEndpoints(resources);
  if (addresses.length === 0) return [];
  if (!deps.cloudCli) {
    deps.ui.print(`Endpoint rollback check skipped: no AWS CLI to read ${addresses.join(", ")}; check with \`aws sagemaker describe-endpoint\` that they serve the new configuration.`);
    return [];
  }
  const aws = deps.cloudCli(stack.dir);
  const state = endpointsInState(await deps.runner.showState(stack.dir)).filter((e) => addresses.includes(e.address));
  const rolledBack: RolledBack[] = [];
  for (const e of state) {
    const out = await deps.progress.step("rollback check", stack.name, () =>
      aws("aws", ["sagemaker", "describe-endpoint", "--endpoint-name", e.values.name, "--region", model.region, "--output", "json"]),
    );
    const live = DescribeEndpoint.parse(JSON.parse(out));
    const failed = live.EndpointStatus === "Failed" || live.EndpointStatus === "UpdateRollbackFailed";
    if (live.EndpointConfigName === e.values.endpoint_config_name && !failed) continue;
    const alarms = e.values.deployment_config?.[0]?.auto_rollback_configuration?.[0]?.alarms?.map((a) => a.alarm_name) ?? [];
    let inAlarm: string[] = [];
    if (alarms.length > 0) {
      const described = DescribeAlarms.parse(
        JSON.parse(await aws("aws", ["cloudwatch", "describe-alarms", "--alarm-names", ...alarms, "--state-value", "ALARM", "--region", model.region, "--output", "json"])),
      );
      inAlarm = described.MetricAlarms.map((a) => a.AlarmName);
    }
    rolledBack.push({
      address: e.address,
      endpointName: e.values.name,
      appliedConfig: e.values.endpoint_config_name,
      servingConfig: live.EndpointConfigName,
      status: live.EndpointStatus,
      ...(live.FailureReason ? { failureReason: live.FailureReason } : {}),
      alarmsInAlarm: inAlarm,
    });
  }
  if (rolledBack.length > 0) throw rollbackError(stack.name, rolledBack);
  return rolledBack;
}

function endpointsInState(state: unknown): StateEndpoint[] {
  const out: StateEndpoint[] = [];
  const walk = (module: unknown) => {
    if (!module || typeof module !== "object") return;
    const m = module as { resources?: unknown[]; child_modules?: unknown[] };
    for (const r of m.resources ?? []) {
      const parsed = StateEndpoint.safeParse(r);
      if (parsed.success) out.push(parsed.data);
    }
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk((state as { values?: { root_module?: unknown } })?.values?.root_module);
  return out;
}

function rollbackError(stack: string, items: readonly RolledBack[]): MlplatError {
  const lines = items.map((r) => {
    const why = r.alarmsInAlarm.length > 0 ? `alarm${r.alarmsInAlarm.length === 1 ? "" : "s"} in ALARM: ${r.alarmsInAlarm.join(", ")}` : "none of its rollback alarms is in ALARM now (see `aws cloudwatch describe-alarm-history`)";
    const reason = r.failureReason ? `; SageMaker says: ${r.failureReason}` : "";
    return `  - ${r.endpointName} (${r.address}) serves ${r.servingConfig}, not the applied ${r.appliedConfig}; status ${r.status}; ${why}${reason}`;
  });
  const names = items.map((r) => r.endpointName).join(", ");
  return new MlplatError("MLP_ENDPOINT_ROLLED_BACK", `SageMaker rolled back the update of ${names} in ${stack}: the new version is not serving, although terraform reported success.`, {
    exitCode: EXIT.terraform,
    details: lines.join("\n"),
    hint:
      "look at the alarm named above and the endpoint's logs, fix the image or model, and deploy again: the next plan sees the endpoint on its old configuration and re-applies the update. " +
      "The apply may already have deleted the configuration SageMaker kept serving (create-before-destroy, hashicorp/terraform-provider-aws#48997): the endpoint keeps running on it.",
  });
}

/** Deploy's hook: the check on every stack the run applied. */
export async function checkAppliedEndpoints(
  deps: EngineDeps,
  stacks: readonly SynthedStack[],
  model: PlatformModel | undefined,
  report: { readonly stacks: readonly { readonly name: string; readonly applied: boolean; readonly resources: readonly ReviewedChange[] }[] },
): Promise<void> {
  for (const s of report.stacks) {
    const stack = stacks.find((x) => x.name === s.name);
    if (s.applied && stack) await checkEndpointRollbacks(deps, stack, model, s.resources);
  }
}
