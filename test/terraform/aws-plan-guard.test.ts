import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { MlplatError } from "../../src/util/errors.js";
import { Template } from "../helpers/template.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * `mlplat plan` and `mlplat deploy --offline` through the real commands: the lead's synth, the
 * AWS stack and terraform with the AWS provider from the mirror, offline (no refresh, provider
 * skip flags, mlplat's stand-in credentials and none in the environment), so no AWS call is made.
 */
const tf = terraformEnv();

const BLUEPRINT = `apiVersion: mlplat/v1
kind: Platform
metadata: { name: guard, owner: ml@example.com }
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  storage:
    buckets:
      - name: datasets
      - name: models
  registry:
    images: [{ name: serving }]
`;

/** A v4 state holding only the datasets bucket, as if it had been deployed. */
function stateWithBucket(bucket: string): string {
  return JSON.stringify(
    {
      version: 4,
      terraform_version: "1.11.4",
      serial: 3,
      lineage: "5d3c2c1e-0000-4000-8000-6d6c706c6174",
      outputs: {},
      resources: [
        {
          mode: "managed",
          type: "aws_s3_bucket",
          name: "storage_datasets",
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            { schema_version: 0, attributes: { id: bucket, bucket, force_destroy: false, tags: {}, tags_all: {} }, sensitive_attributes: [] },
          ],
        },
      ],
      check_results: null,
    },
    null,
    2,
  );
}

