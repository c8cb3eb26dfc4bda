import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration/index.js";
import { SagemakerModel } from "@cdktf/provider-aws/lib/sagemaker-model/index.js";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group/index.js";
import type { PlatformModel, SynthContext } from "../../src/model/platform.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { Template, type Json } from "../helpers/template.js";
import { OFFLINE, ONLINE, sagemakerOnlyModel, specExampleModel } from "./fixtures.js";

function synthModel(model: PlatformModel, ctx: SynthContext): Template {
  const app = Testing.app();
  const stack = new AwsPlatformStack(app, model.stackName, awsTarget.resolve(model, ctx));
  return Template.fromJson(Testing.synth(stack));
}

/** `type.name` addresses referenced by a resource (interpolations and depends_on). */
function references(resource: Json): string[] {
  const text = JSON.stringify({ ...resource, depends_on: undefined });
  const refs = [...text.matchAll(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)].map((m) => `${m[1]}.${m[2]}`);
  return [...new Set([...refs, ...((resource.depends_on as string[] | undefined) ?? [])])];
}

describe("AwsPlatformStack", () => {
  const t = synthModel(specExampleModel(), OFFLINE);

  it("configures only the aws provider, offline: skip flags, default tags, local state", () => {
    expect(Object.keys(t.providers())).toEqual(["aws"]);
    expect(t.providers().aws![0]).toEqual({
      region: "us-east-1",
      default_tags: [{ tags: expect.objectContaining({ owner: "risk-ml@example.com", "cost-center": "4411", "managed-by": "mlplat" }) }],
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
    });
    expect(t.backend()).toEqual({ local: { path: OFFLINE.localStatePath } });
    expect(t.json.data).toBeUndefined();
    expect(JSON.stringify(t.json)).not.toMatch(/secret_key|access_key|AKIA/);
  });

  it("uses the S3 backend with a lockfile and pins the account when online", () => {
    const online = synthModel(specExampleModel(), ONLINE);
    expect(online.backend()).toEqual({
      s3: { bucket: "acme-tfstate", key: "fraud-default.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
    const provider = online.providers().aws![0]!;
    expect(provider.allowed_account_ids).toEqual(["123456789012"]);
    expect(provider.skip_credentials_validation).toBeUndefined();
  });

  it("names top-level addresses after the blueprint sections", () => {
    const sections = new Set(t.addresses().map((a) => a.split(".")[1]!.split("_")[0]));
    expect([...sections].sort()).toEqual(["budget", "cluster", "kms", "network", "observability", "registry", "serving", "storage"]);
    expect(Object.keys(t.resources(S3Bucket.tfResourceType)).sort()).toEqual(["storage_access-logs", "storage_datasets", "storage_models"]);
    expect(Object.keys(t.resources(EksNodeGroup.tfResourceType)).sort()).toEqual(["cluster_infer", "cluster_system", "cluster_train"]);
  });

  it("keeps protected resources depending only on protected resources", () => {
    const all = Object.fromEntries(t.resourceTypes().flatMap((type) => Object.entries(t.resources(type)).map(([id, r]) => [`${type}.${id}`, r])));
    const isProtected = (addr: string) => all[addr]?.lifecycle?.prevent_destroy === true;
    const protectedAddrs = Object.keys(all).filter(isProtected);
    expect(protectedAddrs.sort()).toEqual([
      "aws_kms_key.storage_datasets_key",
      "aws_kms_key.storage_models_key",
      "aws_s3_bucket.storage_access-logs",
      "aws_s3_bucket.storage_datasets",
      "aws_s3_bucket.storage_models",
    ]);
    for (const addr of protectedAddrs) {
      const bad = references(all[addr]!).filter((ref) => !isProtected(ref));
      expect(bad, `${addr} depends on unprotected ${bad.join(", ")}`).toEqual([]);
    }
  });

  it("wires the endpoint to the registry, the model bucket, the private subnets and the alert topic", () => {
    const model = Object.values(t.resources(SagemakerModel.tfResourceType))[0]!;
    expect(model.vpc_config.subnets).toEqual([
      "${aws_subnet.network_private-a.id}",
      "${aws_subnet.network_private-b.id}",
      "${aws_subnet.network_private-c.id}",
    ]);
    const policy = JSON.stringify(t.resource("aws_iam_role_policy", "serving_scorer_execution-policy"));
    expect(policy).toContain("${aws_ecr_repository.registry_serving.arn}");
    expect(policy).toContain("${aws_s3_bucket.storage_models.arn}/scorer/1.4.2/*");
    expect(policy).toContain("${aws_kms_key.storage_models_key.arn}");
    expect(Object.values(t.resources(SagemakerEndpointConfiguration.tfResourceType))[0]!.kms_key_arn).toBeUndefined();
    t.allResourcesHaveProperties(CloudwatchMetricAlarm.tfResourceType, { alarm_actions: ["${aws_sns_topic.observability_alerts.arn}"] });
  });

  it("creates the control-plane log group before the cluster and encrypts with the platform key", () => {
    const cluster = t.resource(EksCluster.tfResourceType, "cluster");
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.observability_cluster");
    expect(t.resource("aws_cloudwatch_log_group", "observability_cluster")).toMatchObject({
      name: "/aws/eks/fraud-default/cluster",
      kms_key_id: "${aws_kms_key.kms.arn}",
      retention_in_days: 30,
    });
    const platformKey = JSON.parse(t.resource(KmsKey.tfResourceType, "kms").policy);
    expect(platformKey.Statement.map((s: Json) => s.Sid)).toContain("AutoscalingEbsUse");
  });

  it("boots nodes and SageMaker endpoints only once the private subnets' egress exists", () => {
    const ready = ["aws_nat_gateway.network_nat-a", "aws_route_table_association.network_private-c-association", "aws_vpc_endpoint.network_endpoint-s3", "aws_vpc_endpoint.network_endpoint-ecr-dkr"];
    expect(t.resource(EksNodeGroup.tfResourceType, "cluster_train").depends_on).toEqual(expect.arrayContaining(ready));
    expect(t.resource("aws_sagemaker_endpoint", "serving_scorer").depends_on).toEqual(expect.arrayContaining(ready));
    expect(t.resource(EksCluster.tfResourceType, "cluster").depends_on).not.toContain("aws_nat_gateway.network_nat-a");
  });

  it("exports the outputs in snake_case", () => {
    const outputs = t.outputs();
    expect(Object.keys(outputs).sort()).toEqual([
      "bucket_names",
      "cluster_autoscaler_role_arn",
      "cluster_name",
      "endpoint_names",
      "kubeconfig_command",
      "region",
      "registry_urls",
    ]);
    expect(outputs.kubeconfig_command!.value).toBe("aws eks update-kubeconfig --region us-east-1 --name fraud-default");
    expect(outputs.cluster_autoscaler_role_arn!.value).toBe("${aws_iam_role.cluster_cluster-autoscaler-role.arn}");
    expect(outputs.endpoint_names!.value).toEqual({ scorer: "fraud-default-scorer" });
    expect(Object.keys(outputs.bucket_names!.value)).toEqual(["datasets", "models"]);
  });

  it("gives a kubernetes endpoint with model data an IRSA role that reads only its model prefix", () => {
    const m = specExampleModel();
    const chat = {
      ...m.endpoints[0]!,
      name: "chat",
      runtime: "kubernetes" as const,
      pool: "infer",
      model: { bucket: "models", path: "chat/v2/" },
    };
    const k = synthModel(specExampleModel({ endpoints: [m.endpoints[0]!, chat] }), OFFLINE);
    // The trust policy holds `${replace(issuer, "https://", "")}` keys: a template, not JSON, until terraform renders it.
    const trust: string = k.resource("aws_iam_role", "serving_chat").assume_role_policy;
    expect(trust).toContain('"Federated":"${aws_iam_openid_connect_provider.cluster_oidc-provider.arn}"');
    expect(trust).toContain('"system:serviceaccount:mlplat-serving:chat"');
    const policy = JSON.parse(k.resource("aws_iam_role_policy", "serving_chat_policy").policy).Statement;
    expect(policy.find((s: Json) => s.Sid === "ReadModel").Resource).toBe("${aws_s3_bucket.storage_models.arn}/chat/v2/*");
    expect(policy.find((s: Json) => s.Sid === "Decrypt").Resource).toBe("${aws_kms_key.storage_models_key.arn}");
    expect(k.resource("aws_iam_role", "serving_chat").name).toBe("fraud-default-chat-workload");
    // No SageMaker resources for it.
    expect(Object.keys(k.resources("aws_sagemaker_endpoint"))).toEqual(["serving_scorer"]);
  });

  it("synthesizes a SageMaker-only platform without cluster resources or outputs", () => {
    const s = synthModel(sagemakerOnlyModel(), OFFLINE);
    s.resourceCountIs(EksCluster.tfResourceType, 0);
    expect(s.outputs().cluster_name).toBeUndefined();
    const key = JSON.parse(s.resource(KmsKey.tfResourceType, "kms").policy);
    expect(key.Statement.map((st: Json) => st.Sid)).not.toContain("AutoscalingEbsUse");
    expect(Object.values(s.resources(SagemakerEndpointConfiguration.tfResourceType))[0]!.kms_key_arn).toBe("${aws_kms_key.kms.arn}");
  });
});
