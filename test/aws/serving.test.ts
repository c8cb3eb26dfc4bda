import { describe, expect, it } from "vitest";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy/index.js";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target/index.js";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerEndpoint } from "@cdktf/provider-aws/lib/sagemaker-endpoint/index.js";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration/index.js";
import { SagemakerModel } from "@cdktf/provider-aws/lib/sagemaker-model/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Budget } from "../../stacks/aws/budget.js";
import { ManagedEndpoint, type ManagedEndpointProps } from "../../stacks/aws/managed-endpoint.js";
import { Serving } from "../../stacks/aws/serving.js";
import { WorkloadRole } from "../../stacks/aws/workload-role.js";
import { policyOf, synthConstruct } from "./synth.js";

const props: ManagedEndpointProps = {
  endpointName: "fraud-default-scorer",
  modelName: "fraud-default-scorer-1a2b3c4d",
  endpointConfigNamePrefix: "fraud-default-scorer-",
  executionRoleName: "fraud-default-scorer-sagemaker",
  securityGroupName: "fraud-default-scorer-endpoint",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-default/serving:1.4.2",
  imageRepositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/fraud-default/serving",
  modelDataUri: "s3://models-x/scorer/1.4.2/",
  modelBucketArn: "arn:aws:s3:::models-x",
  modelPrefix: "scorer/1.4.2/",
  modelBucketKeyArn: "arn:bucket-key",
  instanceType: "ml.g4dn.xlarge",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  minInstances: 1,
  maxInstances: 8,
  targetConcurrency: 8,
  logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/fraud-default-scorer",
  latencyP99Ms: 300,
  errorRatePercent: 1,
  alarmTopicArn: "arn:topic",
};

