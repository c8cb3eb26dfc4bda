import type { PlatformModel, SynthContext } from "../../src/model/platform.js";

/**
 * Hand-built models matching blueprints/azure-platform.yaml (the spec's example on Azure) and
 * blueprints/azure-aks-ml.yaml, as the loader would resolve them.
 */
const labels = (name: string, env: string, owner: string, extra: Record<string, string> = {}) => ({
  ...extra,
  owner,
  "mlplat-platform": name,
  "mlplat-env": env,
  "managed-by": "mlplat",
});

export const ctx: SynthContext = { offline: false, localStatePath: "../../../.mlplat/state/fraud-default.tfstate" };

export const platformModel: PlatformModel = {
  name: "fraud",
  env: "default",
  stackName: "fraud-default",
  owner: "risk-ml@example.com",
  labels: labels("fraud", "default", "risk-ml@example.com", { "cost-center": "4411" }),
  cloud: "azure",
  region: "eastus",
  azure: { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "fraud-default" },
  network: { cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["203.0.113.0/24"] },
  buckets: [
    { name: "datasets", versioning: true, tiering: { coolAfterDays: 30, archiveAfterDays: 180 }, expireAfterDays: 730, protect: true },
    { name: "models", versioning: true, protect: true },
  ],
  registry: { images: [{ name: "serving", immutableTags: true, scanOnPush: true, keepLast: 50 }], models: true },
  cluster: {
    version: "1.33",
    admins: [],
    systemPool: { instanceType: "Standard_D4s_v5", min: 1, max: 3 },
    nodePools: [
      {
        name: "train",
        instanceType: "Standard_ND96amsr_A100_v4",
        gpu: { type: "A100-80GB", count: 8, memoryGiB: 80 },
        spot: true,
        min: 0,
        max: 4,
        diskGiB: 500,
        labels: { workload: "training", "mlplat.io/pool": "train", "mlplat.io/capacity": "spot" },
        taints: [
          { key: "team", value: "risk", effect: "NoSchedule" },
          { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
        ],
      },
      {
        name: "infer",
        instanceType: "Standard_NC4as_T4_v3",
        gpu: { type: "T4", count: 1, memoryGiB: 16 },
        spot: false,
        min: 0,
        max: 8,
        diskGiB: 100,
        labels: { "mlplat.io/pool": "infer" },
        taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
      },
    ],
  },
  endpoints: [
    {
      name: "scorer",
      runtime: "managed",
      image: { kind: "repository", repository: "serving", tag: "1.4.2" },
      model: { bucket: "models", path: "scorer/1.4.2/" },
      gpu: { type: "T4", count: 1, memoryGiB: 16 },
      instanceType: "Consumption-GPU-NC8as-T4",
      cpu: 8,
      memoryGiB: 56,
      autoscaling: { min: 1, max: 8, targetConcurrency: 8 },
      alarms: { latencyP99Ms: 300, errorRatePercent: 1 },
    },
  ],
  observability: { logRetentionDays: 30, alertEmails: ["oncall@example.com"] },
  budget: { monthlyUsd: 25000, alertAtPercent: [50, 80, 100], emails: ["finance@example.com"] },
  state: { backend: "local", dir: "/tmp/state" },
};

export const aksMlModel: PlatformModel = {
  name: "vision",
  env: "default",
  stackName: "vision-default",
  owner: "vision@example.com",
  labels: labels("vision", "default", "vision@example.com"),
  cloud: "azure",
  region: "eastus",
  azure: { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "vision-ml", tenantId: "22222222-2222-2222-2222-222222222222" },
  network: { cidr: "10.0.0.0/16", privateCluster: true, adminCidrs: [] },
  buckets: [{ name: "artifacts", versioning: true, protect: true }],
  registry: { images: [{ name: "detector", immutableTags: true, scanOnPush: true }], models: true },
  cluster: {
    version: "1.33",
    admins: ["33333333-3333-3333-3333-333333333333"],
    systemPool: { instanceType: "Standard_D4s_v5", min: 1, max: 3 },
    nodePools: [
      {
        name: "t4-spot",
        instanceType: "Standard_NC4as_T4_v3",
        gpu: { type: "T4", count: 1, memoryGiB: 16 },
        spot: true,
        min: 0,
        max: 6,
        diskGiB: 128,
        labels: { "mlplat.io/pool": "t4-spot", "mlplat.io/capacity": "spot" },
        taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
      },
    ],
  },
  endpoints: [
    {
      name: "detector",
      runtime: "managed",
      image: { kind: "repository", repository: "detector", tag: "2.0.0" },
      gpu: { type: "T4", count: 1, memoryGiB: 16 },
      instanceType: "Consumption-GPU-NC8as-T4",
      cpu: 8,
      memoryGiB: 56,
      autoscaling: { min: 0, max: 4 },
      alarms: {},
    },
  ],
  observability: { logRetentionDays: 90, alertEmails: [] },
  state: { backend: "azurerm", resourceGroup: "tfstate", storageAccount: "acmetfstate", container: "tfstate", key: "vision-default.tfstate" },
};
