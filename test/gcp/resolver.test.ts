import { describe, expect, it } from "vitest";
import type { PlatformModel } from "../../src/model/platform.js";
import { diskTypeFor, gcpLabels, gcpTarget, iamMember, resolveNetwork } from "../../src/targets/gcp/index.js";
import { MlplatError } from "../../src/util/errors.js";
import { cpuPool, ctx, gcpModel, t4Pool } from "./fixtures.js";

function errorOf(fn: () => unknown): MlplatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MlplatError) return e;
    throw e;
  }
  throw new Error("expected an MlplatError");
}

describe("the GCP resolver", () => {
  const props = gcpTarget.resolve(gcpModel(), ctx);

  it("gives GCS buckets globally unique, DNS-safe names with a stable hash of project and item", () => {
    const names = props.buckets.map((b) => b.name);
    for (const n of names) expect(n).toMatch(/^fraud-default-(datasets|models)-[a-z0-9]{6}$/);
    expect(gcpTarget.resolve(gcpModel(), ctx).buckets.map((b) => b.name)).toEqual(names);
    const other = gcpTarget.resolve(gcpModel({ gcp: { project: "other-project", billingAccount: "0A1B2C-3D4E5F-6A7B8C" } }), ctx);
    expect(other.buckets[0]!.name).not.toBe(names[0]);
  });

  it("derives the other names within each GCP type's length limit", () => {
    const long = gcpModel({ name: "a-very-long-platform", env: "production-eu-west", stackName: "a-very-long-platform-production-eu-west" });
    const p = gcpTarget.resolve(
      { ...long, cluster: { ...long.cluster!, nodePools: [{ ...cpuPool, name: "a-pool-name-that-is-long-enough" }] } },
      ctx,
    );
    expect(p.cluster!.name.length).toBeLessThanOrEqual(40);
    expect(p.cluster!.nodePools[0]!.name.length).toBeLessThanOrEqual(40);
    expect(p.cluster!.nodeServiceAccountId).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(p.endpoints[0]!.serviceAccountId).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(p.endpoints[0]!.serviceName.length).toBeLessThanOrEqual(49);
    for (const r of p.repositories) expect(r.repositoryId).toMatch(/^[a-z][a-z0-9-]{0,62}$/);
    expect(p.kms.keyRingName).toBe("a-very-long-platform-production-eu-west");
  });

  it("keeps service account ids of short platform names within 6-30 characters", () => {
    const p = gcpTarget.resolve(gcpModel({ name: "ab", env: "x", stackName: "ab-x", endpoints: [] }), ctx);
    expect(p.cluster!.nodeServiceAccountId).toBe("ab-x-gke-nodes");
    expect(p.cluster!.nodeServiceAccountId.length).toBeGreaterThanOrEqual(6);
  });

  it("names the resources of the spec's example", () => {
    expect(props.cluster!.name).toBe("fraud-default");
    expect(props.cluster!.systemPool.name).toBe("fraud-default-system");
    expect(props.cluster!.nodePools.map((p) => p.name)).toEqual(["fraud-default-train", "fraud-default-l4"]);
    expect(props.cluster!.nodeServiceAccountId).toBe("fraud-default-gke-nodes");
    expect(props.repositories[0]!.repositoryId).toBe("fraud-default-serving");
    expect(props.endpoints[0]!.serviceName).toBe("fraud-default-scorer");
    expect(props.endpoints[0]!.serviceAccountId).toBe("fraud-default-run-scorer");
    expect(props.kms).toEqual({
      keyRingName: "fraud-default",
      rotationPeriod: "7776000s",
      keys: [
        { id: "storage", name: "fraud-default-storage", protect: true },
        { id: "registry", name: "fraud-default-registry", protect: true },
        { id: "cluster", name: "fraud-default-cluster", protect: true },
        { id: "serving", name: "fraud-default-serving", protect: true },
      ],
    });
  });

  it("fits labels to GCP rules: lowercase, [a-z0-9_-], keys starting with a letter, at most 63", () => {
    expect(props.labels).toEqual({
      "cost-center": "4411",
      "managed-by": "mlplat",
      "mlplat-env": "default",
      "mlplat-platform": "fraud",
      owner: "risk-ml_example_com",
    });
    const fitted = gcpLabels({ "Team.Name": "Risk ML", "9lives": "x".repeat(80), Empty: "" });
    expect(fitted).toEqual({ "team_name": "risk_ml", x9lives: "x".repeat(63), empty: "" });
    for (const [k, v] of Object.entries(fitted)) {
      expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
  });

  it("rejects two labels that become the same GCP key", () => {
    const e = errorOf(() => gcpLabels({ "cost.center": "1", "cost_center": "2" }));
    expect(e.code).toBe("MLP_GCP_LABEL_COLLISION");
    expect(e.message).toBe("labels cost.center and cost_center both become the GCP label key cost_center");
  });

  it("carves the node, services and pods ranges out of a /16", () => {
    expect(resolveNetwork(gcpModel())).toMatchObject({
      nodeCidr: "10.40.0.0/18",
      servicesCidr: "10.40.64.0/20",
      podsCidr: "10.40.128.0/17",
      secondaryRangesOutsideCidr: false,
    });
    expect(resolveNetwork(gcpModel({ network: { cidr: "192.168.0.0/16", privateCluster: true, adminCidrs: [] } }))).toMatchObject({
      nodeCidr: "192.168.0.0/18",
      servicesCidr: "192.168.64.0/20",
      podsCidr: "192.168.128.0/17",
    });
  });

  it("takes pods and services from other RFC 1918 space when the node CIDR is small", () => {
    expect(resolveNetwork(gcpModel({ network: { cidr: "10.60.0.0/20", privateCluster: true, adminCidrs: [] } }))).toMatchObject({
      nodeCidr: "10.60.0.0/20",
      podsCidr: "172.16.0.0/16",
      servicesCidr: "172.17.0.0/20",
      secondaryRangesOutsideCidr: true,
    });
    expect(resolveNetwork(gcpModel({ network: { cidr: "172.20.4.0/24", privateCluster: true, adminCidrs: [] } }))).toMatchObject({
      nodeCidr: "172.20.4.0/24",
      podsCidr: "10.248.0.0/16",
      servicesCidr: "10.249.0.0/20",
    });
    expect(resolveNetwork(gcpModel({ network: { cidr: "192.168.10.0/24", privateCluster: true, adminCidrs: [] } }))).toMatchObject({
      podsCidr: "172.16.0.0/16",
    });
  });

  it("builds Artifact Registry image URLs from region, project, repository and tag", () => {
    expect(props.repositories[0]!.url).toBe("us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-serving");
    expect(props.endpoints[0]!.image).toBe("us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-serving/serving:1.4.2");
    const uri = gcpTarget.resolve(
      gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, image: { kind: "uri", uri: "us-docker.pkg.dev/cloudrun/container/hello:latest" } }] }),
      ctx,
    );
    expect(uri.endpoints[0]!.image).toBe("us-docker.pkg.dev/cloudrun/container/hello:latest");
    expect(uri.endpoints[0]!.repositoryId).toBeUndefined();
  });

  it("points the endpoint at its model with a gs:// URI in the derived bucket", () => {
    const bucket = props.buckets.find((b) => b.id === "models")!.name;
    expect(props.endpoints[0]!.modelUri).toBe(`gs://${bucket}/scorer/1.4.2/`);
    expect(props.modelRegistry).toEqual({ location: "projects/fraud-ml-prod/locations/us-central1/models", bucketIds: ["models"] });
  });

  it("sizes a Cloud Run GPU instance at 4 vCPU and 16Gi at least, with one nvidia-l4", () => {
    const small = gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, cpu: 2, memoryGiB: 8 }] }), ctx);
    expect(small.endpoints[0]).toMatchObject({ cpu: "4", memory: "16Gi", accelerator: { type: "nvidia-l4", count: 1 }, minInstances: 0, maxInstances: 8 });
    const cpuOnly = gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, gpu: undefined, cpu: 1, memoryGiB: 0.5 }] }), ctx);
    expect(cpuOnly.endpoints[0]).toMatchObject({ cpu: "1", memory: "512Mi", accelerator: undefined });
  });

  it("throws when a managed endpoint asks Cloud Run for a GPU other than one L4, naming runtime: kubernetes", () => {
    const e = errorOf(() =>
      gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, gpu: { type: "T4", count: 1, acceleratorId: "nvidia-tesla-t4" } }] }), ctx),
    );
    expect(e.code).toBe("MLP_GCP_CLOUD_RUN_GPU");
    expect(e.message).toBe("spec.serving.endpoints[scorer]: Cloud Run offers exactly one L4 GPU per instance, not 1 × T4");
    expect(e.hint).toContain("runtime: kubernetes");
  });

  it("leaves kubernetes endpoints out of Cloud Run", () => {
    const p = gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, runtime: "kubernetes", pool: "l4" }] }), ctx);
    expect(p.endpoints).toEqual([]);
    expect(p.services).not.toContain("run.googleapis.com");
    expect(p.kms.keys.map((k) => k.id)).not.toContain("serving");
  });

  it("gives each kubernetes endpoint that reads a model a workload identity, and none to the others", () => {
    const base = gcpModel().endpoints[0]!;
    const p = gcpTarget.resolve(
      gcpModel({
        endpoints: [
          { ...base, name: "llm", runtime: "kubernetes", pool: "l4" },
          { ...base, name: "ranker", runtime: "kubernetes", pool: "l4", model: undefined },
          base,
        ],
      }),
      ctx,
    );
    expect(p.workloadIdentities).toEqual([
      {
        id: "llm",
        serviceAccountId: "fraud-default-k8s-llm",
        email: "fraud-default-k8s-llm@fraud-ml-prod.iam.gserviceaccount.com",
        workloadPool: "fraud-ml-prod.svc.id.goog",
        namespace: "mlplat-serving",
        kubernetesServiceAccount: "llm",
        modelBucketId: "models",
      },
    ]);
    expect(p.endpoints.map((e) => e.serviceAccountId)).toEqual(["fraud-default-run-scorer"]);
  });

  it("fits long workload service account ids to GCP's 6-30 characters, distinct per endpoint", () => {
    const base = { ...gcpModel().endpoints[0]!, runtime: "kubernetes" as const, pool: "l4" };
    const model = gcpModel({
      name: "fraud-detection-platform",
      env: "production",
      endpoints: [
        { ...base, name: "transaction-scorer-a" },
        { ...base, name: "transaction-scorer-b" },
      ],
    });
    const ids = gcpTarget.resolve(model, ctx).workloadIdentities.map((w) => w.serviceAccountId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });

  it("creates no workload identity without a cluster", () => {
    const p = gcpTarget.resolve(gcpModel({ cluster: undefined, endpoints: [{ ...gcpModel().endpoints[0]!, runtime: "kubernetes" }] }), ctx);
    expect(p.workloadIdentities).toEqual([]);
  });

  it("throws when a kubernetes endpoint's model bucket is not declared", () => {
    const e = errorOf(() =>
      gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, runtime: "kubernetes", pool: "l4", model: { bucket: "nope", path: "x/" } }] }), ctx),
    );
    expect(e.code).toBe("MLP_GCP_MODEL_BUCKET");
    expect(e.message).toBe("spec.serving.endpoints[scorer]: model bucket nope is not declared");
  });

  it("maps taints to GKE's effect names and keeps the GPU taint", () => {
    const p = gcpTarget.resolve(gcpModel({ cluster: { ...gcpModel().cluster!, nodePools: [t4Pool] } }), ctx);
    expect(p.cluster!.nodePools[0]!.taints).toEqual([
      { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
      { key: "workload", value: "batch", effect: "NO_EXECUTE" },
    ]);
    expect(p.cluster!.nodePools[0]!.accelerator).toEqual({ type: "nvidia-tesla-t4", count: 1 });
  });

  it("throws when a pool's machine family does not match its accelerator (a g2 machine with a T4)", () => {
    const bad = { ...t4Pool, instanceType: "g2-standard-8" };
    const e = errorOf(() => gcpTarget.resolve(gcpModel({ cluster: { ...gcpModel().cluster!, nodePools: [bad] } }), ctx));
    expect(e.code).toBe("MLP_GCP_GPU_MACHINE_FAMILY");
    expect(e.message).toBe("spec.cluster.nodePools[t4]: machine type g2-standard-8 has nvidia-l4 built in, not nvidia-tesla-t4");
  });

  it("throws when a blueprint pool named system collides with the system pool", () => {
    const e = errorOf(() => gcpTarget.resolve(gcpModel({ cluster: { ...gcpModel().cluster!, nodePools: [{ ...cpuPool, name: "system" }] } }), ctx));
    expect(e.code).toBe("MLP_GCP_POOL_NAME");
  });

  it("picks Hyperdisk for families that refuse Persistent Disk", () => {
    expect(diskTypeFor("n1-highmem-4")).toBe("pd-balanced");
    expect(diskTypeFor("g2-standard-8")).toBe("pd-balanced");
    expect(diskTypeFor("a4-highgpu-8g")).toBe("hyperdisk-balanced");
    expect(diskTypeFor("a3-ultragpu-8g")).toBe("hyperdisk-balanced");
    expect(diskTypeFor("n4-standard-8")).toBe("hyperdisk-balanced");
  });

  it("turns cluster admins into IAM members, a bare e-mail being a user", () => {
    expect(props.cluster!.admins).toEqual(["group:ml-admins@example.com", "user:alice@example.com"]);
    expect(iamMember("ci@proj.iam.gserviceaccount.com")).toBe("serviceAccount:ci@proj.iam.gserviceaccount.com");
    expect(errorOf(() => iamMember("arn:aws:iam::1:role/x")).code).toBe("MLP_GCP_ADMIN_PRINCIPAL");
  });

  it("limits master authorized networks of a private endpoint to the VPC and RFC 1918 admin ranges, which GKE requires", () => {
    expect(props.cluster!.masterAuthorizedNetworks).toEqual([{ cidr: "10.40.0.0/16", displayName: "vpc" }]);
    expect(props.limitations).toContain(
      "network.adminCidrs: GKE accepts only internal (RFC 1918) ranges as authorized networks of a private endpoint, so the public ranges are not applied; use the DNS-based endpoint (kubeconfig_command) from there.",
    );
    const vpn = gcpTarget.resolve(gcpModel({ network: { cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["10.99.0.0/16", "203.0.113.0/24"] } }), ctx);
    expect(vpn.cluster!.masterAuthorizedNetworks).toEqual([
      { cidr: "10.40.0.0/16", displayName: "vpc" },
      { cidr: "10.99.0.0/16", displayName: "admin-1" },
    ]);
    const onlyVpn = gcpTarget.resolve(gcpModel({ network: { cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["10.99.0.0/16"] } }), ctx);
    expect(onlyVpn.limitations.some((l) => l.startsWith("network.adminCidrs"))).toBe(false);
  });

  it("adds the admin CIDRs to the authorized networks of a public endpoint", () => {
    const open = gcpTarget.resolve(gcpModel({ network: { cidr: "10.40.0.0/16", privateCluster: false, adminCidrs: ["203.0.113.0/24", "198.51.100.7/32"] } }), ctx);
    expect(open.cluster!.privateEndpoint).toBe(false);
    expect(open.cluster!.masterAuthorizedNetworks).toEqual([
      { cidr: "10.40.0.0/16", displayName: "vpc" },
      { cidr: "203.0.113.0/24", displayName: "admin-1" },
      { cidr: "198.51.100.7/32", displayName: "admin-2" },
    ]);
    expect(open.cluster!.kubeconfigCommand).toContain("--dns-endpoint");
    expect(open.limitations.some((l) => l.startsWith("network.adminCidrs"))).toBe(false);
  });

  it("reaches a private cluster through the DNS-based endpoint (IAM-authorized), not the internal IP", () => {
    expect(props.cluster!.kubeconfigCommand).toBe(
      "gcloud container clusters get-credentials fraud-default --region us-central1 --project fraud-ml-prod --dns-endpoint",
    );
    expect(props.cluster!.dnsEndpoint).toBe(true);
  });

  it("enables exactly the APIs the platform uses", () => {
    expect(props.services).toEqual([
      "aiplatform.googleapis.com",
      "artifactregistry.googleapis.com",
      "billingbudgets.googleapis.com",
      "cloudkms.googleapis.com",
      "cloudresourcemanager.googleapis.com",
      "compute.googleapis.com",
      "container.googleapis.com",
      "containerscanning.googleapis.com",
      "iam.googleapis.com",
      "logging.googleapis.com",
      "monitoring.googleapis.com",
      "run.googleapis.com",
      "serviceusage.googleapis.com",
      "storage.googleapis.com",
    ]);
    const bare = gcpTarget.resolve(
      gcpModel({ cluster: undefined, endpoints: [], budget: undefined, registry: { images: [], models: false } }),
      ctx,
    );
    for (const api of ["container", "run", "aiplatform", "billingbudgets", "artifactregistry", "containerscanning"]) {
      expect(bare.services).not.toContain(`${api}.googleapis.com`);
    }
  });

  it("uses the GCS backend unless offline, then the local state file", () => {
    expect(props.backend).toEqual({ kind: "gcs", bucket: "acme-tfstate", prefix: "mlplat/fraud" });
    expect(gcpTarget.resolve(gcpModel(), { ...ctx, offline: true }).backend).toEqual({ kind: "local", path: ctx.localStatePath });
    const local = gcpModel({ state: { backend: "local", dir: "/x" } });
    expect(gcpTarget.resolve(local, ctx).backend).toEqual({ kind: "local", path: ctx.localStatePath });
  });

  it("turns budget percentages into sorted threshold fractions", () => {
    expect(props.budget).toMatchObject({ billingAccount: "0A1B2C-3D4E5F-6A7B8C", monthlyUsd: 25000, thresholds: [0.5, 0.8, 1], emails: ["finance@example.com"] });
  });

  it("throws when a budget has no billing account, saying where to add it", () => {
    const e = errorOf(() => gcpTarget.resolve(gcpModel({ gcp: { project: "fraud-ml-prod" } }), ctx));
    expect(e.code).toBe("MLP_GCP_BUDGET_BILLING_ACCOUNT");
    expect(e.hint).toContain("spec.gcp");
  });

  it("throws without a GCP project", () => {
    const m = { ...gcpModel(), gcp: undefined } as PlatformModel;
    expect(errorOf(() => gcpTarget.resolve(m, ctx)).code).toBe("MLP_GCP_PROJECT");
  });

  it("lists only the limitations that apply to the platform", () => {
    expect(props.limitations.map((l) => l.split(":")[0])).toEqual([
      "kms",
      "registry.models",
      "registry.images[].scanOnPush",
      "cluster.nodePools[].gpu",
      "cluster",
      "network.adminCidrs",
      "serving.endpoints[]",
      "serving.endpoints[].gpu",
      "budget",
    ]);
    const bare = gcpTarget.resolve(
      gcpModel({ cluster: undefined, endpoints: [], budget: undefined, registry: { images: [], models: false } }),
      ctx,
    );
    expect(bare.limitations.map((l) => l.split(":")[0])).toEqual(["kms"]);
  });

  it("loads the GCP stack factory lazily", async () => {
    const factory = await gcpTarget.loadStack();
    expect(typeof factory).toBe("function");
    expect(factory.name).toBe("addGcpPlatformStack");
  });
});
