import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import type { PlatformModel } from "../../src/model/platform.js";
import { platformImageEndpoints } from "../../src/registry-images/image-ref.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { AWS_RULES } from "./aws-rules.js";
import { caseLabel, firstDeploy, referenceCases, synthCtx } from "./cases.js";
import { runRules, type SynthJson } from "./rule.js";

/**
 * First-deploy tier, AWS: every reference blueprint × environment that resolves to AWS is
 * synthesized as the first `mlplat deploy` applies it (managed endpoints whose image lives in
 * the platform's own registry are deferred by deploy's image phase, src/engine/image-phase.ts,
 * until the image is pushed) and run through the rules table. Then each rule is shown to fire on
 * what AWS refuses, so no rule passes because it can never fail.
 */
const cases = referenceCases("aws");
const label = caseLabel;

function synth(model: PlatformModel): SynthJson {
  const stack = new AwsPlatformStack(Testing.app(), model.stackName, awsTarget.resolve(model, synthCtx));
  return JSON.parse(Testing.synth(stack));
}

describe("aws first-deploy rules table", () => {
  it("has unique ids, the aws cloud and an AWS documentation URL for every rule", () => {
    expect(new Set(AWS_RULES.map((r) => r.id)).size).toBe(AWS_RULES.length);
    for (const r of AWS_RULES) {
      expect(r.cloud).toBe("aws");
      expect(r.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(r.description.length).toBeGreaterThan(40);
    }
  });

  it("covers the AWS reference blueprints, including environments that switch to AWS", () => {
    const names = cases.map(label);
    expect(names).toEqual(expect.arrayContaining(["aws-sagemaker-scoring.yaml (default)", "llm-serving.yaml (default)", "multi-env-platform.yaml (prod)"]));
    expect(cases.some((c) => c.model.cluster)).toBe(true);
    expect(cases.some((c) => c.file === "realtime-scoring.yaml" || c.file === "data-science-workspace.yaml")).toBe(true);
  });

  it.each(cases.map((c) => [label(c), c] as const))("%s passes every rule on its first deploy", (_l, c) => {
    const model = firstDeploy(c.model);
    expect(runRules(AWS_RULES, synth(model), { blueprint: c.file, env: c.env, model })).toEqual([]);
  });

  it("without deploy's image phase, exactly the endpoints on a platform image would fail (the gap the phase closes)", () => {
    const found = cases.flatMap((c) =>
      runRules(AWS_RULES, synth(c.model), { blueprint: c.file, env: c.env, model: c.model }).map((v) => `${label(c)} ${v.split(":")[0]}`),
    );
    // The rule sees SageMaker models; deploy also defers Kubernetes endpoints on a platform image
    // (they would sit in ImagePullBackOff), which no Terraform resource shows.
    const managed = (c: (typeof cases)[number]) => platformImageEndpoints(c.model.endpoints).filter((e) => e.runtime === "managed");
    const expected = cases.flatMap((c) => managed(c).map(() => `${label(c)} aws-endpoint-image-not-from-same-apply-registry`));
    expect(expected.length).toBeGreaterThan(0);
    expect(found.sort()).toEqual(expected.sort());
  });
});

describe("aws first-deploy rules fire on what AWS refuses", () => {
  const model = cases.find((c) => c.model.cluster)!.model;
  const run = (json: SynthJson, m: PlatformModel = model) => runRules(AWS_RULES, json, { blueprint: "x.yaml", model: m });
  const privateCluster = { name: "demo", vpc_config: { endpoint_private_access: true, endpoint_public_access: false } };

  it("the v0.1 layout: a private-only endpoint with no 443 ingress on the cluster security group", () => {
    const noPath = { ...model, network: { ...model.network, adminCidrs: [] } };
    expect(run({ resource: { aws_eks_cluster: { cluster: privateCluster } } }, noPath)).toEqual([
      "aws-private-api-access-path: aws_eks_cluster.cluster has a private-only endpoint and no 443 ingress on its cluster security group: nothing outside the VPC reaches the API",
    ]);
    const partial = { ...model, network: { ...model.network, adminCidrs: ["10.99.0.0/16", "192.168.0.0/24"] } };
    const rule = { security_group_id: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.99.0.0/16" };
    expect(run({ resource: { aws_eks_cluster: { cluster: privateCluster }, aws_vpc_security_group_ingress_rule: { r: rule } } }, partial)).toEqual([
      "aws-private-api-access-path: aws_eks_cluster.cluster: adminCidrs range 192.168.0.0/24 has no 443 ingress on the cluster security group",
    ]);
  });

  it("an endpoint image in a repository the same apply creates", () => {
    const json = {
      resource: {
        aws_ecr_repository: { registry_serving: { name: "demo/serving" } },
        aws_sagemaker_model: { m: { name: "demo-m", primary_container: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/serving:1.0" } } },
      },
    };
    expect(run(json)).toEqual([
      "aws-endpoint-image-not-from-same-apply-registry: aws_sagemaker_model.m runs 123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/serving:1.0 from aws_ecr_repository.registry_serving, which this apply creates: the image cannot have been pushed yet",
    ]);
  });

  it("a GPU node group on the standard AMI", () => {
    const json = { resource: { aws_eks_node_group: { g: { node_group_name: "demo-g", instance_types: ["g6.xlarge"], ami_type: "AL2023_x86_64_STANDARD" } } } };
    expect(run(json)).toEqual(["aws-gpu-node-group-nvidia-ami: aws_eks_node_group.g runs g6.xlarge (L4) on ami_type AL2023_x86_64_STANDARD, not an NVIDIA AMI"]);
  });

  it("names past AWS's limits", () => {
    const long = "a".repeat(65);
    const json = {
      resource: {
        aws_iam_role: { r: { name: long } },
        aws_s3_bucket: { b: { bucket: "Bad_Bucket" }, ip: { bucket: "192.168.1.1" } },
        aws_eks_node_group: { g: { node_group_name: "n".repeat(64), instance_types: ["m6i.large"] } },
        aws_sagemaker_endpoint_configuration: { c: { name_prefix: "p".repeat(38) } },
        aws_ecr_repository: { e: { name: "Upper/Case" } },
      },
    };
    expect(run(json).map((v) => v.split(":")[0])).toEqual([
      "aws-s3-bucket-names",
      "aws-s3-bucket-names",
      "aws-iam-role-names",
      "aws-eks-names",
      "aws-sagemaker-names",
      "aws-ecr-repository-names",
    ]);
    expect(run(json)).toContain(`aws-iam-role-names: aws_iam_role.r name "${long}" (65 characters) breaks the limit: 1-64 of [A-Za-z0-9+=,.@_-]`);
  });
});

describe("aws first-deploy rules of workspaces and tracking fire on what AWS refuses", () => {
  const model = cases.find((c) => c.model.workspaces)!.model;
  const run = (json: SynthJson) => runRules(AWS_RULES, json, { blueprint: "x.yaml", model });
  const good = () => synth(firstDeploy(model));

  it("a workspaces reference blueprint is among the cases, and passes", () => {
    expect(cases.map(label)).toContain("data-science-team.yaml (default)");
    expect(run(good())).toEqual([]);
  });

  it("a VpcOnly domain without the SageMaker API endpoint", () => {
    const json = good();
    for (const [k, e] of Object.entries(json.resource.aws_vpc_endpoint as Record<string, any>)) if (e.service_name.endsWith(".sagemaker.api")) delete json.resource.aws_vpc_endpoint[k];
    expect(run(json)).toEqual(["aws-sagemaker-vpconly-endpoints: aws_sagemaker_domain.workspaces is VpcOnly and the VPC has no sagemaker.api interface endpoint"]);
  });

  it("a VpcOnly domain in a public subnet, or with a security group closed to itself", () => {
    const json = good();
    json.resource.aws_sagemaker_domain.workspaces.subnet_ids[0] = "${aws_subnet.network_public-a.id}";
    json.resource.aws_security_group["workspaces_security-group"].ingress = [];
    expect(run(json)).toEqual([
      "aws-sagemaker-vpconly-private-subnets: aws_sagemaker_domain.workspaces uses subnet ${aws_subnet.network_public-a.id}, not one of the platform's private subnets",
      "aws-sagemaker-vpconly-private-subnets: aws_sagemaker_domain.workspaces: security group ${aws_security_group.workspaces_security-group.id} does not allow TCP 8192-65535 from itself",
    ]);
  });

  it("an idle timeout under 60 minutes, a profile created before its role's policy, names past the limits", () => {
    const json = good();
    json.resource.aws_sagemaker_domain.workspaces.default_user_settings.jupyter_lab_app_settings.app_lifecycle_management.idle_settings.idle_timeout_in_minutes = 30;
    json.resource.aws_sagemaker_user_profile.workspaces_bob.depends_on = [];
    json.resource.aws_sagemaker_user_profile.workspaces_bob.user_profile_name = "bob-";
    json.resource.aws_iam_policy["workspaces_bob_open-policy"].name = "p".repeat(129);
    expect(run(json).map((v) => v.split(":")[0])).toEqual(["aws-sagemaker-idle-timeout-range", "aws-sagemaker-role-before-use", "aws-sagemaker-studio-names", "aws-iam-policy-names"]);
    expect(run(json)[0]).toBe("aws-sagemaker-idle-timeout-range: aws_sagemaker_domain.workspaces idle_timeout_in_minutes 30 is outside 60-525600");
  });
});