describe("ManagedEndpoint", () => {
  const t = synthConstruct((s) => void new ManagedEndpoint(s, "scorer", props));

  it("runs the image with uncompressed model data from the bucket prefix inside the private subnets", () => {
    expect(t.resource(SagemakerModel.tfResourceType, "scorer_model")).toMatchObject({
      name: "fraud-default-scorer-1a2b3c4d",
      primary_container: {
        image: props.image,
        model_data_source: { s3_data_source: [{ s3_uri: "s3://models-x/scorer/1.4.2/", s3_data_type: "S3Prefix", compression_type: "None" }] },
      },
      vpc_config: { subnets: ["subnet-a", "subnet-b"], security_group_ids: ["${aws_security_group.scorer_security-group.id}"] },
      lifecycle: { create_before_destroy: true },
    });
    t.hasResourceWithProperties(SecurityGroup.tfResourceType, { ingress: [], egress: [{ from_port: 443, to_port: 443 }] });
  });

  it("scopes the execution role to the model prefix, the repository, the bucket key and the log group", () => {
    expect(policyOf(t.resource(IamRole.tfResourceType, "scorer_execution-role"), "assume_role_policy").Statement[0].Principal).toEqual({
      Service: "sagemaker.amazonaws.com",
    });
    const st = Object.fromEntries(policyOf(t.resource(IamRolePolicy.tfResourceType, "scorer_execution-policy")).Statement.map((s) => [s.Sid, s]));
    expect(st.ReadModel.Resource).toBe("arn:aws:s3:::models-x/scorer/1.4.2/*");
    expect(st.ListModel.Condition).toEqual({ StringLike: { "s3:prefix": ["scorer/1.4.2/*"] } });
    expect(st.PullImage.Resource).toBe(props.imageRepositoryArn);
    expect(st.Decrypt.Resource).toEqual(["arn:bucket-key"]);
    expect(st.Logs.Resource).toEqual([props.logGroupArn, `${props.logGroupArn}:*`]);
  });

  it("leaves the volume key off for instance types with local NVMe", () => {
    const config = t.resource(SagemakerEndpointConfiguration.tfResourceType, "scorer_config");
    expect(config.kms_key_arn).toBeUndefined();
    expect(config).toMatchObject({
      name_prefix: "fraud-default-scorer-",
      production_variants: [{ variant_name: "AllTraffic", instance_type: "ml.g4dn.xlarge", initial_instance_count: 1, model_name: "${aws_sagemaker_model.scorer_model.name}" }],
      lifecycle: { create_before_destroy: true },
    });
    const enc = synthConstruct((s) => void new ManagedEndpoint(s, "cpu", { ...props, instanceType: "ml.m5.xlarge", volumeKmsKeyArn: "arn:platform-key" }));
    expect(enc.resource(SagemakerEndpointConfiguration.tfResourceType, "cpu_config").kms_key_arn).toBe("arn:platform-key");
  });

  it("scales between min and max on concurrent requests per model when targetConcurrency is set", () => {
    expect(t.resource(SagemakerEndpoint.tfResourceType, "scorer")).toMatchObject({
      name: "fraud-default-scorer",
      endpoint_config_name: "${aws_sagemaker_endpoint_configuration.scorer_config.name}",
    });
    t.hasResourceWithProperties(AppautoscalingTarget.tfResourceType, {
      service_namespace: "sagemaker",
      resource_id: "endpoint/${aws_sagemaker_endpoint.scorer.name}/variant/AllTraffic",
      scalable_dimension: "sagemaker:variant:DesiredInstanceCount",
      min_capacity: 1,
      max_capacity: 8,
      // Deregistered around every endpoint update (an instance-type change fails while registered), then registered again.
      lifecycle: { replace_triggered_by: ["aws_sagemaker_endpoint_configuration.scorer_config.name"] },
    });
    t.hasResourceWithProperties(AppautoscalingPolicy.tfResourceType, {
      lifecycle: { replace_triggered_by: ["aws_sagemaker_endpoint_configuration.scorer_config.name"] },
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: {
        target_value: 8,
        predefined_metric_specification: { predefined_metric_type: "SageMakerVariantConcurrentRequestsPerModelHighResolution" },
      },
    });
  });

  it("falls back to invocations per instance without targetConcurrency", () => {
    const i = synthConstruct((s) => void new ManagedEndpoint(s, "e", { ...props, targetConcurrency: undefined, invocationsPerInstanceTarget: 250 }));
    i.hasResourceWithProperties(AppautoscalingPolicy.tfResourceType, {
      target_tracking_scaling_policy_configuration: {
        target_value: 250,
        predefined_metric_specification: { predefined_metric_type: "SageMakerVariantInvocationsPerInstance" },
      },
    });
  });

  it("alarms on p99 latency (in microseconds) and on the 5XX error rate into the alert topic", () => {
    expect(t.resource(CloudwatchMetricAlarm.tfResourceType, "scorer_latency-alarm")).toMatchObject({
      metric_name: "ModelLatency",
      namespace: "AWS/SageMaker",
      extended_statistic: "p99",
      threshold: 300000,
      alarm_actions: ["arn:topic"],
      dimensions: { EndpointName: "${aws_sagemaker_endpoint.scorer.name}", VariantName: "AllTraffic" },
    });
    const errors = t.resource(CloudwatchMetricAlarm.tfResourceType, "scorer_error-alarm");
    expect(errors.threshold).toBe(1);
    expect(errors.metric_query.map((q: any) => q.metric?.metric_name ?? q.expression)).toEqual([
      "Invocation5XXErrors",
      "Invocations",
      "IF(invocations > 0, 100 * errors / invocations, 0)",
    ]);
  });

  it("uses model_data_url for a packed model and creates no alarms without thresholds", () => {
    const p = synthConstruct(
      (s) => void new ManagedEndpoint(s, "p", { ...props, modelDataUri: "s3://models-x/m/model.tar.gz", latencyP99Ms: undefined, errorRatePercent: undefined }),
    );
    expect(p.resource(SagemakerModel.tfResourceType, "p_model").primary_container).toMatchObject({ model_data_url: "s3://models-x/m/model.tar.gz" });
    p.resourceCountIs(CloudwatchMetricAlarm.tfResourceType, 0);
  });

  it("throws on a minimum of zero and points at runtime: kubernetes", () => {
    expect(() => synthConstruct((s) => void new ManagedEndpoint(s, "z", { ...props, minInstances: 0 }))).toThrow(/runtime: kubernetes/);
  });
});

