import { describe, expect, it } from "vitest";
import { blueprint, expectCode, type Doc } from "./harness.js";

/** Codes of endpoint and node-pool compute resolution (src/model), through loadBlueprint. */
const endpoint = (cloud: "aws" | "gcp" | "azure", e: Doc, more: (s: Doc) => void = () => {}) =>
  blueprint(cloud, (s) => {
    s.registry = { images: [{ name: "serving", ...(cloud === "azure" ? { immutableTags: false, scanOnPush: false } : {}) }] };
    s.serving = { endpoints: [{ name: "scorer", image: "serving:1.0", ...e }] };
    more(s);
  });

describe("endpoints", () => {
  it("MLP_ENDPOINT_COMPUTE: gpu and instanceType together", () => {
    const d = expectCode(endpoint("aws", { gpu: { type: "T4", count: 1 }, instanceType: "ml.m5.xlarge" }), "MLP_ENDPOINT_COMPUTE");
    expect(d.message).toBe("give either `gpu` or `instanceType`, not both.");
  });

  it("MLP_SAGEMAKER_INSTANCE_TYPE: an EC2 type on SageMaker", () => {
    const d = expectCode(endpoint("aws", { instanceType: "m5.xlarge" }), "MLP_SAGEMAKER_INSTANCE_TYPE");
    expect(d.message).toBe("SageMaker endpoints take ml.* instance types, not m5.xlarge.");
    expect(d.hint).toContain("use ml.m5.xlarge");
  });

  it("MLP_CLOUD_RUN_INSTANCE_TYPE, _GPU_COUNT, _GPU_REGION, _GPU_SIZE", () => {
    expect(expectCode(endpoint("gcp", { instanceType: "n1-standard-4" }), "MLP_CLOUD_RUN_INSTANCE_TYPE").message).toBe(
      "Cloud Run takes no instance type; it sizes containers by cpu and memoryGiB.",
    );
    expect(expectCode(endpoint("gcp", { gpu: { type: "L4", count: 2 } }), "MLP_CLOUD_RUN_GPU_COUNT").message).toBe("Cloud Run gives one GPU per instance.");
    const region = expectCode(endpoint("gcp", { gpu: { type: "L4", count: 1 } }, (s) => (s.region = "asia-south2")), "MLP_CLOUD_RUN_GPU_REGION");
    expect(region.message).toMatch(/^Cloud Run offers GPUs in [a-z0-9, -]*us-central1[a-z0-9, -]*, not in asia-south2\.$/);
    const size = expectCode(endpoint("gcp", { gpu: { type: "L4", count: 1 }, cpu: 2 }), "MLP_CLOUD_RUN_GPU_SIZE");
    expect(size.message).toBe("Cloud Run needs at least 4 vCPU and 16 GiB of memory with a GPU.");
    expect(size.found).toBe("cpu 2, memoryGiB 16");
  });

  it("MLP_CONTAINER_APPS_INSTANCE_TYPE, _GPU, _GPU_COUNT", () => {
    expect(expectCode(endpoint("azure", { instanceType: "Standard_D4s_v5" }), "MLP_CONTAINER_APPS_INSTANCE_TYPE").message).toBe(
      "Container Apps take no instance type; GPU endpoints run on a serverless GPU workload profile chosen from `gpu`.",
    );
    expect(expectCode(endpoint("azure", { gpu: { type: "H100", count: 1 } }), "MLP_CONTAINER_APPS_GPU").message).toBe(
      "Container Apps serverless GPUs are T4 and A100-80GB; H100 is not offered there.",
    );
    expect(expectCode(endpoint("azure", { gpu: { type: "T4", count: 2 } }), "MLP_CONTAINER_APPS_GPU_COUNT").message).toBe("Container Apps give one GPU per replica.");
  });

  it("MLP_K8S_ENDPOINT_NO_CLUSTER: a kubernetes endpoint without a cluster", () => {
    const d = expectCode(endpoint("aws", { runtime: "kubernetes" }), "MLP_K8S_ENDPOINT_NO_CLUSTER");
    expect(d.message).toBe("a `kubernetes` endpoint needs `spec.cluster`.");
  });
});

describe("node pools", () => {
  it("MLP_INSTANCE_FRACTIONAL_GPU: a fraction of a GPU is a CPU pool (warning)", () => {
    const d = expectCode(blueprint("aws", (s) => (s.cluster = { version: "1.34", nodePools: [{ name: "frac", instanceType: "g6f.2xlarge", max: 1 }] })), "MLP_INSTANCE_FRACTIONAL_GPU");
    expect(d.severity).toBe("warning");
    expect(d.message).toBe("g6f.2xlarge has a fraction (0.25) of a L4; it is treated as a CPU pool (no GPU taint, no nvidia.com/gpu resource).");
  });

  it("MLP_GPU_NOT_IN_REGION: a GPU pool in a region outside the type's listed regions, also one the catalog never surveyed (issue 15)", () => {
    const d = expectCode(
      blueprint("aws", (s) => ((s.region = "ap-southeast-5"), (s.cluster = { version: "1.34", nodePools: [{ name: "gpu", gpu: { type: "T4", count: 1 }, max: 1 }] }))),
      "MLP_GPU_NOT_IN_REGION",
    );
    expect(d.severity).toBe("error");
    expect(d.path).toEqual(["spec", "cluster", "nodePools", 0, "gpu"]);
    expect(d.message).toBe("T4 ×1 is not offered on aws in ap-southeast-5.");
    expect(d.hint).toMatch(/^T4 ×1 is offered in .+\. The catalog's aws availability data does not cover ap-southeast-5: if aws offers it there now, refresh the catalog \(npm run catalog:generate\) or choose a listed region\.$/);
    expect(d.line).toBeGreaterThan(0);
  });
});
