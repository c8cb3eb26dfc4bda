import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * Upgrade safety without a google provider binary: the stacks v0.1 synthesized for two reference
 * blueprints (fixtures-v0.1/, copied from the goldens before the first-deploy work) against what
 * this version synthesizes. No v0.1 resource may disappear, and no attribute that forces a new
 * resource (ForceNew in hashicorp/terraform-provider-google 6.50, table below) may change unless
 * `lifecycle.ignore_changes` names it. stacks/gcp/README.md "Upgrades" lists the choices.
 */
const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-upgrade-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * ForceNew attributes of the types this version changes (provider source:
 * google/services/container/resource_container_node_pool.go — initial_node_count ForceNew,
 * node_locations updatable; node_config fields of pools and of the cluster largely ForceNew;
 * every *_iam_member field ForceNew).
 */
const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  google_container_node_pool: ["name", "cluster", "location", "project", "initial_node_count", "node_config", "max_pods_per_node", "placement_policy"],
  google_container_cluster: ["name", "location", "project", "node_config", "network", "subnetwork", "ip_allocation_policy", "private_cluster_config"],
  google_kms_crypto_key_iam_member: ["crypto_key_id", "role", "member"],
  google_storage_bucket_iam_member: ["bucket", "role", "member"],
  google_project_iam_member: ["project", "role", "member"],
  google_artifact_registry_repository_iam_member: ["repository", "role", "member", "location", "project"],
  google_storage_bucket: ["name", "location", "project"],
  google_kms_crypto_key: ["name", "key_ring"],
  google_kms_key_ring: ["name", "location", "project"],
  google_artifact_registry_repository: ["repository_id", "location", "format", "kms_key_name"],
  google_service_account: ["account_id", "project"],
};

type Json = Record<string, any>;
const strip = (v: unknown): string => JSON.stringify(v ?? null, (k, x) => (k === "//" ? undefined : x));

function forcedChanges(before: Json, after: Json): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(before.resource as Json)) {
    for (const [name, old] of Object.entries(byName as Json)) {
      const now = after.resource?.[type]?.[name];
      if (!now) {
        out.push(`${type}.${name} is gone (destroyed on upgrade)`);
        continue;
      }
      const ignored: string[] = now.lifecycle?.ignore_changes ?? [];
      for (const attr of FORCE_NEW[type] ?? []) {
        if (ignored.includes(attr)) continue;
        if (strip(old[attr]) !== strip(now[attr])) out.push(`${type}.${name}.${attr} changes`);
      }
    }
  }
  return out;
}

async function synth(blueprint: string): Promise<Json> {
  const out = join(work, blueprint);
  const { stacks } = await synthesizeBlueprint(join(root, "blueprints", blueprint), { outDir: join(out, "out"), stateDir: join(out, "state") });
  return JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
}

const fixture = (name: string): Json => JSON.parse(readFileSync(join(root, "test/gcp/fixtures-v0.1", `${name}.cdk.tf.json`), "utf8"));

describe("upgrading a v0.1 GCP platform", () => {
  for (const [blueprint, name] of [
    ["gcp-platform.yaml", "gcp-platform-default"],
    ["gcp-gke-t4-l4.yaml", "gcp-gke-t4-l4-default"],
  ] as const) {
    it(`${blueprint}: keeps every resource and changes no ForceNew attribute it does not ignore`, async () => {
      expect(forcedChanges(fixture(name), await synth(blueprint))).toEqual([]);
    }, 60_000);
  }

  it("would catch a replacement: initial_node_count changed without ignore_changes, a grant's member changed", async () => {
    const now = await synth("gcp-platform.yaml");
    const before = fixture("gcp-platform-default");
    before.resource.google_container_node_pool.cluster_system.initial_node_count = 2;
    delete now.resource.google_container_node_pool.cluster_system.lifecycle;
    now.resource.google_kms_crypto_key_iam_member["kms_registry-artifact-registry-agent"].member = "${google_project_service_identity.project_agents_artifactregistry.member}";
    delete now.resource.google_storage_bucket.storage_models;
    expect(forcedChanges(before, now)).toEqual([
      "google_container_node_pool.cluster_system.initial_node_count changes",
      "google_kms_crypto_key_iam_member.kms_registry-artifact-registry-agent.member changes",
      "google_storage_bucket.storage_models is gone (destroyed on upgrade)",
    ]);
  }, 60_000);
});
