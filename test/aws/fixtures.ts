import type { PlatformModel, SynthContext } from "../../src/model/platform.js";

/**
 * Hand-built models for the AWS tests, independent of the blueprint loader: the spec's example
 * (`cloud: aws`) as the loader resolves it, and a SageMaker-only platform without a cluster.
 */
export const OFFLINE: SynthContext = { offline: true, localStatePath: "../../../.mlplat/state/fraud-default.tfstate" };
export const ONLINE: SynthContext = { offline: false, localStatePath: "../../../.mlplat/state/fraud-default.tfstate" };

const gpuTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

export function specExampleModel(overrides: Partial<PlatformModel> = {}): PlatformModel {
  return {
    name: "fraud",
    env: "default",
    stackName: "fraud-default",
    owner: "risk-ml@example.com",
    labels: {
      "cost-center": "4411",
      owner: "risk-ml@example.com",
      "mlplat-platform": "fraud",
      "mlplat-env": "default",
      "managed-by": "mlplat",
    },
    cloud: "aws",
    region: "us-east-1",
    aws: { accountId: "123456789012" },
    network: { cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: [] },
    buckets: [
      { name: "datasets", versioning: true, tiering: { coolAfterDays: 30, archiveAfterDays: 180 }, expireAfterDays: 730, protect: true },
      { name: "models", versioning: true, protect: true },
    ],
    registry: { images: [{ name: "serving", immutableTags: true, scanOnPush: true, keepLast: 50 }], models: true },
    cluster: {
      version: "1.33",
      admins: [],
      systemPool: { instanceType: "m6i.large", min: 1, max: 3 },
      nodePools: [
        {
          name: "train",
          instanceType: "p4de.24xlarge",
          gpu: { type: "A100-80GB", count: 8, memoryGiB: 80 },
          spot: true,
          min: 0,
          max: 4,
          diskGiB: 500,
          labels: { workload: "training", "mlplat.io/pool": "train", "mlplat.io/capacity": "spot" },
          taints: [gpuTaint, { key: "team", value: "risk", effect: "NoSchedule" }],
        },
        {
          name: "infer",
          instanceType: "g6.xlarge",
          gpu: { type: "L4", count: 1, memoryGiB: 22.35 },
          spot: false,
          min: 0,
          max: 8,
          diskGiB: 100,
          labels: { "mlplat.io/pool": "infer" },
          taints: [gpuTaint],
        },
      ],
    },
    pipelines: [],
    endpoints: [
      {
        name: "scorer",
        runtime: "managed",
        image: { kind: "repository", repository: "serving", tag: "1.4.2" },
        model: { bucket: "models", path: "scorer/1.4.2/" },
        instanceType: "ml.g4dn.xlarge",
        gpu: { type: "T4", count: 1 },
        cpu: 4,
        memoryGiB: 16,
        autoscaling: { min: 1, max: 8, targetConcurrency: 8 },
        alarms: { latencyP99Ms: 300, errorRatePercent: 1 },
      },
    ],
    observability: { logRetentionDays: 30, alertEmails: ["oncall@example.com"] },
    budget: { monthlyUsd: 25000, alertAtPercent: [50, 80, 100], emails: ["finance@example.com"] },
    state: { backend: "s3", bucket: "acme-tfstate", region: "us-east-1", key: "fraud-default.tfstate" },
    ...overrides,
  };
}

/** A SageMaker-only platform: bucket, repository, model registry and a CPU endpoint; no cluster. */
export function sagemakerOnlyModel(): PlatformModel {
  return specExampleModel({
    name: "scoring",
    stackName: "scoring-prod",
    env: "prod",
    labels: { owner: "ml@example.com", "mlplat-platform": "scoring", "mlplat-env": "prod", "managed-by": "mlplat" },
    owner: "ml@example.com",
    region: "eu-west-1",
    network: { cidr: "10.20.0.0/20", privateCluster: true, adminCidrs: [] },
    buckets: [{ name: "artifacts", versioning: true, protect: true }],
    registry: { images: [{ name: "server", immutableTags: true, scanOnPush: true }], models: true },
    cluster: undefined,
    endpoints: [
      {
        name: "churn",
        runtime: "managed",
        image: { kind: "repository", repository: "server", tag: "2.0.0" },
        model: { bucket: "artifacts", path: "churn/model.tar.gz" },
        instanceType: "ml.m5.xlarge",
        cpu: 4,
        memoryGiB: 16,
        autoscaling: { min: 1, max: 4 },
        alarms: { latencyP99Ms: 200 },
      },
    ],
    observability: { logRetentionDays: 90, alertEmails: ["ml-oncall@example.com"] },
    budget: undefined,
    state: { backend: "local", dir: "/tmp/state" },
  });
}
