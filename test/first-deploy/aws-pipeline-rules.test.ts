import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { awsTarget } from "../../src/targets/aws/index.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { AWS_RULES } from "./aws-rules.js";
import { firstDeploy, referenceCases, synthCtx } from "./cases.js";
import { runRules, type SynthJson } from "./rule.js";

/** The pipelines rows of the AWS first-deploy table pass on continuous-training and fire on what AWS refuses. */
const c = referenceCases("aws").find((x) => x.file === "continuous-training.yaml" && x.env === undefined)!;
const model = firstDeploy(c.model);
const good = (): SynthJson => JSON.parse(Testing.synth(new AwsPlatformStack(Testing.app(), model.stackName, awsTarget.resolve(model, synthCtx))));
const run = (json: SynthJson) => runRules(AWS_RULES, json, { blueprint: c.file, model });
const only = (json: SynthJson, type: string) => Object.values(json.resource[type] as Record<string, any>)[0]!;

describe("aws first-deploy rules of pipelines", () => {
  it("continuous-training (with its scorer deferred) passes, and the pipeline rows are in the table", () => {
    expect(model.endpoints).toEqual([]);
    expect(run(good())).toEqual([]);
    expect(AWS_RULES.map((r) => r.id)).toEqual(expect.arrayContaining(["aws-scheduler-schedule", "aws-eventbridge-sagemaker-target-role", "aws-s3-eventbridge-notifications", "aws-sagemaker-pipeline"]));
  });

  it("a schedule with a 5-field cron, `?` in both day fields, a bad name, or a role that does not trust the scheduler", () => {
    const json = good();
    const s = only(json, "aws_scheduler_schedule");
    s.schedule_expression = "cron(0 3 * * 1)";
    expect(run(json)).toEqual(['aws-scheduler-schedule: aws_scheduler_schedule.pipelines_retrain-fraud_schedule schedule_expression "cron(0 3 * * 1)": 5 fields (6: minutes hours day-of-month month day-of-week year)']);
    s.schedule_expression = "cron(0 3 ? * ? *)";
    s.name = "retrain fraud";
    const trust = JSON.parse(json.resource.aws_iam_role["pipelines_retrain-fraud_schedule-role"].assume_role_policy);
    trust.Statement[0].Principal.Service = "events.amazonaws.com";
    json.resource.aws_iam_role["pipelines_retrain-fraud_schedule-role"].assume_role_policy = JSON.stringify(trust);
    expect(run(json)).toEqual([
      'aws-scheduler-schedule: aws_scheduler_schedule.pipelines_retrain-fraud_schedule name "retrain fraud" is not 1-64 of [0-9A-Za-z-_.]',
      'aws-scheduler-schedule: aws_scheduler_schedule.pipelines_retrain-fraud_schedule schedule_expression "cron(0 3 ? * ? *)": needs `?` in exactly one of day-of-month and day-of-week',
      "aws-scheduler-schedule: aws_scheduler_schedule.pipelines_retrain-fraud_schedule runs as ${aws_iam_role.pipelines_retrain-fraud_schedule-role.arn}, which does not trust scheduler.amazonaws.com",
    ]);
  });

  it("a SageMaker pipeline target without a role, a rule name past the limit", () => {
    const json = good();
    delete json.resource.aws_cloudwatch_event_target["pipelines_retrain-fraud_alarm-scorer-target"].role_arn;
    json.resource.aws_cloudwatch_event_rule["pipelines_retrain-fraud_alarm-scorer"].name = "r".repeat(65);
    expect(run(json)).toEqual([
      `aws-eventbridge-sagemaker-target-role: aws_cloudwatch_event_rule.pipelines_retrain-fraud_alarm-scorer name "${"r".repeat(65)}" is not 1-64 of [.-_A-Za-z0-9]`,
      "aws-eventbridge-sagemaker-target-role: aws_cloudwatch_event_target.pipelines_retrain-fraud_alarm-scorer-target starts a SageMaker pipeline without role_arn",
    ]);
  });

  it("an Object Created rule on a bucket without EventBridge notifications", () => {
    const json = good();
    delete json.resource.aws_s3_bucket_notification;
    expect(run(json)).toEqual([expect.stringMatching(/^aws-s3-eventbridge-notifications: aws_cloudwatch_event_rule\.pipelines_retrain-fraud_data-datasets watches bucket fraud-ct-default-datasets-[a-z0-9]{6}, which has no EventBridge notifications$/)]);
  });

  it("a pipeline whose role SageMaker cannot assume, or whose name breaks SageMaker's pattern", () => {
    const json = good();
    const p = only(json, "aws_sagemaker_pipeline");
    p.pipeline_name = "retrain_fraud";
    p.role_arn = "arn:aws:iam::123456789012:role/elsewhere";
    expect(run(json)).toEqual([
      'aws-sagemaker-pipeline: aws_sagemaker_pipeline.pipelines_retrain-fraud pipeline_name "retrain_fraud" breaks [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}',
      "aws-sagemaker-pipeline: aws_sagemaker_pipeline.pipelines_retrain-fraud runs as arn:aws:iam::123456789012:role/elsewhere, not a role of this stack",
    ]);
  });
});
