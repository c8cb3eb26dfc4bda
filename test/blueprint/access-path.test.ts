import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isError } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { clusterAccessPath } from "../../src/model/access-path.js";

const today = "2026-12-06";

function write(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-access-"));
  const file = join(dir, "platform.yaml");
  writeFileSync(file, yaml);
  return file;
}

const ACCOUNTS = {
  aws: { region: "us-east-1", block: 'aws: { accountId: "123456789012" }' },
  gcp: { region: "us-central1", block: "gcp: { project: demo-project, billingAccount: 012345-6789AB-CDEF01 }" },
  azure: { region: "eastus", block: "azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }" },
} as const;

function blueprint(cloud: keyof typeof ACCOUNTS, network: string, cluster = true): string {
  const a = ACCOUNTS[cloud];
  return write(`apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com }
spec:
  cloud: ${cloud}
  region: ${a.region}
  ${a.block}
  network: ${network}
${cluster ? `  cluster:\n    version: "1.35"\n    admins: ["${cloud === "aws" ? "arn:aws:iam::123456789012:role/admin" : cloud === "gcp" ? "group:admins@example.com" : "00000000-0000-0000-0000-000000000001"}"]\n` : ""}`);
}

const accessWarnings = (file: string) => loadBlueprint(file, { today }).diagnostics.filter((d) => d.code === "MLP_NO_CLUSTER_ACCESS_PATH");

describe("MLP_NO_CLUSTER_ACCESS_PATH at validate", () => {
  it("warns, located at adminCidrs, for a private EKS cluster with no adminCidrs", () => {
    const file = blueprint("aws", "{ privateCluster: true, adminCidrs: [] }");
    const r = loadBlueprint(file, { today });
    const [d, ...rest] = r.diagnostics.filter((x) => x.code === "MLP_NO_CLUSTER_ACCESS_PATH");
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "warning", path: ["spec", "network", "adminCidrs"] });
    expect(d!.message).toBe(
      "no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).",
    );
    expect(d!.hint).toContain("adminCidrs: [10.99.0.0/16]");
    // A warning, not an error: the blueprint still builds a model.
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model).toBeDefined();
  });

  it("is an error under --strict", () => {
    const r = loadBlueprint(blueprint("aws", "{ privateCluster: true }"), { today, strict: true });
    expect(r.diagnostics.filter(isError).map((d) => d.code)).toContain("MLP_NO_CLUSTER_ACCESS_PATH");
    expect(r.model).toBeUndefined();
  });

  it("warns for a private AKS cluster with no adminCidrs", () => {
    expect(accessWarnings(blueprint("azure", "{ privateCluster: true, adminCidrs: [] }"))).toHaveLength(1);
  });

  it("stays quiet when a path exists or there is no cluster", () => {
    expect(accessWarnings(blueprint("aws", "{ privateCluster: true, adminCidrs: [10.99.0.0/16] }"))).toEqual([]);
    expect(accessWarnings(blueprint("gcp", "{ privateCluster: true, adminCidrs: [] }"))).toEqual([]);
    expect(accessWarnings(blueprint("azure", "{ privateCluster: true, adminCidrs: [10.99.0.0/16] }"))).toEqual([]);
    expect(accessWarnings(blueprint("aws", "{ privateCluster: true }", false))).toEqual([]);
  });
});

describe("MLP_PUBLIC_CLUSTER_PRIVATE_CIDR at validate", () => {
  it("rejects a private range on a public endpoint, located at the entry", () => {
    const r = loadBlueprint(blueprint("aws", "{ privateCluster: false, adminCidrs: [203.0.113.0/24, 10.99.0.0/16] }"), { today });
    const errs = r.diagnostics.filter(isError);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ code: "MLP_PUBLIC_CLUSTER_PRIVATE_CIDR", path: ["spec", "network", "adminCidrs", 1] });
    expect(errs[0]!.message).toBe(
      "10.99.0.0/16 is a private (RFC 1918) range; with privateCluster: false the API endpoint is public and sees only public source addresses, so this range admits nobody.",
    );
    expect(r.model).toBeUndefined();
  });

  it("accepts private ranges on a private cluster and public ones on a public cluster", () => {
    expect(loadBlueprint(blueprint("azure", "{ privateCluster: false, adminCidrs: [198.51.100.0/24] }"), { today }).diagnostics.filter(isError)).toEqual([]);
    expect(loadBlueprint(blueprint("gcp", "{ privateCluster: true, adminCidrs: [172.16.0.0/12] }"), { today }).diagnostics.filter(isError)).toEqual([]);
  });
});

describe("clusterAccessPath (what deploy calls)", () => {
  const net = (privateCluster: boolean, adminCidrs: string[]) => ({ privateCluster, adminCidrs });
  it("names the path per cloud", () => {
    expect(clusterAccessPath({ cloud: "aws", cluster: {}, network: net(true, ["10.99.0.0/16"]) })).toMatchObject({ reachable: true, via: expect.stringContaining("EKS private endpoint") });
    expect(clusterAccessPath({ cloud: "gcp", cluster: {}, network: net(true, []) })).toMatchObject({ reachable: true, via: expect.stringContaining("DNS-based") });
    expect(clusterAccessPath({ cloud: "azure", cluster: {}, network: net(true, ["10.99.0.0/16"]) })).toMatchObject({ reachable: true, via: expect.stringContaining("AKS private endpoint") });
    expect(clusterAccessPath({ cloud: "aws", cluster: {}, network: net(false, ["203.0.113.0/24"]) })).toMatchObject({ reachable: true, via: expect.stringContaining("public API endpoint") });
    expect(clusterAccessPath({ cloud: "aws", network: net(true, []) }).reachable).toBe(true);
  });
  it("has no path for aws or azure private clusters without adminCidrs, with a reason", () => {
    for (const cloud of ["aws", "azure"] as const) {
      const p = clusterAccessPath({ cloud, cluster: {}, network: net(true, []) });
      expect(p.reachable).toBe(false);
      expect(p.reason).toMatch(/adminCidrs is empty/);
    }
  });
});
