import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { casesOn, expectGolden, goldenName, isolateGoldenEnv, ROOT, type GoldenCase } from "../helpers/golden.js";
import { Template } from "../helpers/template.js";

/**
 * Golden tests: each GCP golden case (test/helpers/golden.ts) goes through the real pipeline
 * (load, validate, in strict mode where the case says so, so a warning fails too; resolve,
 * synth) and its cdk.tf.json must equal the committed one. A difference is either a regression
 * or an intended change: regenerate with `npm run goldens` and review the diff like code
 * (addresses and names in it are API).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-golden-"));
isolateGoldenEnv();
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CASES = casesOn("gcp");

/** Every resource type the construct tests (stack.test.ts) assert on. */
const ASSERTED_TYPES = [
  "google_artifact_registry_repository",
  "google_artifact_registry_repository_iam_member",
  "google_billing_budget",
  "google_cloud_run_v2_service",
  "google_compute_network",
  "google_compute_router",
  "google_compute_router_nat",
  "google_compute_subnetwork",
  "google_container_cluster",
  "google_container_node_pool",
  "google_kms_crypto_key",
  "google_kms_crypto_key_iam_member",
  "google_kms_key_ring",
  "google_logging_project_bucket_config",
  "google_monitoring_alert_policy",
  "google_monitoring_notification_channel",
  "google_project_iam_member",
  "google_project_service",
  "google_project_service_identity",
  "google_service_account",
  "google_service_account_iam_member",
  "google_storage_bucket",
  "google_storage_bucket_iam_member",
];

/**
 * With no google provider binary to run `terraform validate`, check what it would catch first:
 * every `${type.name…}` reference and every `depends_on` entry names a resource or data source
 * the configuration declares.
 */
function danglingReferences(json: Record<string, any>): string[] {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName as object)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName as object)) declared.add(`data.${type}.${name}`);
  const missing = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/(data\.)?(google_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) {
        const ref = `${m[1] ?? ""}${m[2]}.${m[3]}`;
        if (v.includes("${") || key === "depends_on") if (!declared.has(ref)) missing.add(ref);
      }
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "//") visit(x, k);
  };
  visit({ resource: json.resource, data: json.data, output: json.output });
  return [...missing].sort();
}

const synthesized = new Map<string, Promise<Template>>();

/** Synthesizes a case (`blueprints/<blueprint>`) once per file and compares it with its golden. */
function synthGolden(blueprint: string, env = "default"): Promise<Template> {
  const g = CASES.find((x) => x.blueprint === `blueprints/${blueprint}` && x.env === env);
  if (!g) throw new Error(`blueprints/${blueprint} --env ${env} is not a GCP golden case in test/helpers/golden.ts`);
  if (!synthesized.has(goldenName(g))) synthesized.set(goldenName(g), synth(g));
  return synthesized.get(goldenName(g))!;
}

async function synth(g: GoldenCase): Promise<Template> {
  const name = goldenName(g);
  const { stacks, model } = await synthesizeBlueprint(join(ROOT, g.blueprint), {
    env: g.env === "default" ? undefined : g.env,
    strict: g.strict,
    offline: g.offline,
    outDir: join(work, name, "out"),
    stateDir: join(work, name, "state"),
  });
  expect(model.cloud).toBe("gcp");
  expect(stacks.length).toBe(1);
  const text = readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8");
  expectGolden(g, text);
  expect(danglingReferences(JSON.parse(text))).toEqual([]);
  return Template.fromJson(text);
}

