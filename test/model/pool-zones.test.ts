import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * nodePools[].zones on aws and azure (GCP: test/gcp/pool-zones.test.ts): azure renders the
 * pool's availability zones; aws puts the node group in the subnets of the listed zones, with no
 * default (its catalog data is by zone ID, its subnets by AZ name).
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
  it("puts the node group in the private subnets of the listed zones", async () => {
    const file = write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [us-east-1a, us-east-1c] }`);
    const { stacks } = await synthesizeBlueprint(file, { outDir: join(work, "out-aws"), stateDir: join(work, "state-aws") });
    const json = JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8"));
    const groups = json.resource.aws_eks_node_group as Record<string, any>;
    const l4 = Object.entries(groups).find(([k]) => k.includes("l4"))![1];
    const system = Object.entries(groups).find(([k]) => k.includes("system"))![1];
    const subnetOf = (zone: string) =>
      `\${aws_subnet.${Object.entries(json.resource.aws_subnet as Record<string, any>).find(([k, v]) => v.availability_zone === zone && k.includes("private"))![0]}.id}`;
    expect(l4.subnet_ids).toEqual([subnetOf("us-east-1a"), subnetOf("us-east-1c")]);
    expect(system.subnet_ids).toHaveLength(3);
  }, 60_000);

  it("rejects a zone the platform's VPC has no subnet in, at the zone", () => {
    const r = loadBlueprint(write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [us-east-1a, us-east-1d] }`));
    expect(r.diagnostics.find((d) => d.code === "MLP_AWS_POOL_ZONE")).toMatchObject({
      severity: "error",
      message: "node pool l4: the platform's VPC has no subnet in us-east-1d; its zones are us-east-1a, us-east-1b, us-east-1c.",
      path: ["spec", "cluster", "nodePools", 0, "zones", 1],
    });
  });

  it("rejects zone IDs and zones of other regions (subnets are in AZ names)", () => {
    const r = loadBlueprint(write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2, zones: [use1-az1] }`));
    expect(r.diagnostics.find((d) => d.code === "MLP_POOL_ZONE_FORM")).toMatchObject({ message: "use1-az1 is not a zone of us-east-1", hint: "write availability zone names like us-east-1a" });
  });

  it("gives an L4 pool no default zones (the catalog's AWS data is zone IDs, subnets are AZ names)", () => {
    const r = loadBlueprint(write(AWS, `{ name: l4, gpu: { type: L4, count: 1 }, max: 2 }`));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model!.cluster!.nodePools[0]!.zones).toBeUndefined();
  });
});
