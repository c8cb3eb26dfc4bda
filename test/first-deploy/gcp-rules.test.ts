import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { PlatformModel } from "../../src/model/platform.js";
import { gcpTarget } from "../../src/targets/gcp/index.js";
import { GcpPlatformStack } from "../../stacks/gcp/index.js";
import { GCP_RULES } from "./gcp-rules.js";
import { caseLabel, firstDeploy, referenceCases, synthCtx } from "./cases.js";
import { runRules, type SynthJson } from "./rule.js";

/**
 * First-deploy tier, GCP: every reference blueprint × environment that resolves to GCP is
 * synthesized as the first `mlplat deploy` applies it (managed endpoints on an image of the
 * platform's own registry are deferred until the image is pushed) and run through the rules
 * table. Then each rule is shown to fire on what GCP refuses, so no rule passes vacuously.
 */
const cases = referenceCases("gcp");
const label = caseLabel;

function synth(model: PlatformModel): SynthJson {
  const stack = new GcpPlatformStack(Testing.app(), model.stackName, gcpTarget.resolve(model, synthCtx));
  return JSON.parse(Testing.synth(stack));
}
const rule = (id: string) => GCP_RULES.find((r) => r.id === id)!;

describe("gcp first-deploy rules table", () => {
  it("has unique ids, the gcp cloud and a documentation URL for every rule", () => {
    expect(new Set(GCP_RULES.map((r) => r.id)).size).toBe(GCP_RULES.length);
    for (const r of GCP_RULES) {
      expect(r.cloud).toBe("gcp");
      expect(r.source).toMatch(/^https:\/\/(cloud\.google\.com|registry\.terraform\.io)\//);
      expect(r.description.length).toBeGreaterThan(40);
    }
  });

  it("covers the GCP reference blueprints, including environments that switch to GCP", () => {
    expect(cases.map(label)).toEqual(
      expect.arrayContaining(["gcp-platform.yaml (default)", "gcp-platform.yaml (dev)", "gcp-gke-t4-l4.yaml (default)", "batch-training.yaml (gcp)"]),
    );
  });

  for (const c of cases) {
    it(`${label(c)}: the first deploy meets every GCP rule`, () => {
      const model = firstDeploy(c.model);
      expect(runRules(GCP_RULES, synth(model), { blueprint: c.file, env: c.env, model })).toEqual([]);
    });
  }
});

describe("each gcp rule fires on what GCP refuses", () => {
  const base = cases.find((c) => c.file === "gcp-platform.yaml" && c.env === undefined)!;
  const model = firstDeploy(base.model);
  const rctx = { blueprint: base.file, model };
  const fresh = (): SynthJson => synth(model);

  it("gcp-service-agent-before-grant: a grant to the Artifact Registry agent without its identity", () => {
    const json = fresh();
    const grant = json.resource.google_kms_crypto_key_iam_member["kms_registry-artifact-registry-agent"];
    delete grant.depends_on;
    expect(rule("gcp-service-agent-before-grant").check(json, rctx)).toEqual([
      expect.stringMatching(/^google_kms_crypto_key_iam_member\.kms_registry-artifact-registry-agent grants serviceAccount:service-.*@gcp-sa-artifactregistry\.iam\.gserviceaccount\.com before google_project_service_identity creates the artifactregistry\.googleapis\.com agent$/),
    ]);
  });

  it("gcp-gpu-pool-zones: an A100-80GB pool over a zone without it, or over the default zones", () => {
    const json = fresh();
    json.resource.google_container_node_pool.cluster_train.node_locations = ["us-central1-a", "us-central1-b"];
    expect(rule("gcp-gpu-pool-zones").check(json, rctx)).toEqual(["google_container_node_pool.cluster_train: zone us-central1-b does not offer A100-80GB (a2-ultragpu-8g)"]);
    delete json.resource.google_container_node_pool.cluster_train.node_locations;
    expect(rule("gcp-gpu-pool-zones").check(json, rctx)[0]).toContain("has no node_locations");
  });

  it("gcp-initial-node-count: v0.1's one node per zone for a pool with min 1 over two zones", () => {
    const json = fresh();
    const p = json.resource.google_container_node_pool.cluster_train;
    p.autoscaling.total_min_node_count = 1;
    p.initial_node_count = 1;
    expect(rule("gcp-initial-node-count").check(json, rctx)).toEqual([]);
    p.initial_node_count = 2;
    expect(rule("gcp-initial-node-count").check(json, rctx)).toEqual(["google_container_node_pool.cluster_train: initial_node_count 2 > ceil(1 / 2) = 1"]);
  });

  it("gcp-names-and-labels: a 41-character cluster name and an upper-case label", () => {
    const json = fresh();
    json.resource.google_container_cluster.cluster.name = "a".repeat(41);
    json.resource.google_container_cluster.cluster.resource_labels = { Team: "ml" };
    const v = rule("gcp-names-and-labels").check(json, rctx);
    expect(v).toContain(`google_container_cluster.cluster name "${"a".repeat(41)}" breaks the limit: 1-40 lowercase letters, digits, hyphens, starting with a letter`);
    expect(v).toContain('google_container_cluster.cluster resource_labels: label key "Team" is not [a-z][a-z0-9_-]{0,62}');
  });

  it("gcp-cluster-api-reachable: a private endpoint without the DNS-based endpoint", () => {
    const json = fresh();
    delete json.resource.google_container_cluster.cluster.control_plane_endpoints_config;
    expect(rule("gcp-cluster-api-reachable").check(json, rctx)).toEqual(["google_container_cluster.cluster: private endpoint without the DNS-based endpoint (allow_external_traffic)"]);
  });

  it("gcp-default-pool-identity: a cluster without node_config", () => {
    const json = fresh();
    delete json.resource.google_container_cluster.cluster.node_config;
    expect(rule("gcp-default-pool-identity").check(json, rctx)).toHaveLength(2);
  });

  it("gcp-no-image-from-same-apply: the full model (no deferral) runs an image of its own new repository", () => {
    const json = synth(base.model);
    expect(rule("gcp-no-image-from-same-apply").check(json, rctx)).toEqual([
      expect.stringMatching(/^google_cloud_run_v2_service\.serving_scorer runs us-central1-docker\.pkg\.dev\/fraud-ml-prod\/fraud-default-serving\/serving:.* from a repository this apply creates$/),
    ]);
  });
});
