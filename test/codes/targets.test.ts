import { describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { parseTaint } from "../../src/k8s/platforms/azure.js";
import { TARGETS } from "../../src/targets/index.js";
import { MlplatError } from "../../src/util/errors.js";
import { blueprint, expectCode, write, type Doc } from "./harness.js";

/**
 * Codes of the cloud targets' resolvers. Most surface through loadBlueprint (validate fails where
 * synth would); a few guard invariants that validation already enforces, so the blueprint layer
 * stops a user before them: those are triggered by handing the resolver (the synth path's entry
 * into a cloud) a model that breaks the invariant, and their message is pinned all the same.
 */
const ctx = { offline: false, localStatePath: "state.tfstate" };

function model(doc: Doc): PlatformModel {
  const r = loadBlueprint(write(doc), { today: "2026-11-25", vars: {} });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.model!;
}

function thrown(fn: () => unknown): MlplatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MlplatError);
    return e as MlplatError;
  }
  throw new Error("expected an MlplatError, nothing was thrown");
}

describe("AWS", () => {
  it("MLP_AWS_RESERVED_NAME: the access-log bucket name and the cluster's own ids", () => {
    expect(expectCode(blueprint("aws", (s) => (s.storage.buckets = [{ name: "access-logs" }])), "MLP_AWS_RESERVED_NAME").message).toBe(
      "the bucket name `access-logs` is reserved on AWS for the access-log bucket.",
    );
    const d = expectCode(blueprint("aws", (s) => (s.cluster = { version: "1.34", nodePools: [{ name: "coredns", instanceType: "m6i.large", max: 1 }] })), "MLP_AWS_RESERVED_NAME");
    expect(d.message).toBe("the node pool name `coredns` is reserved on AWS (an id of the cluster's own resources).");
    expect(d.path).toEqual(["spec", "cluster", "nodePools", 0, "name"]);
  });

  it("MLP_AWS_BUDGET_LIMIT: more than 5 thresholds, more than 10 addresses", () => {
    const thresholds = blueprint("aws", (s) => (s.budget = { monthlyUsd: 100, alertAtPercent: [10, 20, 30, 40, 50, 60], emails: ["a@example.com"] }));
    expect(expectCode(thresholds, "MLP_AWS_BUDGET_LIMIT").message).toBe("budget.alertAtPercent has 6 thresholds; AWS Budgets allows 5 notifications per budget.");
    const emails = blueprint("aws", (s) => (s.budget = { monthlyUsd: 100, emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.com`) }));
    expect(expectCode(emails, "MLP_AWS_BUDGET_LIMIT").message).toBe("budget.emails has 11 addresses; AWS Budgets needs 1 to 10 per notification.");
  });

  it("MLP_STATE_BACKEND_CLOUD: another cloud's state bucket is refused at validate, on every cloud (GCP and Azure used to fall back to local state silently)", () => {
    const d = expectCode(blueprint("aws", (s) => (s.state = { backend: "gcs", bucket: "tfstate-bucket" })), "MLP_STATE_BACKEND_CLOUD");
    expect(d.message).toBe("spec.state.backend gcs keeps state in gcp; this blueprint deploys to aws.");
    expect(d.path).toEqual(["spec", "state", "backend"]);
    expect(d.line).toBeGreaterThan(0);
    expect(d.hint).toContain("`backend: s3`");
    const gcp = expectCode(blueprint("gcp", (s) => (s.state = { backend: "s3", bucket: "acme-tfstate", region: "us-east-1" })), "MLP_STATE_BACKEND_CLOUD");
    expect(gcp.message).toBe("spec.state.backend s3 keeps state in aws; this blueprint deploys to gcp.");
    const azure = expectCode(blueprint("azure", (s) => (s.state = { backend: "gcs", bucket: "tfstate-bucket" })), "MLP_STATE_BACKEND_CLOUD");
    expect(azure.allowed).toBe("azurerm, hcp, local");
  });

  // Invariants validation enforces first (MLP_ACCOUNT_REQUIRED, MLP_CIDR_*, the schema's max > 0).
  const aws = () => model(blueprint("aws", (s) => (s.cluster = { version: "1.34", nodePools: [{ name: "cpu", instanceType: "m6i.large", max: 1 }] })));

  it("MLP_AWS_STATE_BACKEND: the resolver refuses a model whose backend is another cloud's (validation refuses it first)", () => {
    const e = thrown(() => TARGETS.aws.resolve({ ...aws(), state: { backend: "gcs", bucket: "tfstate-bucket", prefix: "p" } } as PlatformModel, ctx));
    expect([e.code, e.message]).toEqual(["MLP_AWS_STATE_BACKEND", "spec.state.backend gcs is not available on AWS."]);
  });

  it("MLP_AWS_ACCOUNT: the resolver refuses a model without a 12-digit account", () => {
    const e = thrown(() => TARGETS.aws.resolve({ ...aws(), aws: { accountId: "1234" } } as PlatformModel, ctx));
    expect([e.code, e.message]).toEqual(["MLP_AWS_ACCOUNT", 'spec.aws.accountId must be a 12-digit AWS account id, got "1234".']);
  });

  it("MLP_AWS_CIDR: the resolver refuses a network outside /16-/24 or with host bits", () => {
    const m = aws();
    const e = thrown(() => TARGETS.aws.resolve({ ...m, network: { ...m.network, cidr: "10.0.0.0/12" } }, ctx));
    expect([e.code, e.message]).toEqual(["MLP_AWS_CIDR", "network.cidr 10.0.0.0/12 must be /16 to /24 on AWS, got /12."]);
    const h = thrown(() => TARGETS.aws.resolve({ ...m, network: { ...m.network, cidr: "10.0.1.0/16" } }, ctx));
    expect([h.code, h.message]).toEqual(["MLP_AWS_CIDR", "network.cidr 10.0.1.0/16 has host bits set."]);
  });

  it("MLP_AWS_POOL_MAX: the resolver refuses a node group with max 0", () => {
    const m = aws();
    const cluster = { ...m.cluster!, nodePools: m.cluster!.nodePools.map((p) => ({ ...p, min: 0, max: 0 })) };
    const e = thrown(() => TARGETS.aws.resolve({ ...m, cluster }, ctx));
    expect([e.code, e.message]).toEqual(["MLP_AWS_POOL_MAX", "node pool cpu: EKS managed node groups need max >= 1, got 0."]);
  });

  it("MLP_AWS_INTERNAL: the AWS target handed another cloud's model (exit 70)", () => {
    const e = thrown(() => TARGETS.aws.resolve(model(blueprint("gcp")), ctx));
    expect([e.code, e.message, e.exitCode]).toEqual(["MLP_AWS_INTERNAL", "the AWS target got a gcp model", 70]);
  });
});

describe("GCP", () => {
  it("MLP_GCP_BUCKET_NAME: a derived bucket name containing google", () => {
    const d = expectCode(blueprint("gcp", (_s, doc) => (doc.metadata.name = "googler")), "MLP_GCP_BUCKET_NAME");
    expect(d.message).toMatch(/^GCS bucket name googler-default-data-[a-z0-9]+ contains "google", which GCS forbids$/);
  });

  it("MLP_GCP_LABEL_COUNT: more than 64 labels", () => {
    const labels = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, "v"]));
    const d = expectCode(blueprint("gcp", (_s, doc) => (doc.metadata.labels = labels)), "MLP_GCP_LABEL_COUNT");
    // 70 labels of the blueprint plus the ones mlplat adds (owner, stack, env, managed-by).
    expect(d.message).toMatch(/^GCP resources take at most 64 labels, the platform has 7\d$/);
  });

  it("MLP_GCP_CLOUD_RUN_SIZE: a Cloud Run replica over 8 vCPU / 32 GiB", () => {
    const d = expectCode(
      blueprint("gcp", (s) => ((s.registry = { images: [{ name: "serving" }] }), (s.serving = { endpoints: [{ name: "scorer", image: "serving:1.0", cpu: 16, memoryGiB: 64 }] }))),
      "MLP_GCP_CLOUD_RUN_SIZE",
    );
    expect(d.message).toBe("spec.serving.endpoints[scorer]: Cloud Run instances have at most 8 vCPU and 32 GiB (asked 16 vCPU, 64 GiB)");
  });

  const gcpServing = () =>
    model(
      blueprint("gcp", (s) => {
        s.registry = { images: [{ name: "serving" }] };
        s.serving = { endpoints: [{ name: "scorer", image: "serving:1.0" }] };
        s.cluster = { version: "1.35", nodePools: [{ name: "t4", gpu: { type: "T4", count: 1 }, max: 1 }] };
      }),
    );

  it("MLP_GCP_IMAGE_REPO: the resolver refuses an endpoint image of an undeclared repository", () => {
    const m = gcpServing();
    const e = thrown(() => TARGETS.gcp.resolve({ ...m, registry: { ...m.registry, images: [] } }, ctx));
    expect([e.code, e.message]).toEqual(["MLP_GCP_IMAGE_REPO", "spec.serving.endpoints[scorer]: image repository serving is not declared"]);
  });

  it("MLP_GCP_GPU_ID: the resolver refuses a GPU pool the catalog gave no accelerator id", () => {
    const m = gcpServing();
    const nodePools = m.cluster!.nodePools.map((p) => ({ ...p, gpu: { ...p.gpu!, acceleratorId: undefined } }));
    const e = thrown(() => TARGETS.gcp.resolve({ ...m, cluster: { ...m.cluster!, nodePools } }, ctx));
    expect([e.code, e.message]).toEqual(["MLP_GCP_GPU_ID", "node pool t4: the catalog gave no GCP accelerator id for T4"]);
  });
});

describe("Azure", () => {
  const azure = () =>
    model(
      blueprint("azure", (s) => {
        s.registry = { images: [{ name: "serving", immutableTags: false, scanOnPush: false }] };
        s.serving = { endpoints: [{ name: "scorer", image: "serving:1.0", gpu: { type: "T4", count: 1 } }] };
      }),
    );

  it("MLP_AZURE_ACCOUNT_MISSING: the resolver refuses a model without spec.azure", () => {
    const e = thrown(() => TARGETS.azure.resolve({ ...azure(), azure: undefined }, ctx));
    expect([e.code, e.message]).toEqual(["MLP_AZURE_ACCOUNT_MISSING", "the azure target needs spec.azure.subscriptionId (cloud is azure)"]);
  });

  it("MLP_AZURE_CIDR / MLP_AZURE_CIDR_TOO_SMALL: the resolver refuses a network it can't parse or carve", () => {
    const m = azure();
    const bad = thrown(() => TARGETS.azure.resolve({ ...m, network: { ...m.network, cidr: "10.0.0/16" } }, ctx));
    expect(bad.code).toBe("MLP_AZURE_CIDR");
    expect(bad.message).toContain("10.0.0/16");
    const small = thrown(() => TARGETS.azure.resolve({ ...m, network: { ...m.network, cidr: "10.0.0.0/26" } }, ctx));
    expect([small.code, small.message]).toEqual(["MLP_AZURE_CIDR_TOO_SMALL", "network.cidr /26 has no room for the platform's subnets"]);
  });

  it("MLP_AZURE_GPU_PROFILE: the resolver refuses a GPU endpoint without a serverless GPU profile", () => {
    const m = azure();
    const endpoints = m.endpoints.map((e) => ({ ...e, instanceType: "Standard_NC4as_T4_v3" }));
    const e = thrown(() => TARGETS.azure.resolve({ ...m, endpoints }, ctx));
    expect([e.code, e.message]).toEqual([
      "MLP_AZURE_GPU_PROFILE",
      "serving.endpoints[scorer]: T4 has no Container Apps serverless GPU workload profile (got Standard_NC4as_T4_v3)",
    ]);
  });
});

describe("Kubernetes manifests", () => {
  it("MLP_K8S_INTERNAL: a malformed cloud taint is a bug (exit 70), not a user error", () => {
    const e = thrown(() => parseTaint("no-effect"));
    expect([e.code, e.message, e.exitCode]).toEqual(["MLP_K8S_INTERNAL", "not a taint: no-effect", 70]);
  });
});
