import { join } from "node:path";
import { expect } from "vitest";
import type { Expected } from "./corpus.js";
import { describeDay2Tier, plannedDisruptions, tierWorkDir } from "./day2-tier.js";

/**
 * Day-2 edits of blueprints/safe-rollout.yaml (issue 18): SageMaker endpoints with a canary
 * (scorer, with capture and drift) and a linear (ranker) rollout, planned against its deployed v1
 * with the real hashicorp/aws provider, offline (README.md here). What must hold: a rollout
 * replaces only the immutable model and configuration (created before the old ones go) and the
 * scaling registration around the update (stacks/aws/README.md, "Day-2 changes"); the endpoint
 * is updated in place, never replaced; the drift monitor and the alarms the rollout rolls back on
 * are untouched by a new version.
 */
const ROOT = new URL("../../", import.meta.url).pathname;

type Spec = Record<string, any>;
const endpoint = (doc: Spec, name: string) => doc.spec.serving.endpoints.find((e: Spec) => e.name === name);
/** A new version of one endpoint: its model and configuration, and the scaling registered around the update. */
const versionOf = (ep: string, model = true) => [
  ...(model ? [`aws_sagemaker_model.serving_${ep}_model`] : []),
  `aws_sagemaker_endpoint_configuration.serving_${ep}_config`,
  `aws_appautoscaling_target.serving_${ep}_scaling-target`,
  `aws_appautoscaling_policy.serving_${ep}_scaling-policy`,
];

const EDITS: { name: string; edit: (doc: Spec) => void; expect: Expected; forcedReplacement?: { address: string; path: string } }[] = [
  {
    name: "a new image under a canary rollout (scorer)",
    edit: (d) => (endpoint(d, "scorer").image = "server:1.5.0"),
    expect: { replace: versionOf("scorer"), update: ["aws_sagemaker_endpoint.serving_scorer"] },
  },
  {
    name: "roll the scorer back to the previous image (an older tag is a new version too)",
    edit: (d) => (endpoint(d, "scorer").image = "server:1.3.2"),
    expect: { replace: versionOf("scorer"), update: ["aws_sagemaker_endpoint.serving_scorer"] },
  },
  {
    name: "a new image under a linear rollout (ranker)",
    edit: (d) => (endpoint(d, "ranker").image = "server:1.5.0"),
    expect: { replace: versionOf("ranker"), update: ["aws_sagemaker_endpoint.serving_ranker"] },
  },
  {
    name: "a new instance type under a linear rollout (ranker): the configuration, not the model",
    edit: (d) => (endpoint(d, "ranker").instanceType = "ml.c5.2xlarge"),
    expect: { replace: versionOf("ranker", false), update: ["aws_sagemaker_endpoint.serving_ranker"] },
  },
  {
    name: "a longer bake and a larger canary: the deployment configuration, in place",
    edit: (d) => Object.assign(endpoint(d, "scorer").rollout, { bakeMinutes: 20, canaryPercent: 25 }),
    expect: { update: ["aws_sagemaker_endpoint.serving_scorer"] },
  },
  {
    // Finding: the provider marks `deployment_config.auto_rollback_configuration` ForceNew
    // (internal/service/sagemaker/endpoint.go): adding or removing alarm rollback on a deployed
    // endpoint replaces it (changing its alarms does not). The disruption guard refuses it.
    name: "turn the ranker's rollout off: the endpoint is REPLACED (provider ForceNew), which deploy refuses without --allow-disruption",
    edit: (d) => delete endpoint(d, "ranker").rollout,
    expect: { replace: ["aws_sagemaker_endpoint.serving_ranker"], update: ["aws_iam_role_policy.serving_ranker_execution-policy"] },
    forcedReplacement: { address: "aws_sagemaker_endpoint.serving_ranker", path: "deployment_config.0.auto_rollback_configuration" },
  },
  {
    name: "turn monitoring on for the ranker: a configuration with capture, the drift monitor and its alarm created",
    edit: (d) =>
      (endpoint(d, "ranker").monitoring = { capture: { samplePercent: 10, bucket: "captures" }, drift: { schedule: "hourly", baseline: { bucket: "baselines", path: "ranker/" } } }),
    expect: {
      replace: versionOf("ranker", false),
      update: ["aws_sagemaker_endpoint.serving_ranker", "aws_iam_role_policy.serving_ranker_execution-policy"],
      create: [
        "aws_sagemaker_data_quality_job_definition.serving_ranker_drift_job-definition",
        "aws_sagemaker_monitoring_schedule.serving_ranker_drift_schedule",
        "aws_cloudwatch_metric_alarm.serving_ranker_drift_alarm",
        "aws_cloudwatch_event_rule.serving_ranker_drift_events-rule",
      ],
    },
  },
];

describeDay2Tier("day-2 rollout edits of safe-rollout against its deployed v1 (real hashicorp/aws, offline)", {
  blueprint: join(ROOT, "blueprints", "safe-rollout.yaml"),
  work: tierWorkDir("mlplat-change-impact-rollout-"),
  edits: EDITS,
  label: "change-impact tier (rollout)",
  check: (e, changes) => {
    // Nothing in service is replaced: never an endpoint (but for the documented finding, which the
    // disruption guard refuses), an alarm, the drift monitor or a bucket.
    const replaced = changes.filter((c) => c.actions.includes("create") && c.actions.includes("delete"));
    const inService = replaced.filter((c) => /^aws_(sagemaker_endpoint|cloudwatch_metric_alarm|sagemaker_monitoring_schedule|sagemaker_data_quality_job_definition|s3_bucket)\./.test(c.address));
    expect(inService.map((c) => `${c.address} ${c.replacePaths.join(",")}`)).toEqual(e.forcedReplacement ? [`${e.forcedReplacement.address} ${e.forcedReplacement.path}`] : []);
    if (e.forcedReplacement) {
      expect(plannedDisruptions(changes).map((d) => `${d.kind} ${d.action} ${d.address}`)).toEqual([`endpoint replace ${e.forcedReplacement.address}`]);
    }
    // Configurations and models are created before the old ones are deleted (#40048: the old one
    // goes only after the endpoint moved off it; a SageMaker rollback is caught by deploy's check).
    for (const c of replaced.filter((r) => /^aws_sagemaker_(model|endpoint_configuration)\./.test(r.address))) expect(c.actions, c.address).toEqual(["create", "delete"]);
  },
});
