import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { runDeploy } from "../../src/engine/deploy.js";
import { checkEndpointRollbacks } from "../../src/engine/rollback-check.js";
import type { EngineDeps } from "../../src/engine/ports.js";
import type { ReviewedChange } from "../../src/engine/review.js";
import type { CommandRunner } from "../../src/quota/preflight.js";
import { config, harness, planStream } from "./fakes.js";

/**
 * The rollback check (hashicorp/terraform-provider-aws#46663, #48997) on a fake terraform and a
 * replayed AWS CLI: describe-endpoint and describe-alarms answers shaped after the SageMaker and
 * CloudWatch API references, in test/engine/recorded/.
 */
const recorded = (f: string) => readFileSync(`test/engine/recorded/${f}`, "utf8");
const model = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} }).model;
const STACK = "safe-scoring-default";
const EP = "aws_sagemaker_endpoint.serving_scorer";
const APPLIED = "safe-scoring-default-scorer-20261207003000000000000002";
const ALARMS = ["latency-p99", "5xx-rate", "drift"].map((a) => `safe-scoring-default-scorer-${a}`);

function state(configName = APPLIED) {
  return {
    format_version: "1.0",
    values: {
      root_module: {
        resources: [
          {
            address: EP,
            mode: "managed",
            type: "aws_sagemaker_endpoint",
            name: "serving_scorer",
            values: { name: "safe-scoring-default-scorer", endpoint_config_name: configName, deployment_config: [{ auto_rollback_configuration: [{ alarms: ALARMS.map((alarm_name) => ({ alarm_name })) }] }] },
          },
        ],
      },
    },
  };
}

function cli(answers: Record<string, string>) {
  const calls: string[] = [];
  const run = (): CommandRunner => async (program, args) => {
    const line = [program, ...args].join(" ");
    calls.push(line);
    const hit = Object.entries(answers).find(([prefix]) => line.startsWith(prefix));
    if (!hit) throw new Error(`Unable to locate credentials (no answer for ${line})`);
    return hit[1];
  };
  return { run, calls };
}
const ROLLED_BACK = {
  "aws sagemaker describe-endpoint --endpoint-name safe-scoring-default-scorer": recorded("aws-sagemaker-describe-endpoint-rolled-back.json"),
  "aws cloudwatch describe-alarms": recorded("aws-cloudwatch-describe-alarms-latency-in-alarm.json"),
};
const change = (address: string, action: ReviewedChange["action"]): ReviewedChange => ({ address, type: address.split(".")[0]!, action, section: "serving", item: "scorer", replacePaths: [] });

describe("deploy's endpoint rollback check", () => {
  it("fails the deploy with exit 3 when SageMaker rolled the update back, naming the alarm in ALARM", async () => {
    const h = harness({ [STACK]: config([EP]) }, true);
    h.runner.plans[STACK] = planStream([[EP, "update"]]);
    h.runner.states[STACK] = state();
    const aws = cli(ROLLED_BACK);
    const synth = h.deps.synth;
    const deps: EngineDeps = { ...h.deps, cloudCli: aws.run, synth: async (f, o) => ({ ...(await synth(f, o)), model }) };
    const err = await runDeploy("blueprints/safe-rollout.yaml", { autoApprove: true }, deps).catch((e: unknown) => e);
    expect(h.runner.methods()).toContain(`apply ${STACK}`);
    expect(err).toMatchObject({ code: "MLP_ENDPOINT_ROLLED_BACK", exitCode: 3 });
    const e = err as { message: string; details: string };
    expect(e.message).toBe("SageMaker rolled back the update of safe-scoring-default-scorer in safe-scoring-default: the new version is not serving, although terraform reported success.");
    expect(e.details).toBe(
      `  - safe-scoring-default-scorer (${EP}) serves safe-scoring-default-scorer-20261206101500000000000001, not the applied ${APPLIED}; status InService; alarm in ALARM: safe-scoring-default-scorer-latency-p99`,
    );
    expect(aws.calls.filter((c) => !c.startsWith("aws service-quotas"))).toEqual([
      "aws sagemaker describe-endpoint --endpoint-name safe-scoring-default-scorer --region eu-west-1 --output json",
      `aws cloudwatch describe-alarms --alarm-names ${ALARMS.join(" ")} --state-value ALARM --region eu-west-1 --output json`,
    ]);
  });

  it("passes when the endpoint serves the applied configuration", async () => {
    const h = harness({ [STACK]: config([EP]) });
    h.runner.states[STACK] = state("safe-scoring-default-scorer-20261206101500000000000001");
    const aws = cli(ROLLED_BACK);
    const deps = { ...h.deps, cloudCli: aws.run } as EngineDeps;
    await expect(checkEndpointRollbacks(deps, { name: STACK, dir: "/out/stacks/" + STACK }, model, [change(EP, "change")])).resolves.toEqual([]);
    expect(aws.calls).toHaveLength(1);
  });

  it("reads nothing when the plan updated no endpoint, or on another cloud", async () => {
    const h = harness({ [STACK]: config([EP]) });
    const aws = cli(ROLLED_BACK);
    const deps = { ...h.deps, cloudCli: aws.run } as EngineDeps;
    await checkEndpointRollbacks(deps, { name: STACK, dir: "/s/" + STACK }, model, [change("aws_cloudwatch_metric_alarm.serving_scorer_latency-alarm", "change")]);
    await checkEndpointRollbacks(deps, { name: STACK, dir: "/s/" + STACK }, { ...model, cloud: "gcp" }, [change(EP, "change")]);
    expect(aws.calls).toEqual([]);
    expect(h.runner.calls).toEqual([]);
  });

  it("says when no AWS CLI can run the check", async () => {
    const h = harness({ [STACK]: config([EP]) });
    await checkEndpointRollbacks(h.deps, { name: STACK, dir: "/s/" + STACK }, model, [change(EP, "replace")]);
    expect(h.printed).toEqual([
      "Endpoint rollback check skipped: no AWS CLI to read aws_sagemaker_endpoint.serving_scorer; check with `aws sagemaker describe-endpoint` that they serve the new configuration.",
    ]);
  });
});