describe("GCP golden stacks of the reference blueprints", () => {
  it("finds dangling references when there are some", () => {
    expect(
      danglingReferences({
        resource: { google_a: { x: { k: "${google_b.y.id}", depends_on: ["google_a.x", "google_c.z"] } } },
        data: { google_d: { w: {} } },
        output: { o: { value: "${data.google_d.w.id} ${data.google_d.v.id}" } },
      }),
    ).toEqual(["data.google_d.v", "google_b.y", "google_c.z"]);
  });

  it("synthesizes the spec's example on GCP as committed", async () => {
    const t = await synthGolden("gcp-platform.yaml");
    // Every asserted type but the workload identity binding: the example has no runtime: kubernetes endpoint.
    expect(t.resourceTypes()).toEqual(ASSERTED_TYPES.filter((type) => type !== "google_service_account_iam_member"));
    expect(t.backend()).toEqual({ gcs: { bucket: "acme-tfstate", prefix: "mlplat/fraud" } });
    expect(t.resource("google_container_node_pool", "cluster_train").node_config).toMatchObject({
      machine_type: "a2-ultragpu-8g",
      guest_accelerator: [{ type: "nvidia-a100-80gb", count: 8 }],
      spot: true,
    });
    expect(t.resource("google_container_node_pool", "cluster_infer").node_config.guest_accelerator).toEqual([
      { type: "nvidia-l4", count: 1, gpu_driver_installation_config: { gpu_driver_version: "LATEST" } },
    ]);
    expect(t.resource("google_cloud_run_v2_service", "serving_scorer").template.node_selector).toEqual({ accelerator: "nvidia-l4" });
    // A100-80GB is in two of us-central1's zones: the pool is created there only (not in the
    // cluster's default three zones, where creation fails), and the default is not re-applied later.
    const train = t.resource("google_container_node_pool", "cluster_train");
    expect(train.node_locations).toEqual(["us-central1-a", "us-central1-c"]);
    expect(train.lifecycle).toEqual({ ignore_changes: ["initial_node_count", "node_locations"] });
    expect(t.resource("google_container_node_pool", "cluster_system").node_locations).toBeUndefined();
  }, 60_000);

  it("synthesizes the dev environment of the example with the training pool capped at one node", async () => {
    const t = await synthGolden("gcp-platform.yaml", "dev");
    expect(t.resource("google_container_node_pool", "cluster_train").autoscaling.total_max_node_count).toBe(1);
    expect(t.resource("google_container_cluster", "cluster").name).toBe("fraud-dev");
  }, 60_000);

  it("synthesizes the GKE blueprint with T4 on n1 and L4 on g2 as committed", async () => {
    const t = await synthGolden("gcp-gke-t4-l4.yaml");
    for (const type of t.resourceTypes()) expect(ASSERTED_TYPES).toContain(type);
    expect(t.backend()).toEqual({ local: { path: "../../../state/vision-default.tfstate" } });
    const t4 = t.resource("google_container_node_pool", "cluster_t4").node_config;
    expect(t4.machine_type).toMatch(/^n1-/);
    expect(t4.guest_accelerator).toEqual([{ type: "nvidia-tesla-t4", count: 1, gpu_driver_installation_config: { gpu_driver_version: "LATEST" } }]);
    expect(t4.spot).toBe(true);
    const l4 = t.resource("google_container_node_pool", "cluster_l4").node_config;
    expect(l4.machine_type).toMatch(/^g2-/);
    expect(l4.guest_accelerator[0].type).toBe("nvidia-l4");
    expect(t.resource("google_container_node_pool", "cluster_l4").autoscaling.total_min_node_count).toBe(0);
    // runtime: kubernetes endpoints are not Cloud Run services; the one reading a model gets a
    // Google service account its Kubernetes ServiceAccount impersonates.
    t.resourceCountIs("google_cloud_run_v2_service", 0);
    expect(t.resource("google_service_account", "serving_detector").account_id).toBe("vision-default-k8s-detector");
    expect(t.resource("google_service_account_iam_member", "serving_detector_workload-identity-user").member).toBe(
      "serviceAccount:vision-ml-dev.svc.id.goog[mlplat-serving/detector]",
    );
    expect(t.resource("google_compute_subnetwork", "network_nodes").secondary_ip_range).toEqual([
      { range_name: "pods", ip_cidr_range: "172.16.0.0/16" },
      { range_name: "services", ip_cidr_range: "172.17.0.0/20" },
    ]);
  }, 60_000);

  it.each(CASES.map((g) => [goldenName(g), g] as const))("synthesizes %s as committed, with no dangling reference", async (_name, g) => {
    const t = await synthGolden(g.blueprint.replace(/^blueprints\//, ""), g.env);
    expect(t.resourceTypes()).toContain("google_kms_crypto_key");
  }, 60_000);
});
