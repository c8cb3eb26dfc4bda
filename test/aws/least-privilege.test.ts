import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Least privilege across every AWS golden stack (each reference blueprint × environment): no IAM
 * role or managed policy grants a wildcard action (`s3:*`, `sagemaker:Describe*`), and
 * `Resource: "*"` appears only in the statements below, for actions IAM gives no resource form
 * (each with its source), most of them narrowed by a condition instead.
 * Key policies are not role policies (the root statement is `kms:*` by design) and are not read here.
 */
const GOLDEN = join(__dirname, "golden");
const RESOURCE_STAR_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html (GetAuthorizationToken: no resource type)
  EcrToken: ["ecr:GetAuthorizationToken"],
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html (PutMetricData: no resource type; condition on the namespace)
  Metrics: ["cloudwatch:PutMetricData"],
  // https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms (VPC ENI actions SageMaker needs; ec2 Describe* have no resource type)
  VpcAccess: ["ec2:"],
  // The cluster-autoscaler's documented policy: discovery (Describe*, mostly without a resource type; eks:DescribeNodegroup
  // as upstream writes it) and scaling conditioned on the owned tag.
  // https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy
  Discover: ["autoscaling:", "ec2:Describe", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"],
  ScaleOwnGroups: ["autoscaling:"],
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html (List* have no resource type)
  ListStudio: ["sagemaker:List"],
};

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource?: string | string[];
}

function statements(json: any): { where: string; s: Statement }[] {
  return ["aws_iam_role_policy", "aws_iam_policy"].flatMap((type) =>
    Object.entries((json.resource?.[type] ?? {}) as Record<string, { policy: string }>).flatMap(([name, r]) =>
      (JSON.parse(r.policy).Statement as Statement[]).map((s) => ({ where: `${type}.${name} ${s.Sid ?? "(no Sid)"}`, s })),
    ),
  );
}

const goldens = readdirSync(GOLDEN).filter((f) => f.endsWith(".cdk.tf.json"));

describe("least privilege in every AWS golden stack", () => {
  it("reads the goldens, including the pipelines' reference", () => {
    expect(goldens).toContain("continuous-training-default.cdk.tf.json");
  });

  it.each(goldens)("%s: no wildcard action; Resource * only where IAM has no resource form", (file) => {
    const json = JSON.parse(readFileSync(join(GOLDEN, file), "utf8"));
    const problems: string[] = [];
    for (const { where, s } of statements(json)) {
      for (const a of [s.Action].flat()) if (a.includes("*")) problems.push(`${where}: wildcard action ${a}`);
      if ([s.Resource].flat().includes("*")) {
        const prefix = RESOURCE_STAR_ALLOWED[s.Sid ?? ""];
        const bad = [s.Action].flat().filter((a) => !prefix?.some((p) => a.startsWith(p)));
        if (bad.length) problems.push(`${where}: Resource * for ${bad.join(", ")}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("would catch a wildcard action and an unlisted Resource *", () => {
    const json = { resource: { aws_iam_role_policy: { p: { policy: JSON.stringify({ Statement: [{ Sid: "Data", Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" }, { Sid: "Oops", Action: "sagemaker:CreateTrainingJob", Resource: "*" }] }) } } } };
    const found = statements(json).flatMap(({ where, s }) => [
      ...[s.Action].flat().filter((a) => a.includes("*")).map((a) => `${where}: ${a}`),
      ...([s.Resource].flat().includes("*") && !RESOURCE_STAR_ALLOWED[s.Sid ?? ""] ? [`${where}: Resource *`] : []),
    ]);
    expect(found).toEqual(["aws_iam_role_policy.p Data: s3:*", "aws_iam_role_policy.p Oops: Resource *"]);
  });
});
