import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MlplatError } from "../../src/util/errors.js";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { awsTags, awsTarget, EKS_ADDON_VERSIONS, volumeKmsAllowed, zoneSubnets } from "../../src/targets/aws/index.js";
import { OFFLINE, ONLINE, sagemakerOnlyModel, specExampleModel } from "./fixtures.js";

describe("the AWS resolver module", () => {
  it("imports cdktf, providers and stacks only as types, so validate never loads them", () => {
    const dir = new URL("../../src/targets/aws/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files).toContain("resolve.ts");
    for (const file of files) {
      const source = readFileSync(new URL(file, dir), "utf8");
      const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
      expect(runtimeImports.filter((m) => /cdktf|constructs|stacks\//.test(m!)), file).toEqual([]);
    }
  });
});

describe("the hand-built fixture", () => {
  it("is what the loader makes of the spec's example, so the tests cover the real model", () => {
    const { model } = loadBlueprintOrThrow(new URL("../fixtures/spec-example.yaml", import.meta.url).pathname, {});
    expect(JSON.parse(JSON.stringify(model))).toEqual(JSON.parse(JSON.stringify(specExampleModel())));
  });
});

describe("awsTarget.resolve", () => {
  const props = awsTarget.resolve(specExampleModel(), OFFLINE);

  it("keeps old versions of a versioned bucket 30 days, or as long as its expireAfterDays", () => {
    const p = awsTarget.resolve(
      specExampleModel({
        buckets: [
          { name: "a", versioning: true, protect: true },
          { name: "b", versioning: true, protect: true, expireAfterDays: 400 },
          { name: "c", versioning: false, protect: false },
        ],
        endpoints: [],
      }),
      OFFLINE,
    );
    expect(p.storage.buckets.map((b) => [b.name, b.noncurrentExpireAfterDays])).toEqual([["a", 30], ["b", 400], ["c", undefined]]);
  });

  it("derives globally unique, stable bucket names and ECR URLs from the account", () => {
    expect(props.bucketNames.datasets).toMatch(/^fraud-default-datasets-[a-z0-9]{6}$/);
    expect(awsTarget.resolve(specExampleModel(), OFFLINE).bucketNames).toEqual(props.bucketNames);
    const other = awsTarget.resolve(specExampleModel({ aws: { accountId: "210987654321" } }), OFFLINE);
    expect(other.bucketNames.datasets).not.toBe(props.bucketNames.datasets);
    expect(props.storage.logBucketName).toMatch(/^fraud-default-access-logs-[a-z0-9]{6}$/);
    expect(props.registryUrls).toEqual({ serving: "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-default/serving" });
  });

  it("puts the image URL with its tag and the model data URI into the endpoint", () => {
    const [ep] = props.endpoints;
    expect(ep).toMatchObject({
      name: "scorer",
      endpointName: "fraud-default-scorer",
      image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-default/serving:1.4.2",
      imageRepository: "serving",
      modelBucket: "models",
      modelDataUri: `s3://${props.bucketNames.models}/scorer/1.4.2/`,
      modelPrefix: "scorer/1.4.2/",
      instanceType: "ml.g4dn.xlarge",
      volumeEncrypted: false,
      targetConcurrency: 8,
      minInstances: 1,
      maxInstances: 8,
    });
    expect(ep!.modelName).toMatch(/^fraud-default-scorer-[a-z0-9]{8}$/);
    expect(ep!.endpointConfigNamePrefix.length).toBeLessThanOrEqual(37);
    expect(props.logGroups.endpoints).toEqual({ scorer: "/aws/sagemaker/Endpoints/fraud-default-scorer" });
  });

  it("renames the SageMaker model when the image changes, so the endpoint rolls forward", () => {
    const m = specExampleModel();
    const newer = specExampleModel({ endpoints: [{ ...m.endpoints[0]!, image: { kind: "repository", repository: "serving", tag: "1.5.0" } }] });
    expect(awsTarget.resolve(newer, OFFLINE).endpoints[0]!.modelName).not.toBe(props.endpoints[0]!.modelName);
  });

  it("derives zones from the region and carves subnets from the VPC CIDR", () => {
    expect(props.network.zones).toEqual([
      { zone: "us-east-1a", letter: "a", privateCidr: "10.40.0.0/18", publicCidr: "10.40.192.0/20" },
      { zone: "us-east-1b", letter: "b", privateCidr: "10.40.64.0/18", publicCidr: "10.40.208.0/20" },
      { zone: "us-east-1c", letter: "c", privateCidr: "10.40.128.0/18", publicCidr: "10.40.224.0/20" },
    ]);
    expect(zoneSubnets("ap-northeast-1", "10.0.0.0/24").map((z) => [z.zone, z.privateCidr, z.publicCidr])).toEqual([
      ["ap-northeast-1a", "10.0.0.0/26", "10.0.0.192/28"],
      ["ap-northeast-1c", "10.0.0.64/26", "10.0.0.208/28"],
      ["ap-northeast-1d", "10.0.0.128/26", "10.0.0.224/28"],
    ]);
    expect(props.network.interfaceEndpoints).toMatchObject({
      "ecr-api": "com.amazonaws.us-east-1.ecr.api",
      "ecr-dkr": "com.amazonaws.us-east-1.ecr.dkr",
      sts: "com.amazonaws.us-east-1.sts",
      logs: "com.amazonaws.us-east-1.logs",
      "sagemaker-runtime": "com.amazonaws.us-east-1.sagemaker.runtime",
    });
  });

  it("throws for a CIDR the subnet plan cannot carve", () => {
    expect(() => zoneSubnets("us-east-1", "10.0.0.0/26")).toThrow(MlplatError);
    expect(() => zoneSubnets("us-east-1", "10.0.1.0/16")).toThrow(/host bits/);
  });

  it("resolves GPU pools to the NVIDIA AMI with their taints, labels and pinned add-ons", () => {
    const c = props.cluster!;
    expect(c.clusterName).toBe("fraud-default");
    expect(c.addonVersions).toEqual(EKS_ADDON_VERSIONS["1.33"]);
    const train = c.nodePools.find((p) => p.name === "train")!;
    expect(train).toMatchObject({
      nodeGroupName: "fraud-default-train",
      instanceType: "p4de.24xlarge",
      amiType: "AL2023_x86_64_NVIDIA",
      spot: true,
      minSize: 0,
      maxSize: 4,
      diskSizeGiB: 500,
      gpuCount: 8,
    });
    expect(train.taints).toContainEqual({ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" });
    expect(c.systemPool).toMatchObject({ amiType: "AL2023_x86_64_STANDARD", instanceType: "m6i.large", minSize: 1, maxSize: 3 });
    expect(c.privateEndpoint).toBe(true);
    expect(c.publicAccessCidrs).toEqual([]);
  });

  it("uses the local backend offline and S3 with the blueprint's bucket otherwise", () => {
    expect(props.backend).toEqual({ kind: "local", path: OFFLINE.localStatePath });
    expect(props.offline).toBe(true);
    expect(awsTarget.resolve(specExampleModel(), ONLINE).backend).toEqual({
      kind: "s3",
      bucket: "acme-tfstate",
      key: "fraud-default.tfstate",
      region: "us-east-1",
    });
  });

  it("tags everything with the labels plus the stack, and scopes the budget by that tag", () => {
    expect(props.defaultTags).toMatchObject({ owner: "risk-ml@example.com", "cost-center": "4411", "mlplat-stack": "fraud-default" });
    expect(props.budget).toMatchObject({ monthlyUsd: 25000, alertAtPercent: [50, 80, 100], costTagFilter: "user:mlplat-stack$fraud-default" });
    expect(awsTags({ "team#1": "a,b", "aws:x": "v" })).toEqual({ "team_1": "a_b", "x-aws:x": "v" });
  });

  it("resolves a SageMaker-only platform without cluster outputs, and encrypts CPU endpoint volumes", () => {
    const p = awsTarget.resolve(sagemakerOnlyModel(), OFFLINE);
    expect(p.cluster).toBeUndefined();
    expect(p.network.clusterName).toBeUndefined();
    expect(p.logGroups.cluster).toBeUndefined();
    expect(p.endpoints[0]).toMatchObject({ volumeEncrypted: true, modelDataUri: `s3://${p.bucketNames.artifacts}/churn/model.tar.gz`, invocationsPerInstanceTarget: 100 });
    expect(p.network.zones.map((z) => z.zone)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  });

  it("knows which SageMaker types reject a volume key", () => {
    expect(volumeKmsAllowed("ml.g4dn.xlarge")).toBe(false);
    expect(volumeKmsAllowed("ml.m5.xlarge")).toBe(true);
    expect(volumeKmsAllowed("ml.p5e.48xlarge")).toBe(false);
  });

  it("derives the workload role of kubernetes endpoints that load a model, for the service account annotation", () => {
    const m = specExampleModel();
    const chat = { ...m.endpoints[0]!, name: "chat", runtime: "kubernetes" as const, pool: "infer", model: { bucket: "models", path: "/chat/" } };
    const nomodel = { ...chat, name: "echo", model: undefined };
    const p = awsTarget.resolve(specExampleModel({ endpoints: [chat, nomodel] }), OFFLINE);
    expect(p.endpoints).toEqual([]);
    expect(p.kubernetesWorkloadRoles).toEqual([
      {
        name: "chat",
        roleName: "fraud-default-chat-workload",
        roleArn: "arn:aws:iam::123456789012:role/fraud-default-chat-workload",
        namespace: "mlplat-serving",
        serviceAccount: "chat",
        modelBucket: "models",
        modelPrefix: "chat/",
      },
    ]);
  });

  it("throws when a managed endpoint would scale to zero, suggesting runtime: kubernetes", () => {
    const m = specExampleModel();
    const zero = specExampleModel({ endpoints: [{ ...m.endpoints[0]!, autoscaling: { min: 0, max: 2 } }] });
    const err = (() => {
      try {
        awsTarget.resolve(zero, OFFLINE);
      } catch (e) {
        return e as MlplatError;
      }
      throw new Error("no error");
    })();
    expect(err).toBeInstanceOf(MlplatError);
    expect(err.code).toBe("MLP_AWS_MANAGED_MIN_ZERO");
    expect(err.message).toMatch(/cannot scale to zero/);
    expect(err.hint).toMatch(/runtime: kubernetes/);
  });

  it("throws for a Kubernetes version without pinned add-ons, naming the known ones", () => {
    const m = specExampleModel();
    const old = specExampleModel({ cluster: { ...m.cluster!, version: "1.25" } });
    expect(() => awsTarget.resolve(old, OFFLINE)).toThrow(/no pinned EKS add-on versions for Kubernetes 1.25/);
  });

  it("throws for reserved bucket and pool names", () => {
    const m = specExampleModel();
    expect(() => awsTarget.resolve(specExampleModel({ buckets: [{ name: "access-logs", versioning: true, protect: true }], endpoints: [] }), OFFLINE)).toThrow(
      /reserved/,
    );
    const pools = [{ ...m.cluster!.nodePools[0]!, name: "system" }];
    expect(() => awsTarget.resolve(specExampleModel({ cluster: { ...m.cluster!, nodePools: pools } }), OFFLINE)).toThrow(/reserved/);
  });

  it("throws for budgets beyond the AWS Budgets limits", () => {
    const budget = { monthlyUsd: 100, alertAtPercent: [10, 20, 30, 40, 50, 60], emails: ["a@example.com"] };
    expect(() => awsTarget.resolve(specExampleModel({ budget }), OFFLINE)).toThrow(/5 notifications per budget/);
    const many = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    expect(() => awsTarget.resolve(specExampleModel({ budget: { ...budget, alertAtPercent: [80], emails: many } }), OFFLINE)).toThrow(/1 to 10/);
  });

  it("throws without a 12-digit account id", () => {
    expect(() => awsTarget.resolve(specExampleModel({ aws: { accountId: "12" } }), OFFLINE)).toThrow(/12-digit/);
  });
});
