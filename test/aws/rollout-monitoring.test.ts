import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { DRIFT_SIGNAL } from "../../stacks/aws/endpoint-monitoring.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { Template } from "../helpers/template.js";
import { OFFLINE } from "./fixtures.js";
import { policyOf } from "./synth.js";

const { model } = loadBlueprint("blueprints/safe-rollout.yaml", { today: "2026-12-07", vars: {} });
const t = Template.fromJson(Testing.synth(new AwsPlatformStack(Testing.app(), model!.stackName, awsTarget.resolve(model!, OFFLINE))));
const S = "safe-scoring-default-scorer";
const R = "safe-scoring-default-ranker";

describe("SageMaker rollout (blueprints/safe-rollout.yaml)", () => {
  it("scorer: blue/green CANARY on 10% of capacity, 10-minute bakes, rollback on its latency, error and drift alarms", () => {
    const ep = t.resource("aws_sagemaker_endpoint", "serving_scorer");
    expect(ep.deployment_config).toEqual({
      blue_green_update_policy: {
        traffic_routing_configuration: { type: "CANARY", canary_size: { type: "CAPACITY_PERCENT", value: 10 }, wait_interval_in_seconds: 600 },
        termination_wait_in_seconds: 0,
        // 2 bakes of 10 minutes + 30 minutes to provision the new fleet.
        maximum_execution_timeout_in_seconds: 3000,
      },
      auto_rollback_configuration: { alarms: [{ alarm_name: `${S}-latency-p99` }, { alarm_name: `${S}-5xx-rate` }, { alarm_name: `${S}-drift` }] },
    });
    // SageMaker reads the alarms when the update starts: the endpoint waits for them, and they name it literally (no cycle).
    expect(ep.depends_on).toEqual(expect.arrayContaining(["aws_cloudwatch_metric_alarm.serving_scorer_latency-alarm", "aws_cloudwatch_metric_alarm.serving_scorer_error-alarm", "aws_cloudwatch_metric_alarm.serving_scorer_drift_alarm"]));
    expect(t.resource("aws_cloudwatch_metric_alarm", "serving_scorer_latency-alarm").dimensions).toEqual({ EndpointName: S, VariantName: "AllTraffic" });
  });

  it("ranker: LINEAR 25% steps of 5 minutes (4 bakes), rollback on latency and errors", () => {
    expect(t.resource("aws_sagemaker_endpoint", "serving_ranker").deployment_config).toEqual({
      blue_green_update_policy: {
        traffic_routing_configuration: { type: "LINEAR", linear_step_size: { type: "CAPACITY_PERCENT", value: 25 }, wait_interval_in_seconds: 300 },
        termination_wait_in_seconds: 0,
        maximum_execution_timeout_in_seconds: 3000,
      },
      auto_rollback_configuration: { alarms: [{ alarm_name: `${R}-latency-p99` }, { alarm_name: `${R}-5xx-rate` }] },
    });
  });

  it("lets the execution role describe exactly its rollback alarms", () => {
    const st = policyOf(t.resource("aws_iam_role_policy", "serving_ranker_execution-policy")).Statement.find((s) => s.Sid === "DescribeRollbackAlarms");
    expect(st).toEqual({
      Sid: "DescribeRollbackAlarms",
      Effect: "Allow",
      Action: "cloudwatch:DescribeAlarms",
      Resource: [`arn:*:cloudwatch:*:*:alarm:${R}-latency-p99`, `arn:*:cloudwatch:*:*:alarm:${R}-5xx-rate`],
    });
  });

  it("adds nothing to an endpoint without rollout (SageMaker's default update)", () => {
    const { model: plain } = loadBlueprint("blueprints/aws-sagemaker-scoring.yaml", { today: "2026-12-07", vars: {} });
    const p = Template.fromJson(Testing.synth(new AwsPlatformStack(Testing.app(), plain!.stackName, awsTarget.resolve(plain!, OFFLINE))));
    for (const ep of Object.values(p.resources("aws_sagemaker_endpoint"))) expect(ep.deployment_config).toBeUndefined();
    for (const c of Object.values(p.resources("aws_sagemaker_endpoint_configuration"))) expect(c.data_capture_config).toBeUndefined();
  });
});

