import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { buildTable, createCatalog, loadCatalog } from "../../src/catalog/index.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * nodePools[].zones (v1.1) through the public entry points: defaults from the catalog's per-zone
 * availability, located errors for zones without the accelerator, and what the GCP stack renders
 * (node_locations, initial_node_count, lifecycle.ignore_changes).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-zones-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function blueprint(pools: string, region = "us-central1"): string {
  const file = join(work, `bp-${++n}.yaml`);
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: zones, owner: ml@example.com }
spec:
  cloud: gcp
  region: ${region}
  gcp: { project: zones-ml-dev }
  network: { cidr: 10.60.0.0/20 }
  cluster:
    version: "1.35"
    nodePools:
${pools}
  observability: { alertEmails: [ml@example.com] }
`,
  );
  return file;
}

async function synthPools(file: string): Promise<Record<string, any>> {
  const { stacks } = await synthesizeBlueprint(file, { outDir: join(work, `out-${n}`), stateDir: join(work, `state-${n}`) });
  return JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8")).resource.google_container_node_pool;
}

describe("GPU pool zones on GCP", () => {
  it("defaults a GPU pool to the zones offering its accelerator, applied at creation only", async () => {
    const pools = await synthPools(blueprint(`      - { name: train, gpu: { type: A100-80GB, count: 8 }, max: 2 }`));
    expect(pools.cluster_train.node_locations).toEqual(["us-central1-a", "us-central1-c"]);
    expect(pools.cluster_train.initial_node_count).toBe(0);
    expect(pools.cluster_train.lifecycle).toEqual({ ignore_changes: ["initial_node_count", "node_locations"] });
    // the system pool keeps GKE's default zones
    expect(pools.cluster_system.node_locations).toBeUndefined();
  });

  it("applies zones the blueprint lists (changeable in place: not ignored) and sizes initial_node_count per zone", async () => {
    const pools = await synthPools(blueprint(`      - { name: t4, gpu: { type: T4, count: 1 }, min: 3, max: 6, zones: [us-central1-a, us-central1-f] }`));
    expect(pools.cluster_t4.node_locations).toEqual(["us-central1-a", "us-central1-f"]);
    // ceil(3 / 2) = 2 per zone: 4 nodes at creation, one above min until the autoscaler scales down
    expect(pools.cluster_t4.initial_node_count).toBe(2);
    expect(pools.cluster_t4.lifecycle).toEqual({ ignore_changes: ["initial_node_count"] });
  });

  it("uses ceil(min / 3) per zone for pools left on GKE's three default zones", async () => {
    const pools = await synthPools(blueprint(`      - { name: cpu, instanceType: n2-standard-8, min: 4, max: 6 }`));
    expect(pools.cluster_cpu.node_locations).toBeUndefined();
    expect(pools.cluster_cpu.initial_node_count).toBe(2);
  });

  it("rejects a listed zone that lacks the accelerator, at the zone, naming the zones that have it", () => {
    const r = loadBlueprint(blueprint(`      - { name: train, gpu: { type: A100-80GB, count: 8 }, max: 2, zones: [us-central1-a, us-central1-b] }`));
    const d = r.diagnostics.find((x) => x.code === "MLP_POOL_ZONE_NO_GPU");
    expect(d).toMatchObject({
      severity: "error",
      path: ["spec", "cluster", "nodePools", 0, "zones", 1],
      message: "zone us-central1-b does not offer A100-80GB (a2-ultragpu-8g); the zones of us-central1 that do: us-central1-a, us-central1-c",
    });
    expect(d!.line).toBe(12); // the pool's line (the zones list is inline)
    expect(d!.hint).toContain("skypilot-catalog");
    expect(r.model).toBeUndefined();
  });

  it("rejects a zone of another region or in another form", () => {
    const r = loadBlueprint(blueprint(`      - { name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [europe-west4-a] }`));
    expect(r.diagnostics.find((x) => x.code === "MLP_POOL_ZONE_FORM")).toMatchObject({
      message: "europe-west4-a is not a zone of us-central1",
      path: ["spec", "cluster", "nodePools", 0, "zones", 0],
      hint: "write zones like us-central1-a",
    });
  });

  it("rejects an empty or repeated zones list through the schema", () => {
    const r = loadBlueprint(blueprint(`      - { name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [us-central1-a, us-central1-a] }`));
    expect(r.diagnostics.some((x) => x.severity === "error" && x.path.join(".") === "spec.cluster.nodePools.0.zones")).toBe(true);
  });

  it("errors when the catalog says no zone of the region offers the accelerator", () => {
    // A catalog whose instance list offers L4 in us-central1 but whose zone data has none there.
    const real = loadCatalog();
    const l4 = real.instances("gcp").filter((r) => r.accelerator === "L4" || !r.accelerator);
    const catalog = createCatalog(
      buildTable({
        instances: l4,
        regions: { aws: real.regions("aws"), gcp: real.regions("gcp"), azure: real.regions("azure") },
        defaults: { cpuInstance: { aws: "m6i.large", gcp: "e2-standard-4", azure: "Standard_D4s_v5" }, sagemakerCpuInstance: "ml.m5.xlarge" },
        gcpGpus: real.gcpGpuRules(),
        kubernetes: [...real.kubernetesVersions("gcp")],
        zones: [{ cloud: "gcp", accelerator: "L4", match: "g2-standard-", source: "test", coverage: "complete", zones: { "europe-west4": ["europe-west4-a"] } }],
        zoneSources: { test: "https://example.com/zones" },
      }),
    );
    const r = loadBlueprint(blueprint(`      - { name: l4, gpu: { type: L4, count: 1 }, max: 2 }`), { catalog });
    expect(r.diagnostics.find((x) => x.code === "MLP_POOL_NO_ZONE_OFFERS_GPU")).toMatchObject({
      severity: "error",
      message: expect.stringMatching(/^no zone of us-central1 offers L4 \(g2-standard-\d+\)$/),
      path: ["spec", "cluster", "nodePools", 0, "gpu"],
      hint: "pick another region or accelerator (source: https://example.com/zones)",
    });
  });

  it("warns that a3-highgpu-1g/2g/4g only come as spot or flex-start capacity", () => {
    const onDemand = loadBlueprint(blueprint(`      - { name: h100, gpu: { type: H100, count: 2 }, max: 1 }`));
    expect(onDemand.diagnostics.find((x) => x.code === "MLP_POOL_PROVISIONING_MODEL")).toMatchObject({
      severity: "warning",
      message: "a3-highgpu-2g is offered only as spot or flex-start capacity, so an on-demand pool gets no nodes",
      path: ["spec", "cluster", "nodePools", 0, "spot"],
    });
    const spot = loadBlueprint(blueprint(`      - { name: h100, gpu: { type: H100, count: 2 }, spot: true, max: 1 }`));
    expect(spot.diagnostics.some((x) => x.code === "MLP_POOL_PROVISIONING_MODEL")).toBe(false);
  });
});
