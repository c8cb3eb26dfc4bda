import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification/index.js";
import { SagemakerPipeline } from "@cdktf/provider-aws/lib/sagemaker-pipeline/index.js";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule/index.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { RetrainingPipeline } from "../../stacks/aws/retraining-pipeline.js";
import { Template } from "../helpers/template.js";
import { ACCOUNT, policyOf, synthConstruct } from "./synth.js";

/**
 * `spec.pipelines` on AWS: the reference blueprint (blueprints/continuous-training.yaml) through
 * the real pipeline (load, rules, resolve, synth), asserted per resource, with the policies
 * checked for least privilege; and the construct alone for what the reference does not use.
 */
const ROOT = join(__dirname, "../..");
const BP = join(ROOT, "blueprints/continuous-training.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-aws-pipelines-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let t: Template;
beforeAll(async () => {
  const { stacks } = await synthesizeBlueprint(BP, { outDir: join(work, "out"), stateDir: join(work, "state") });
  t = Template.fromJson(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
}, 120_000);

const PIPELINE = "fraud-ct-default-retrain-fraud";
const one = (type: string) => {
  const all = Object.values(t.resources(type));
  expect(all).toHaveLength(1);
  return all[0]!;
};
const roleNamed = (name: string) => Object.entries(t.resources(IamRole.tfResourceType)).find(([, r]) => r.name === name)!;
const policiesOf = (roleId: string) => Object.values(t.resources(IamRolePolicy.tfResourceType)).filter((p) => p.role === `\${aws_iam_role.${roleId}.id}`).flatMap((p) => policyOf(p).Statement);

describe("continuous-training on AWS", () => {
  it("creates the SageMaker pipeline from the definition file, as a literal, run by its own role", () => {
    const p = one(SagemakerPipeline.tfResourceType);
    expect(p.pipeline_name).toBe(PIPELINE);
    const text = readFileSync(join(ROOT, "blueprints/pipelines/retrain-fraud.sagemaker.json"), "utf8");
    expect(JSON.parse(p.pipeline_definition)).toEqual(JSON.parse(text));
    const [roleId, role] = roleNamed(`${PIPELINE}-pipeline`);
    expect(p.role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "sagemaker.amazonaws.com" });
  });

  it("schedules it weekly with EventBridge Scheduler: cron in UTC, no flexible window, the parameters", () => {
    const s = one(SchedulerSchedule.tfResourceType);
    expect(s).toMatchObject({
      name: PIPELINE,
      schedule_expression: "cron(0 3 ? * MON *)",
      schedule_expression_timezone: "UTC",
      flexible_time_window: { mode: "OFF" },
      target: {
        arn: expect.stringMatching(/^\$\{aws_sagemaker_pipeline\.[\w-]+\.arn\}$/),
        sagemaker_pipeline_parameters: { pipeline_parameter: [{ name: "num_round", value: "200" }, { name: "max_depth", value: "6" }] },
      },
    });
  });

  it("turns on EventBridge notifications on the watched bucket only, and starts the pipeline on new objects under daily/", () => {
    const n = one(S3BucketNotification.tfResourceType);
    expect(n.eventbridge).toBe(true);
    expect(n.bucket).toMatch(/^\$\{aws_s3_bucket\.storage_datasets\.id\}$/);
    const rules = Object.values(t.resources(CloudwatchEventRule.tfResourceType));
    const data = rules.find((r) => r.name === `${PIPELINE}-data-datasets`)!;
    const pattern = JSON.parse(data.event_pattern);
    expect(pattern).toEqual({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: [expect.stringMatching(/^fraud-ct-default-datasets-[a-z0-9]{6}$/)] }, object: { key: [{ prefix: "daily/" }] } } });
  });

  it("starts it when an alarm of the scorer endpoint (named by prefix) goes to ALARM", () => {
    const rules = Object.values(t.resources(CloudwatchEventRule.tfResourceType));
    const alarm = rules.find((r) => r.name === `${PIPELINE}-alarm-scorer`)!;
    expect(JSON.parse(alarm.event_pattern)).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [{ prefix: "fraud-ct-default-scorer-" }], state: { value: ["ALARM"] } },
    });
    // The endpoint's alarms carry that prefix (stacks/aws/managed-endpoint.ts).
    const alarmNames = Object.values(t.resources("aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name as string);
    expect(alarmNames).toContain("fraud-ct-default-scorer-latency-p99");
    const targets = Object.values(t.resources(CloudwatchEventTarget.tfResourceType));
    expect(targets).toHaveLength(2);
    for (const target of targets) {
      expect(target.arn).toMatch(/^\$\{aws_sagemaker_pipeline\.[\w-]+\.arn\}$/);
      expect(target.sagemaker_pipeline_target).toEqual({ pipeline_parameter_list: [{ name: "num_round", value: "200" }, { name: "max_depth", value: "6" }] });
    }
  });

  it("keeps the alarm rule, unchanged, on the first deploy that defers the scorer (its image is not pushed yet)", async () => {
    const { stacks } = await synthesizeBlueprint(BP, { outDir: join(work, "first"), stateDir: join(work, "first-state"), deferEndpoints: ["scorer"] });
    const first = Template.fromJson(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
    expect(Object.keys(first.resources("aws_sagemaker_endpoint"))).toEqual([]);
    const rule = Object.values(first.resources(CloudwatchEventRule.tfResourceType)).find((r) => r.name === `${PIPELINE}-alarm-scorer`)!;
    expect(JSON.parse(rule.event_pattern).detail.alarmName).toEqual([{ prefix: "fraud-ct-default-scorer-" }]);
  }, 120_000);

  it("gives the scheduler and the rules roles that may only start this pipeline, trusted for this account", () => {
    for (const [suffix, service] of [["schedule", "scheduler.amazonaws.com"], ["events", "events.amazonaws.com"]] as const) {
      const [id, role] = roleNamed(`${PIPELINE}-${suffix}`);
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]);
      expect(policiesOf(id)).toEqual([{ Sid: "StartThisPipeline", Effect: "Allow", Action: "sagemaker:StartPipelineExecution", Resource: expect.stringMatching(/^\$\{aws_sagemaker_pipeline\.[\w-]+\.arn\}$/) }]);
    }
  });

  it("limits the execution role: listed buckets and keys, pipeline-named jobs, itself to SageMaker, the model package group (registry.models)", () => {
    const [id] = roleNamed(`${PIPELINE}-pipeline`);
    const st = policiesOf(id);
    for (const s of st) {
      for (const a of [s.Action].flat()) expect(a, `${s.Sid}`).not.toContain("*");
      // GetAuthorizationToken has no resource form (sourced in the construct).
      if (s.Sid !== "EcrToken") for (const r of [s.Resource].flat()) expect(r, `${s.Sid}`).not.toBe("*");
    }
    const sid = (name: string) => st.find((s) => s.Sid === name);
    expect(sid("Data")!.Resource).toEqual([expect.stringMatching(/aws_s3_bucket\.storage_datasets\.arn\}\/\*$/), expect.stringMatching(/aws_s3_bucket\.storage_models\.arn\}\/\*$/)]);
    expect(sid("DataKeys")!.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    expect(sid("PipelineJobs")!.Resource).toEqual(["training-job", "processing-job", "transform-job"].map((j) => `arn:aws:sagemaker:us-east-1:123456789012:${j}/pipelines-*`));
    expect(sid("PassOnlyItselfToSageMaker")).toEqual({ Sid: "PassOnlyItselfToSageMaker", Effect: "Allow", Action: "iam:PassRole", Resource: `\${aws_iam_role.${id}.arn}`, Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } });
    expect(sid("RegisterModels")!.Resource).toEqual(["arn:aws:sagemaker:us-east-1:123456789012:model-package-group/fraud-ct-default-models", "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-ct-default-models/*"]);
  });

  it("outputs the pipeline names, ARNs and the role the definitions' steps run as", () => {
    const out = t.outputs();
    expect(out.pipeline_names!.value).toEqual({ "retrain-fraud": expect.stringContaining("aws_sagemaker_pipeline") });
    expect(out.pipeline_arns!.value).toEqual({ "retrain-fraud": expect.stringMatching(/\.arn\}$/) });
    expect(out.pipeline_role_arns!.value).toEqual({ "retrain-fraud": expect.stringMatching(/aws_iam_role\.[\w-]+\.arn\}$/) });
  });

  it("matches the role ARN the example SageMaker definition's steps use", () => {
    const text = readFileSync(join(ROOT, "blueprints/pipelines/retrain-fraud.sagemaker.json"), "utf8");
    expect(text).toContain(`"RoleArn": "arn:aws:iam::123456789012:role/${PIPELINE}-pipeline"`);
  });
});