describe("Serving", () => {
  it("names each endpoint's resources after the blueprint endpoint", () => {
    const t = synthConstruct((s) => void new Serving(s, "serving", { endpoints: [{ ...props, name: "scorer" }] }));
    expect(Object.keys(t.resources(SagemakerEndpoint.tfResourceType))).toEqual(["serving_scorer"]);
  });
});

describe("WorkloadRole", () => {
  const role = {
    roleName: "fraud-default-chat-workload",
    oidcProviderArn: "arn:oidc",
    issuerHost: "oidc.example/id/1",
    namespace: "mlplat-serving",
    serviceAccount: "chat",
    modelBucketArn: "arn:aws:s3:::models-x",
    modelPrefix: "chat/v2/",
    modelBucketKeyArn: "arn:bucket-key",
  };

  it("lets only the endpoint's service account read its model prefix and decrypt with the bucket key", () => {
    const t = synthConstruct((s) => void new WorkloadRole(s, "chat", role));
    const trust = policyOf(t.resource(IamRole.tfResourceType, "chat"), "assume_role_policy").Statement[0];
    expect(trust.Condition.StringEquals).toEqual({
      "oidc.example/id/1:sub": "system:serviceaccount:mlplat-serving:chat",
      "oidc.example/id/1:aud": "sts.amazonaws.com",
    });
    const st = policyOf(t.resource(IamRolePolicy.tfResourceType, "chat_policy")).Statement;
    expect(st.map((x) => `${x.Sid}:${JSON.stringify(x.Resource)}`)).toEqual([
      'ReadModel:"arn:aws:s3:::models-x/chat/v2/*"',
      'ListModel:"arn:aws:s3:::models-x"',
      'Decrypt:"arn:bucket-key"',
    ]);
  });

  it("throws in Serving when an endpoint is both managed and kubernetes", () => {
    expect(() =>
      synthConstruct((s) => void new Serving(s, "serving", { endpoints: [{ ...props, name: "chat" }], workloadRoles: [{ ...role, name: "chat" }] })),
    ).toThrow(/both managed and kubernetes/);
  });
});

describe("Budget", () => {
  it("notifies the e-mails at each threshold of actual spend and at forecast overrun", () => {
    const t = synthConstruct(
      (s) =>
        void new Budget(s, "budget", {
          budgetName: "fraud-default-monthly",
          monthlyUsd: 25000,
          alertAtPercent: [100, 50, 80],
          emails: ["finance@example.com"],
          costTagFilter: "user:mlplat-stack$fraud-default",
        }),
    );
    const b = t.resource(BudgetsBudget.tfResourceType, "budget");
    expect(b).toMatchObject({ budget_type: "COST", limit_amount: "25000.00", limit_unit: "USD", time_unit: "MONTHLY" });
    expect(b.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:mlplat-stack$fraud-default"] }]);
    expect(b.notification.map((n: any) => `${n.notification_type}:${n.threshold}`)).toEqual(["ACTUAL:50", "ACTUAL:80", "ACTUAL:100", "FORECASTED:100"]);
    expect(b.notification[0].subscriber_email_addresses).toEqual(["finance@example.com"]);
  });

  it("leaves the forecast notification out when five thresholds use AWS's limit", () => {
    const t = synthConstruct(
      (s) => void new Budget(s, "budget", { budgetName: "b", monthlyUsd: 10, alertAtPercent: [20, 40, 60, 80, 100], emails: ["a@example.com"] }),
    );
    const types = t.resource(BudgetsBudget.tfResourceType, "budget").notification.map((n: any) => n.notification_type);
    expect(types).toEqual(["ACTUAL", "ACTUAL", "ACTUAL", "ACTUAL", "ACTUAL"]);
    expect(() =>
      synthConstruct((s) => void new Budget(s, "budget", { budgetName: "b", monthlyUsd: 1, alertAtPercent: [10, 20, 30, 40, 50, 60], emails: ["a@b.c"] })),
    ).toThrow(/5 notifications/);
  });

  it("throws without e-mails", () => {
    expect(() => synthConstruct((s) => void new Budget(s, "budget", { budgetName: "b", monthlyUsd: 1, alertAtPercent: [80], emails: [] }))).toThrow(/e-mail/);
  });
});