describe.skipIf(!tf.available)("the plan, deploy, destroy and output commands on an AWS blueprint with real terraform", () => {
  let root: string;
  let stdout: string[];
  const savedEnv = { ...process.env };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "mlplat-aws-guard-"));
    writeFileSync(join(root, "platform.yaml"), BLUEPRINT);
    // The commands build their runner from process.env, as they do for a user. No AWS
    // credentials at all: --offline must not need any.
    Object.assign(process.env, tf.env);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    stdout = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...savedEnv };
    process.exitCode = undefined;
  });

  const mlplat = (...args: string[]) => buildProgram().parseAsync(["node", "mlplat", ...args]);
  const out = () => join(root, "cdktf.out");

  it("plans offline with counts per blueprint section matching the synthesized resources, and exit 2 with --detailed-exitcode", async () => {
    await mlplat("plan", join(root, "platform.yaml"), "--offline", "--out", out(), "--json", "--detailed-exitcode");
    expect(process.exitCode).toBe(2);
    const report = JSON.parse(stdout.join(""));
    expect(report.stacks).toHaveLength(1);
    const stack = report.stacks[0];

    const template = Template.fromJson(readFileSync(join(out(), "stacks", "guard-default", "cdk.tf.json"), "utf8"));
    // Expected counts from an independent source: each resource's construct path in cdk.tf.json
    // metadata (`guard-default/<section>/…`), not the address parser the plan summary uses.
    const expected: Record<string, number> = {};
    for (const type of template.resourceTypes())
      for (const r of Object.values(template.resources(type))) {
        const section = String(r["//"].metadata.path).split("/")[1]!;
        expected[section] = (expected[section] ?? 0) + 1;
      }
    expect(stack).toMatchObject({ name: "guard-default", add: template.addresses().length, change: 0, destroy: 0, replace: 0, dataLoss: [] });
    expect(Object.fromEntries(Object.entries(stack.sections as Record<string, { add: number }>).map(([k, v]) => [k, v.add]))).toEqual(expected);
    // Counted by hand: storage is the access-log bucket (bucket, versioning, encryption, public
    // access block, ownership, policy, lifecycle: 7) and two data buckets with those, logging,
    // a key and its alias (10 each); one registry repository; the platform key and its alias.
    expect(stack.sections.storage.add).toBe(27);
    expect(stack.sections.registry.add).toBe(1);
    expect(stack.sections.kms.add).toBe(2);
    expect(template.addresses()).toEqual(
      expect.arrayContaining(["aws_s3_bucket.storage_datasets", "aws_s3_bucket.storage_models", "aws_ecr_repository.registry_serving"]),
    );
  });

  it("refuses deploy --offline with exit 1 naming a bucket removed from the blueprint, leaving the state byte for byte", async () => {
    // The bucket exists in state under the address the stack gives it...
    const stateFile = join(root, ".mlplat", "state", "guard-default.tfstate");
    mkdirSync(join(root, ".mlplat", "state"), { recursive: true });
    writeFileSync(stateFile, stateWithBucket("guard-default-datasets-abc123"));
    const before = readFileSync(stateFile);
    // ...and is removed from the blueprint.
    writeFileSync(join(root, "platform.yaml"), BLUEPRINT.replace("      - name: datasets\n", ""));

    const err = (await mlplat("deploy", join(root, "platform.yaml"), "--offline", "--out", out(), "--json").catch((e: unknown) => e)) as MlplatError;
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.exitCode).toBe(1);
    expect(err.code).toBe("MLP_DATA_LOSS");
    expect(err.details).toBe('  - aws_s3_bucket.storage_datasets in guard-default (storage "datasets"): destroy');
    const report = JSON.parse(stdout.join(""));
    expect(report.status).toBe("refused");
    expect(report.stacks[0]).toMatchObject({
      destroy: 1,
      dataLoss: [{ address: "aws_s3_bucket.storage_datasets", action: "delete", section: "storage", name: "datasets" }],
    });
    expect(readFileSync(stateFile).equals(before)).toBe(true);

    // With --allow-data-loss the guard lets it through; offline still applies nothing.
    stdout.length = 0;
    await mlplat("deploy", join(root, "platform.yaml"), "--offline", "--allow-data-loss", "--out", out(), "--json");
    expect(JSON.parse(stdout.join("")).status).toBe("would-apply");
    expect(readFileSync(stateFile).equals(before)).toBe(true);
  });

  it("refuses deploy without a terminal and without --auto-approve before synthesizing", async () => {
    const err = (await mlplat("deploy", join(root, "platform.yaml"), "--out", out()).catch((e: unknown) => e)) as MlplatError;
    expect(err).toMatchObject({ code: "MLP_NEEDS_APPROVAL", exitCode: 1 });
    expect(() => readFileSync(join(out(), "mlplat.json"))).toThrow();
  });

  it("destroy keeps a protected bucket that is the only thing deployed, planning nothing, and lists it", async () => {
    const stateFile = join(root, ".mlplat", "state", "guard-default.tfstate");
    mkdirSync(join(root, ".mlplat", "state"), { recursive: true });
    writeFileSync(stateFile, stateWithBucket("guard-default-datasets-abc123"));
    const before = readFileSync(stateFile);

    await mlplat("destroy", join(root, "platform.yaml"), "--auto-approve", "--out", out(), "--json");
    const report = JSON.parse(stdout.join(""));
    expect(report).toEqual({
      status: "nothing-to-destroy",
      stacks: [{ name: "guard-default", destroyed: [], kept: [{ address: "aws_s3_bucket.storage_datasets", reason: "protected" }], applied: false, deletionProtectionLifted: [] }],
    });
    expect(readFileSync(stateFile).equals(before)).toBe(true);
  });

  it("output before anything is deployed: exit 1 MLP_NOT_DEPLOYED, nothing on stdout, the output folder untouched", async () => {
    const { existsSync, readdirSync } = await import("node:fs");
    const list = () => (existsSync(out()) ? readdirSync(out()).sort() : null);
    const before = list();
    const err = (await mlplat("output", join(root, "platform.yaml"), "--out", out(), "--json").catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_NOT_DEPLOYED");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe("guard-default is not deployed: terraform finds no outputs in the state.");
    expect(stdout.join("")).toBe("");
    expect(list()).toEqual(before);
  });
});