describe("the AWS pipeline resolver and construct", () => {
  it("gives no model-package permission without registry.models, and no schedule or rules without them", () => {
    const t2 = synthConstruct((stack) => {
      new RetrainingPipeline(stack, "p", { ...ACCOUNT, pipelineName: "x-p", definition: '{"Version":"2020-12-01","Steps":[]}', executionRoleName: "x-p-pipeline", buckets: [], s3ViaService: "s3.us-east-1.amazonaws.com" });
    });
    const st = Object.values(t2.resources(IamRolePolicy.tfResourceType)).flatMap((p) => policyOf(p).Statement);
    expect(st.map((s) => s.Sid)).toEqual(["PipelineJobs", "PipelineModels", "JobLogs", "PassOnlyItselfToSageMaker"]);
    expect(Object.keys(t2.resources(SchedulerSchedule.tfResourceType))).toEqual([]);
    expect(Object.keys(t2.resources(CloudwatchEventRule.tfResourceType))).toEqual([]);
    expect(Object.keys(t2.resources(IamRole.tfResourceType))).toHaveLength(1);
  });

  it("keeps `${` and `%{` in a definition as text (the escaping sink), not Terraform expressions", async () => {
    const dir = mkdtempSync(join(work, "sink-"));
    const def = join(dir, "def.json");
    writeFileSync(def, JSON.stringify({ Version: "2020-12-01", Steps: [{ Name: "Stop", Type: "Fail", Arguments: { ErrorMessage: "${var.x} %{ if true }y%{ endif }" } }] }));
    const bp = join(dir, "bp.yaml");
    writeFileSync(bp, readFileSync(BP, "utf8").replace("aws: pipelines/retrain-fraud.sagemaker.json", "aws: def.json").replace(/parameters: \{[^}]*\}/, ""));
    const { stacks } = await synthesizeBlueprint(bp, { outDir: join(dir, "out"), stateDir: join(dir, "state") });
    const raw = readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8");
    const p = Object.values(Template.fromJson(raw).resources(SagemakerPipeline.tfResourceType))[0]!;
    expect(p.pipeline_definition).toContain("$${var.x} %%{ if true }y%%{ endif }");
  }, 120_000);
});
