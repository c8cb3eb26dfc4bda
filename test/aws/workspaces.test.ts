import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { Template } from "../helpers/template.js";

/**
 * spec.workspaces and spec.tracking on AWS, through the public synth entry on the reference
 * blueprint data-science-team: the SageMaker domain, a profile + role + open policy per user, the
 * VpcOnly endpoint, the MLflow server and its role; least privilege and encryption per resource.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-aws-ws-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let t: Template;
let json: any;
beforeAll(async () => {
  const { stacks } = await synthesizeBlueprint("blueprints/data-science-team.yaml", { outDir: join(work, "out"), stateDir: join(work, "state"), offline: true });
  json = JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
  t = Template.fromJson(json);
}, 120_000);

const policy = (r: any) => JSON.parse(r.policy).Statement as any[];

describe("the SageMaker domain", () => {
  it("is IAM-authenticated, VPC-only in the private subnets, encrypted with the platform key, retains home EFS, stops idle apps after 60 minutes", () => {
    const domains = Object.values(t.resources("aws_sagemaker_domain")) as any[];
    expect(domains).toHaveLength(1);
    const d = domains[0];
    expect(d).toMatchObject({ domain_name: "ds-team-default-workspaces", auth_mode: "IAM", app_network_access_type: "VpcOnly", retention_policy: { home_efs_file_system: "Retain" } });
    expect(d.kms_key_id).toBe("${aws_kms_key.kms.arn}");
    expect(d.subnet_ids).toHaveLength(3);
    for (const s of d.subnet_ids) expect(s).toMatch(/^\$\{aws_subnet\.network_private-[a-z]\.id\}$/);
    expect(d.default_user_settings.jupyter_lab_app_settings.app_lifecycle_management.idle_settings).toEqual({
      lifecycle_management: "ENABLED",
      idle_timeout_in_minutes: 60,
      min_idle_timeout_in_minutes: 60,
      max_idle_timeout_in_minutes: 60,
    });
    expect(d.default_user_settings.space_storage_settings.default_ebs_storage_settings).toEqual({ default_ebs_volume_size_in_gb: 100, maximum_ebs_volume_size_in_gb: 100 });
    // The domain's default role can do nothing: no policy names it.
    const roleRef = d.default_user_settings.execution_role.replace(/\.arn\}$/, ".id}");
    const attached = Object.values(t.resources("aws_iam_role_policy")).filter((p: any) => p.role === roleRef);
    expect(attached).toEqual([]);
  });

  it("has a security group with no inbound from outside itself and HTTPS out", () => {
    const sg = t.resource("aws_security_group", "workspaces_security-group") as any;
    expect(sg.ingress.map((r: any) => [r.from_port, r.to_port, r.self, r.cidr_blocks])).toEqual([[8192, 65535, true, null]]);
    expect(sg.egress.map((r: any) => [r.from_port, r.to_port, r.self ?? false])).toEqual([[8192, 65535, true], [443, 443, false]]);
  });

  it("adds the SageMaker API interface endpoint VpcOnly needs, beside runtime and STS", () => {
    const services = Object.values(t.resources("aws_vpc_endpoint")).map((e: any) => e.service_name);
    expect(services).toEqual(expect.arrayContaining(["com.amazonaws.us-east-1.sagemaker.api", "com.amazonaws.us-east-1.sagemaker.runtime", "com.amazonaws.us-east-1.sts"]));
  });

  it("lets EFS use the platform key through its service", () => {
    const key = t.resource("aws_kms_key", "kms") as any;
    const via = policy(key).find((s) => s.Sid === "UseThroughPlatformServices");
    expect(via.Condition.StringEquals["kms:ViaService"]).toContain("elasticfilesystem.us-east-1.amazonaws.com");
  });
});

describe("a profile per user", () => {
  it("gives each user their size: T4 users ml.g4dn.xlarge, others ml.t3.large", () => {
    const profiles = Object.values(t.resources("aws_sagemaker_user_profile")) as any[];
    expect(Object.fromEntries(profiles.map((p) => [p.user_profile_name, p.user_settings.jupyter_lab_app_settings.default_resource_spec.instance_type]))).toEqual({
      alice: "ml.t3.large",
      bob: "ml.g4dn.xlarge",
      carol: "ml.t3.large",
      dan: "ml.g4dn.xlarge",
      erin: "ml.t3.large",
    });
    for (const p of profiles) {
      expect(p.domain_id).toBe("${aws_sagemaker_domain.workspaces.id}");
      expect(p.user_settings.security_groups).toEqual(["${aws_security_group.workspaces_security-group.id}"]);
    }
  });

  it("runs each notebook as its own role: read/write on the listed buckets only, their keys through S3 only, ECR pull, its own size, no wildcard action", () => {
    const p = policy(t.resource("aws_iam_role_policy", "workspaces_bob_execution-policy"));
    const sid = (s: string) => p.find((x) => x.Sid === s);
    expect(sid("BucketObjects").Resource).toEqual([
      "${aws_s3_bucket.storage_datasets.arn}/*",
      "${aws_s3_bucket.storage_experiments.arn}/*",
      "${aws_s3_bucket.storage_scratch.arn}/*",
    ]);
    expect(sid("BucketKeys")).toMatchObject({ Resource: ["${aws_kms_key.storage_datasets_key.arn}", "${aws_kms_key.storage_experiments_key.arn}", "${aws_kms_key.storage_scratch_key.arn}"], Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } });
    expect(sid("PullImages").Resource).toEqual(["${aws_ecr_repository.registry_notebook.arn}"]);
    const own = { ArnLike: { "sagemaker:OwnerUserProfileArn": "arn:aws:sagemaker:us-east-1:123456789012:user-profile/${aws_sagemaker_domain.workspaces.id}/bob" }, StringEquals: { "sagemaker:SpaceSharingType": "Private" } };
    expect(sid("AppsOfOwnSize").Condition).toEqual({ ...own, "ForAllValues:StringEquals": { "sagemaker:InstanceTypes": ["ml.g4dn.xlarge", "system"] } });
    expect(sid("StopOwnApps").Condition).toEqual(own);
    expect(sid("OwnSpaces").Condition).toEqual(own);
    expect(sid("TagOnCreate").Condition).toEqual({ Null: { "sagemaker:TaggingAction": "false" } });
    expect(sid("Mlflow").Resource).toBe("${aws_sagemaker_mlflow_tracking_server.tracking.arn}");
    for (const s of p) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/(^\*$|:\*$)/);
      // "*" only where IAM has no resource type for the action.
      if (s.Resource === "*") expect(s.Sid).toMatch(/^(EcrToken|ListStudio)$/);
    }
  });

  it("emits an open policy per identity for its own profile only, and the command to attach it", () => {
    const open = t.resource("aws_iam_policy", "workspaces_carol_open-policy") as any;
    expect(policy(open)).toEqual([
      {
        Sid: "OpenOwnWorkspace",
        Effect: "Allow",
        Action: "sagemaker:CreatePresignedDomainUrl",
        Resource: "arn:aws:sagemaker:us-east-1:123456789012:user-profile/${aws_sagemaker_domain.workspaces.id}/carol",
      },
    ]);
    const access = json.output.workspace_access.value;
    expect(access.carol.attach).toBe("aws iam attach-user-policy --user-name carol --policy-arn arn:aws:iam::123456789012:policy/ds-team-default-ws-carol-open");
    expect(access.bob.attach).toBe("aws iam attach-role-policy --role-name ds-bob --policy-arn arn:aws:iam::123456789012:policy/ds-team-default-ws-bob-open");
    expect(access.bob.open).toBe("aws sagemaker create-presigned-domain-url --domain-id ${aws_sagemaker_domain.workspaces.id} --user-profile-name bob --region us-east-1");
  });
});

describe("the MLflow tracking server", () => {
  it("stores artifacts under s3://<experiments>/mlflow/ with a role limited to that prefix and the bucket key", () => {
    const s = t.resource("aws_sagemaker_mlflow_tracking_server", "tracking") as any;
    expect(s).toMatchObject({ tracking_server_name: "ds-team-default-mlflow", tracking_server_size: "Small", automatic_model_registration: false });
    expect(s.artifact_store_uri).toMatch(/^s3:\/\/ds-team-default-experiments-[a-z0-9]{6}\/mlflow\/$/);
    const p = policy(t.resource("aws_iam_role_policy", "tracking_policy"));
    expect(p.find((x) => x.Sid === "Artifacts").Resource).toBe("${aws_s3_bucket.storage_experiments.arn}/mlflow/*");
    expect(p.find((x) => x.Sid === "ListArtifacts").Condition).toEqual({ StringLike: { "s3:prefix": ["mlflow/*"] } });
    expect(p.find((x) => x.Sid === "BucketKey").Resource).toBe("${aws_kms_key.storage_experiments_key.arn}");
    // Sourced exception: no KMS or VPC field on this resource in hashicorp/aws 5.100 (stacks/aws/tracking.ts).
    expect(Object.keys(s).filter((k) => /kms|vpc|subnet|security/.test(k))).toEqual([]);
  });

  it("outputs the tracking URI and how to authenticate", () => {
    expect(json.output.tracking_uri.value).toBe("${aws_sagemaker_mlflow_tracking_server.tracking.arn}");
    expect(json.output.tracking_auth.value).toContain("pip install mlflow sagemaker-mlflow; export MLFLOW_TRACKING_URI=<tracking_uri>");
    expect(json.output.tracking_auth.value).toContain("aws sagemaker create-presigned-mlflow-tracking-server-url --tracking-server-name ds-team-default-mlflow --region us-east-1");
  });
});

describe("variants", () => {
  const variant = async (edit: (text: string) => string) => {
    const { writeFileSync } = await import("node:fs");
    const file = join(work, `variant-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, edit(readFileSync("blueprints/data-science-team.yaml", "utf8")));
    const { stacks } = await synthesizeBlueprint(file, { outDir: join(work, "vout"), stateDir: join(work, "vstate"), offline: true });
    return JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
  };

  it("workspaces without tracking and with idle shutdown off: DISABLED, no MLflow grants, no tracking outputs", async () => {
    const j = await variant((t) => t.replace(/  tracking:\n    mlflow:\n      bucket: experiments\n      size: small\n/, "").replace("idleShutdownMinutes: 60 ", "idleShutdownMinutes: 0 "));
    const d = Object.values(j.resource.aws_sagemaker_domain)[0] as any;
    expect(d.default_user_settings.jupyter_lab_app_settings.app_lifecycle_management.idle_settings).toEqual({ lifecycle_management: "DISABLED" });
    expect(j.resource.aws_sagemaker_mlflow_tracking_server).toBeUndefined();
    expect(JSON.parse(j.resource.aws_iam_role_policy["workspaces_bob_execution-policy"].policy).Statement.map((s: any) => s.Sid)).not.toContain("Mlflow");
    expect(j.output.tracking_uri).toBeUndefined();
  }, 60_000);

  it("tracking without workspaces: the MLflow server, no domain and no SageMaker API endpoint", async () => {
    const j = await variant((t) => t.replace(/  workspaces:\n[\s\S]*?(?=  tracking:)/, ""));
    expect(j.resource.aws_sagemaker_domain).toBeUndefined();
    expect(Object.keys(j.resource.aws_sagemaker_mlflow_tracking_server)).toEqual(["tracking"]);
    expect(Object.values(j.resource.aws_vpc_endpoint).map((e: any) => e.service_name)).not.toContain("com.amazonaws.us-east-1.sagemaker.api");
    expect(j.output.workspace_access).toBeUndefined();
  }, 60_000);
});