describe("SageMaker monitoring (blueprints/safe-rollout.yaml)", () => {
  it("captures 20% of requests and responses into the capture bucket, with that bucket's key", () => {
    expect(t.resource("aws_sagemaker_endpoint_configuration", "serving_scorer_config").data_capture_config).toEqual({
      enable_capture: true,
      initial_sampling_percentage: 20,
      destination_s3_uri: expect.stringMatching(/^s3:\/\/safe-scoring-default-captures-[a-z0-9]{6}\/capture\/$/),
      kms_key_id: "${aws_kms_key.storage_captures_key.arn}",
      capture_options: [{ capture_mode: "Input" }, { capture_mode: "Output" }],
    });
    const write = policyOf(t.resource("aws_iam_role_policy", "serving_scorer_execution-policy")).Statement.find((s) => s.Sid === "WriteCaptures");
    expect(write.Resource).toBe(`\${aws_s3_bucket.storage_captures.arn}/capture/${S}/*`);
  });

  it("checks data quality daily with the region's Model Monitor image against the baseline's constraints and statistics, in the VPC", () => {
    const def = t.resource("aws_sagemaker_data_quality_job_definition", "serving_scorer_drift_job-definition");
    expect(def.data_quality_app_specification.image_uri).toBe("468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest");
    expect(def.data_quality_baseline_config.constraints_resource.s3_uri).toMatch(/^s3:\/\/safe-scoring-default-baselines-[a-z0-9]{6}\/scorer\/constraints\.json$/);
    expect(def.data_quality_baseline_config.statistics_resource.s3_uri).toMatch(/\/scorer\/statistics\.json$/);
    expect(def.data_quality_job_input.endpoint_input.endpoint_name).toBe(S);
    expect(def.data_quality_job_output_config.kms_key_id).toBe("${aws_kms_key.storage_captures_key.arn}");
    expect(def.job_resources.cluster_config.volume_kms_key_id).toBe("${aws_kms_key.kms.arn}");
    expect(def.network_config).toEqual({
      enable_inter_container_traffic_encryption: true,
      vpc_config: { security_group_ids: ["${aws_security_group.serving_scorer_security-group.id}"], subnets: expect.arrayContaining(["${aws_subnet.network_private-a.id}"]) },
    });
    expect(t.resource("aws_sagemaker_monitoring_schedule", "serving_scorer_drift_schedule").monitoring_schedule_config).toEqual({
      monitoring_job_definition_name: "${aws_sagemaker_data_quality_job_definition.serving_scorer_drift_job-definition.name}",
      monitoring_type: "DataQuality",
      schedule_config: { schedule_expression: "cron(0 0 ? * * *)" },
    });
  });

  it("pins the drift signal: the EventBridge event of a monitoring execution that completes with violations", () => {
    expect(DRIFT_SIGNAL).toEqual({
      source: "aws.sagemaker",
      detailType: "SageMaker Processing Job State Change",
      status: "Completed",
      exitMessagePrefix: "CompletedWithViolations",
      docs: [
        "https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringExecutionSummary.html",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeProcessingJob.html",
      ],
    });
    const rule = t.resource("aws_cloudwatch_event_rule", "serving_scorer_drift_events-rule");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.sagemaker"],
      "detail-type": ["SageMaker Processing Job State Change"],
      detail: {
        MonitoringScheduleArn: ["${aws_sagemaker_monitoring_schedule.serving_scorer_drift_schedule.arn}"],
        ProcessingJobStatus: ["Completed"],
        ExitMessage: [{ prefix: "CompletedWithViolations" }],
      },
    });
    const target = t.resource("aws_cloudwatch_event_target", "serving_scorer_drift_events-target");
    expect(target.arn).toBe(`arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/${S}-drift`);
    expect(t.resource("aws_cloudwatch_log_group", "serving_scorer_drift_events-log-group").kms_key_id).toBe("${aws_kms_key.kms.arn}");
    const filter = t.resource("aws_cloudwatch_log_metric_filter", "serving_scorer_drift_metric-filter");
    expect(filter.metric_transformation).toEqual({ namespace: "mlplat/ModelMonitor", name: `${S}-drift-violations`, value: "1", unit: "Count" });
  });

  it("raises the drift alarm, named with the endpoint's prefix, into the platform topic for a day after a violation", () => {
    const alarm = t.resource("aws_cloudwatch_metric_alarm", "serving_scorer_drift_alarm");
    expect(alarm).toMatchObject({
      alarm_name: `${S}-drift`,
      namespace: "mlplat/ModelMonitor",
      metric_name: `${S}-drift-violations`,
      statistic: "Sum",
      period: 86400,
      evaluation_periods: 1,
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "notBreaching",
      alarm_actions: ["${aws_sns_topic.observability_alerts.arn}"],
    });
    expect(alarm.alarm_name.startsWith(`${S}-`)).toBe(true);
  });

  it("gives the monitoring job only its prefixes and keys, and no wildcard action", () => {
    const statements = policyOf(t.resource("aws_iam_role_policy", "serving_scorer_drift_policy")).Statement;
    for (const st of statements) for (const a of [st.Action].flat()) expect(a).not.toMatch(/\*/);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s.Resource]));
    expect(bySid.ReadCaptures).toBe(`\${aws_s3_bucket.storage_captures.arn}/capture/${S}/*`);
    expect(bySid.WriteReports).toBe(`\${aws_s3_bucket.storage_captures.arn}/monitoring/${S}/*`);
    expect(bySid.ReadBaseline).toEqual(["${aws_s3_bucket.storage_baselines.arn}/scorer/constraints.json", "${aws_s3_bucket.storage_baselines.arn}/scorer/statistics.json"]);
    expect(bySid.Keys).toEqual(["${aws_kms_key.storage_captures_key.arn}", "${aws_kms_key.storage_baselines_key.arn}", "${aws_kms_key.kms.arn}"]);
  });
});
