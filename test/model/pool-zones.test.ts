import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * nodePools[].zones on aws and azure (GCP: test/gcp/pool-zones.test.ts): azure renders the
 * pool's availability zones; aws refuses zones at validate until its node groups select subnets
 * by zone (no silent skip), and gets no default (its catalog data is by zone ID).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-zones-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function write(cloudBlock: string, pool: string): string {
  const file = join(work, `bp-${++n}.yaml`);
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: zones, owner: ml@example.com }
spec:
${cloudBlock}
  network: { cidr: 10.60.0.0/20 }
  cluster:
    version: "1.35"
    nodePools:
      - ${pool}
  observability: { alertEmails: [ml@example.com] }
`,
  );
  return file;
}

const AZURE = `  cloud: azure
  region: eastus
  azure: { subscriptionId: 11111111-1111-1111-1111-111111111111, tenantId: 22222222-2222-2222-2222-222222222222, resourceGroup: zones-ml }`;
const AWS = `  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }`;

describe("pool zones on azure", () => {
  it("renders the pool's zones on the AKS node pool", async () => {
    const file = write(AZURE, `{ name: t4, gpu: { type: T4, count: 1 }, max: 2, zones: ["1", "3"] }`);
    const { stacks } = await synthesizeBlueprint(file, { outDir: join(work, "out-az"), stateDir: join(work, "state-az") });
    const pools = JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8")).resource.azurerm_kubernetes_cluster_node_pool;
    const t4 = Object.values(pools as Record<string, any>).find((p) => p.vm_size.includes("T4"));
    expect(t4.zones).toEqual(["1", "3"]);
  }, 60_000);

  it("leaves AKS's default placement without zones (no Azure zone data in the catalog)", async () => {
    const r = loadBlueprint(write(AZURE, `{ name: t4, gpu: { type: T4, count: 1 }, max: 2 }`));
    expect(r.model!.cluster!.nodePools[0]!.zones).toBeUndefined();
  });

  it("rejects a zone that is not 1, 2 or 3", () => {
    const r = loadBlueprint(write(AZURE, `{ name: t4, gpu: { type: T4, count: 1 }, max: 2, zones: ["4"] }`));
    expect(r.diagnostics.find((d) => d.code === "MLP_POOL_ZONE_FORM")).toMatchObject({
      message: "4 is not a zone of eastus",
      hint: 'write zones like "1", "2" or "3"',
      path: ["spec", "cluster", "nodePools", 0, "zones", 0],
    });
  });
});

describe("pool zones on aws", () => {
  it("refuses zones at validate, located, instead of ignoring them", () => {
    const r = loadBlueprint(write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [us-east-1a] }`));
    expect(r.diagnostics.find((d) => d.code === "MLP_POOL_ZONES_AWS")).toMatchObject({
      severity: "error",
      message: "nodePools[].zones is not applied on aws yet: a node group uses the private subnets of all the platform's zones",
      path: ["spec", "cluster", "nodePools", 0, "zones"],
    });
  });

  it("gives an L4 pool no default zones (the catalog's AWS data is zone IDs, subnets are AZ names)", () => {
    const r = loadBlueprint(write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2 }`));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model!.cluster!.nodePools[0]!.zones).toBeUndefined();
  });
});
