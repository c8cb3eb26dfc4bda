import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { AWS_ROLLOUT_RULES } from "./aws-rollout-rules.js";
import { AWS_RULES } from "./aws-rules.js";
import { synthCtx } from "./cases.js";
import { runRules, type SynthJson } from "./rule.js";

/** safe-rollout.yaml passes the rollout rules; each rule fires on what AWS refuses. */
const model = loadBlueprintOrThrow("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} }).model;
const fresh = (): SynthJson => JSON.parse(Testing.synth(new AwsPlatformStack(Testing.app(), model.stackName, awsTarget.resolve(model, synthCtx))));
const ctx = { blueprint: "safe-rollout.yaml", model };
const run = (json: SynthJson) => runRules(AWS_ROLLOUT_RULES, json, ctx);

describe("aws first-deploy rules of rollouts and monitoring", () => {
  it("are part of the AWS table, and safe-rollout.yaml passes them", () => {
    for (const r of AWS_ROLLOUT_RULES) expect(AWS_RULES).toContain(r);
    expect(run(fresh())).toEqual([]);
  });

  it("fires when the endpoint does not wait for a rollback alarm, or names one the stack lacks", () => {
    const j = fresh();
    const ep = j.resource.aws_sagemaker_endpoint.serving_scorer;
    ep.depends_on = ep.depends_on.filter((d: string) => !d.includes("drift_alarm"));
    ep.deployment_config.auto_rollback_configuration.alarms.push({ alarm_name: "someone-elses-alarm" });
    expect(run(j)).toEqual([
      "aws-sagemaker-rollback-alarms-before-endpoint: aws_sagemaker_endpoint.serving_scorer does not depend on aws_cloudwatch_metric_alarm.serving_scorer_drift_alarm (alarm safe-scoring-default-scorer-drift)",
      "aws-sagemaker-rollback-alarms-before-endpoint: aws_sagemaker_endpoint.serving_scorer rolls back on alarm someone-elses-alarm, which this stack does not create",
    ]);
  });

  it("fires on SageMaker's blue/green limits", () => {
    const j = fresh();
    const p = j.resource.aws_sagemaker_endpoint.serving_ranker.deployment_config.blue_green_update_policy;
    p.traffic_routing_configuration.wait_interval_in_seconds = 3700;
    p.traffic_routing_configuration.linear_step_size.value = 5;
    p.maximum_execution_timeout_in_seconds = 20000;
    j.resource.aws_sagemaker_endpoint_configuration.serving_ranker_config.production_variants[0].initial_instance_count = 1;
    expect(run(j)).toEqual([
      "aws-sagemaker-blue-green-limits: aws_sagemaker_endpoint.serving_ranker wait_interval_in_seconds 3700 is outside 0-3600",
      "aws-sagemaker-blue-green-limits: aws_sagemaker_endpoint.serving_ranker maximum_execution_timeout_in_seconds 20000 is outside 600-14400",
      "aws-sagemaker-blue-green-limits: aws_sagemaker_endpoint.serving_ranker LINEAR size CAPACITY_PERCENT 5 is outside 10-50 CAPACITY_PERCENT",
      "aws-sagemaker-blue-green-limits: aws_sagemaker_endpoint.serving_ranker splits traffic LINEAR over 1 instance: at least 2 are needed",
    ]);
  });

  it("fires on monitoring without capture, a bad schedule and an EventBridge target without its log policy", () => {
    const j = fresh();
    delete j.resource.aws_sagemaker_endpoint_configuration.serving_scorer_config.data_capture_config;
    j.resource.aws_sagemaker_monitoring_schedule.serving_scorer_drift_schedule.monitoring_schedule_config.schedule_config.schedule_expression = "cron(30 2 * * ? *)";
    delete j.resource.aws_cloudwatch_log_resource_policy;
    expect(run(j)).toEqual([
      "aws-model-monitor-needs-capture: aws_sagemaker_endpoint.serving_scorer does not capture requests and responses for serving_scorer_drift_job-definition",
      'aws-model-monitor-schedule-expression: aws_sagemaker_monitoring_schedule.serving_scorer_drift_schedule schedule_expression "cron(30 2 * * ? *)" is neither hourly nor daily',
      "aws-eventbridge-to-logs-policy: aws_cloudwatch_event_target.serving_scorer_drift_events-target: no log resource policy lets EventBridge write to /aws/events/safe-scoring-default-scorer-drift",
    ]);
  });
});
