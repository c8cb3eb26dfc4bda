import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlueprintLocator } from "../../src/blueprint/field-location.js";
import { blueprintCause, withBlueprintCause } from "../../src/engine/blueprint-errors.js";
import { meaningfulLines, uiMessageText } from "../../src/terraform/failure.js";
import { MlplatError, TerraformError } from "../../src/util/errors.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * Terraform failures mapped back to the blueprint field behind them (issue 15, item 6).
 * ACCOUNT and REGION are diagnostics the real hashicorp/aws 5.100.0 printed (terraform 1.11.4,
 * `plan -json`): the account one with the provider's STS endpoint pointed at a local stub that
 * answers GetCallerIdentity for account 999999999999. The bucket, quota and project texts are
 * shaped as the providers print those API errors (S3 CreateBucket 409, SageMaker
 * ResourceLimitExceeded, GCE quotaExceeded, GCS 409), with the failing resource's address.
 */
const ACCOUNT = JSON.parse(
  `{"@level":"error","@message":"Error: AWS account ID not allowed: 999999999999","@module":"terraform.ui","@timestamp":"2026-12-07T00:19:14.408135Z","diagnostic":{"severity":"error","summary":"AWS account ID not allowed: 999999999999","detail":"","address":"provider[\\"registry.terraform.io/hashicorp/aws\\"]","range":{"filename":"cdk.tf.json","start":{"line":1,"column":203,"byte":202},"end":{"line":1,"column":204,"byte":203}},"snippet":{"context":"provider.aws[0]","code":"{\\"provider\\":{\\"aws\\":[{\\"region\\":\\"us-east-1\\",\\"allowed_account_ids\\":[\\"123456789012\\"]}]},","start_line":1,"highlight_start_offset":202,"highlight_end_offset":203,"values":[]}},"type":"diagnostic"}`,
) as unknown;
const REGION = JSON.parse(
  `{"@level":"error","@message":"Error: invalid AWS Region: mars-north-1","@module":"terraform.ui","@timestamp":"2026-12-07T00:18:47.488352Z","diagnostic":{"severity":"error","summary":"invalid AWS Region: mars-north-1","detail":"","address":"provider[\\"registry.terraform.io/hashicorp/aws\\"]","range":{"filename":"cdk.tf.json","start":{"line":1,"column":159,"byte":158},"end":{"line":1,"column":160,"byte":159}}},"type":"diagnostic"}`,
) as unknown;
const apiError = (address: string, summary: string, detail = "") => ({
  "@level": "error",
  "@message": `Error: ${summary}`,
  type: "diagnostic",
  diagnostic: { severity: "error", summary, detail, address, range: { filename: "cdk.tf.json", start: { line: 1 } } },
});
const S3_TAKEN = apiError(
  "aws_s3_bucket.storage_artifacts",
  "creating S3 Bucket (scoring-default-artifacts-k3j2a1): operation error S3: CreateBucket, https response error StatusCode: 409, RequestID: 7X9Q, HostID: abc=, BucketAlreadyExists: ",
);
const SAGEMAKER_QUOTA = apiError(
  "aws_sagemaker_endpoint.serving_fraud",
  "creating SageMaker AI Endpoint (scoring-default-fraud): operation error SageMaker: CreateEndpoint, https response error StatusCode: 400, RequestID: 1a2b, ResourceLimitExceeded: The account-level service limit 'ml.g4dn.xlarge for endpoint usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1 Instances. Please use AWS Service Quotas to request an increase for this quota.",
);

/** A TerraformError as the process runner builds it from a failed `-json` run. */
function failed(...messages: unknown[]): TerraformError {
  const text = messages.map((m) => uiMessageText(m) ?? "").join("\n");
  return new TerraformError("terraform plan failed in stack scoring-default (exit 1).", {
    details: [...meaningfulLines(text).map((l) => `  ${l}`), "  log: /x/terraform.log"].join("\n"),
    uiMessages: messages,
    logFile: "/x/terraform.log",
  });
}

