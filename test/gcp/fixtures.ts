import { Testing } from "cdktf";
import type { NodePoolModel, PlatformModel, SynthContext } from "../../src/model/platform.js";
import { gcpTarget, type GcpPlatformProps } from "../../src/targets/gcp/index.js";
import { GcpPlatformStack } from "../../stacks/gcp/index.js";
import { Template } from "../helpers/template.js";

/**
 * Hand-built GCP models (what the blueprint loader would produce for the spec's example on GCP),
 * so construct tests do not depend on the loader or the catalog.
 */
export const ctx: SynthContext = { offline: false, localStatePath: "../../../.mlplat/state/fraud-default.tfstate" };

const gpuTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

export const trainPool: NodePoolModel = {
  name: "train",
  instanceType: "a2-ultragpu-8g",
  gpu: { type: "A100-80GB", count: 8, memoryGiB: 80, acceleratorId: "nvidia-a100-80gb" },
  spot: true,
  min: 0,
  max: 4,
  diskGiB: 500,
  labels: { workload: "training", "mlplat.io/pool": "train", "mlplat.io/capacity": "spot" },
  taints: [gpuTaint, { key: "team", value: "risk", effect: "NoSchedule" }],
};

export const t4Pool: NodePoolModel = {
  name: "t4",
  instanceType: "n1-highmem-4",
  gpu: { type: "T4", count: 1, memoryGiB: 16, acceleratorId: "nvidia-tesla-t4" },
  spot: true,
  min: 0,
  max: 6,
  diskGiB: 100,
  labels: { "mlplat.io/pool": "t4", "mlplat.io/capacity": "spot" },
  taints: [gpuTaint, { key: "workload", value: "batch", effect: "NoExecute" }],
};

export const l4Pool: NodePoolModel = {
  name: "l4",
  instanceType: "g2-standard-8",
  gpu: { type: "L4", count: 1, memoryGiB: 24, acceleratorId: "nvidia-l4" },
  spot: false,
  min: 0,
  max: 8,
  diskGiB: 200,
  labels: { "mlplat.io/pool": "l4" },
  taints: [gpuTaint],
};

export const cpuPool: NodePoolModel = {
  name: "cpu",
  instanceType: "n2-standard-8",
  spot: false,
  min: 1,
  max: 3,
  diskGiB: 100,
  labels: { "mlplat.io/pool": "cpu" },
  taints: [],
};

export function gcpModel(overrides: Partial<PlatformModel> = {}): PlatformModel {
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
    cloud: "gcp",
    region: "us-central1",
    gcp: { project: "fraud-ml-prod", billingAccount: "0A1B2C-3D4E5F-6A7B8C" },
    network: { cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["203.0.113.0/24"] },
    buckets: [
      { name: "datasets", versioning: true, tiering: { coolAfterDays: 30, archiveAfterDays: 180 }, expireAfterDays: 730, protect: true },
      { name: "models", versioning: true, protect: true },
    ],
    registry: { images: [{ name: "serving", immutableTags: true, scanOnPush: true, keepLast: 50 }], models: true },
    cluster: {
      version: "1.35",
      admins: ["group:ml-admins@example.com", "alice@example.com"],
      systemPool: { instanceType: "e2-standard-4", min: 1, max: 3 },
      nodePools: [trainPool, l4Pool],
    },
    endpoints: [
      {
        name: "scorer",
        runtime: "managed",
        image: { kind: "repository", repository: "serving", tag: "1.4.2" },
        model: { bucket: "models", path: "scorer/1.4.2/" },
        gpu: { type: "L4", count: 1, memoryGiB: 24, acceleratorId: "nvidia-l4" },
        cpu: 4,
        memoryGiB: 16,
        autoscaling: { min: 0, max: 8, targetConcurrency: 8 },
        alarms: { latencyP99Ms: 300, errorRatePercent: 1 },
      },
    ],
    observability: { logRetentionDays: 30, alertEmails: ["oncall@example.com"] },
    budget: { monthlyUsd: 25000, alertAtPercent: [50, 80, 100], emails: ["finance@example.com"] },
    state: { backend: "gcs", bucket: "acme-tfstate", prefix: "mlplat/fraud" },
    ...overrides,
  };
}

/** Synthesizes the GCP stack of props (through cdktf's Testing) into a Template. */
export function synthProps(props: GcpPlatformProps, id = "fraud-default"): Template {
  const app = Testing.app();
  const stack = new GcpPlatformStack(app, id, props);
  return Template.fromJson(Testing.synth(stack));
}

export function synthModel(model: PlatformModel, context: SynthContext = ctx): Template {
  return synthProps(gcpTarget.resolve(model, context), model.stackName);
}