const work = mkdtempSync(join(tmpdir(), "mlplat-tf-cause-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const blueprint = join(work, "platform.yaml");
copyFileSync("blueprints/aws-sagemaker-scoring.yaml", blueprint);
const lineOf = (text: string) => readFileSync(blueprint, "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

describe("terraform errors mapped to the blueprint", () => {
  it("names spec.aws.accountId at its line when the AWS account is not allowed", () => {
    const cause = blueprintCause(failed(ACCOUNT), new BlueprintLocator(blueprint));
    expect(cause).toMatchObject({ id: "aws-account", path: ["spec", "aws", "accountId"], line: lineOf("accountId"), col: 21 });
    const err = withBlueprintCause(failed(ACCOUNT), blueprint, undefined) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err).toMatchObject({ code: "MLP_TERRAFORM_FAILED", exitCode: 3, failureKind: "blueprint:aws-account", logFile: "/x/terraform.log" });
    expect(err.message).toBe(`terraform plan failed in stack scoring-default (exit 1). The cause is in the blueprint: spec.aws.accountId (${blueprint}:${lineOf("accountId")}:21).`);
    expect(err.details!.split("\n").slice(0, 3)).toEqual([
      `  blueprint: ${blueprint}:${lineOf("accountId")}:21 spec.aws.accountId`,
      `  ${String(lineOf("accountId")).padStart(5)} |   aws: { accountId: "\${env:AWS_ACCOUNT_ID:-123456789012}" }`,
      "  Error: AWS account ID not allowed: 999999999999",
    ]);
    expect(err.hint).toContain("the credentials belong to another AWS account than spec.aws.accountId (or it still holds a placeholder such as 123456789012)");
  });

  it("names spec.region, in the environment's overlay when it sets the region", () => {
    expect(blueprintCause(failed(REGION), new BlueprintLocator(blueprint))).toMatchObject({ id: "aws-region", path: ["spec", "region"], line: lineOf("region: eu-west-1") });
    const withEnv = join(work, "env.yaml");
    writeFileSync(withEnv, readFileSync(blueprint, "utf8").replace("      budget: { monthlyUsd: 800 }", "      region: eu-central-1\n      budget: { monthlyUsd: 800 }"));
    expect(blueprintCause(failed(REGION), new BlueprintLocator(withEnv, "dev"))).toMatchObject({ path: ["environments", "dev", "spec", "region"] });
    expect(blueprintCause(failed(REGION), new BlueprintLocator(withEnv, "default"))).toMatchObject({ path: ["spec", "region"] });
  });

  it("names the bucket whose cloud name is taken, from the failing resource's address", () => {
    const cause = blueprintCause(failed(S3_TAKEN), new BlueprintLocator(blueprint));
    expect(cause).toMatchObject({ id: "bucket-name-taken", path: ["spec", "storage", "buckets", 0], line: lineOf("- name: artifacts") });
    expect(cause!.hint).toContain("bucket names are global across the cloud");
    const gcs = apiError("google_storage_bucket.storage_artifacts", "googleapi: Error 409: The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again., conflict");
    expect(blueprintCause(failed(gcs), new BlueprintLocator(blueprint))?.path).toEqual(["spec", "storage", "buckets", 0]);
  });

  it("names the endpoint or node pool that hit a quota, in the overlay entry when the environment has one", () => {
    expect(blueprintCause(failed(SAGEMAKER_QUOTA), new BlueprintLocator(blueprint))).toMatchObject({ id: "quota", path: ["spec", "serving", "endpoints", 1], line: lineOf("- name: fraud") });
    expect(blueprintCause(failed(SAGEMAKER_QUOTA), new BlueprintLocator(blueprint, "dev"))).toMatchObject({ path: ["environments", "dev", "spec", "serving", "endpoints", 1] });
    const gke = apiError("google_container_node_pool.cluster_fraud", "error creating NodePool: googleapi: Error 403: Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region europe-west1., quotaExceeded");
    // No such pool in this blueprint: the list itself.
    expect(blueprintCause(failed(gke), new BlueprintLocator(blueprint))).toMatchObject({ id: "quota", path: ["spec", "cluster", "nodePools"] });
  });

  it("names the GCP project and the Azure subscription", () => {
    const project = apiError("google_project_service.project_container", "Error when reading or editing Project Service my-proj-42/container.googleapis.com: googleapi: Error 403: Permission denied on resource project my-proj-42.");
    expect(blueprintCause(failed(project), new BlueprintLocator(blueprint))?.path).toEqual(["spec", "gcp", "project"]);
    const sub = apiError("azurerm_resource_group.project", "retrieving Resource Group: unexpected status 404 (404 Not Found) with error: SubscriptionNotFound: The subscription '00000000-0000-0000-0000-000000000000' could not be found.");
    expect(blueprintCause(failed(sub), new BlueprintLocator(blueprint))?.path).toEqual(["spec", "azure", "subscriptionId"]);
  });

  it("leaves other failures and other errors as they were", () => {
    const other = failed(apiError("aws_iam_role.cluster_x", "creating IAM Role: AccessDenied: not authorized"));
    expect(withBlueprintCause(other, blueprint, undefined)).toBe(other);
    const user = new MlplatError("MLP_X", "x");
    expect(withBlueprintCause(user, blueprint, undefined)).toBe(user);
    // A blueprint that no longer parses: the error is kept, unlocated but mapped.
    const gone = withBlueprintCause(failed(ACCOUNT), join(work, "missing.yaml"), undefined) as TerraformError;
    expect(gone.message).toContain(`The cause is in the blueprint: spec.aws.accountId (${join(work, "missing.yaml")}).`);
  });
});

describe("the built CLI names the field when terraform fails on it (FAKE terraform printing the recorded diagnostic)", () => {
  it("plan exits 3 with the blueprint location and the hint, no stack trace", () => {
    const tf = join(work, "terraform");
    writeFileSync(
      tf,
      `#!/bin/sh\ncase "$1" in\n  version) echo '{"terraform_version":"1.11.4"}' ;;\n  plan) echo '${JSON.stringify(ACCOUNT).replace(/'/g, "'\\''")}'; exit 1 ;;\nesac\nexit 0\n`,
    );
    chmodSync(tf, 0o755);
    const r = mlplat(["plan", "platform.yaml", "--out", join(work, "out")], { cwd: work, env: { MLPLAT_TERRAFORM: tf, AWS_ACCOUNT_ID: "123456789012" } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`The cause is in the blueprint: spec.aws.accountId (platform.yaml:${lineOf("accountId")}:21).`);
    expect(r.stderr).toContain(`  blueprint: platform.yaml:${lineOf("accountId")}:21 spec.aws.accountId`);
    expect(r.stderr).toContain("Error: AWS account ID not allowed: 999999999999");
    expect(r.stderr).toContain("hint: the credentials belong to another AWS account than spec.aws.accountId");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
