import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isError } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

const SPEC = "test/fixtures/spec-example.yaml";
const today = "2026-11-25";

function write(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-load-"));
  const file = join(dir, "platform.yaml");
  writeFileSync(file, yaml);
  return file;
}

const head = (cloud: string, region: string, account: string) => `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com, labels: { team: risk } }
spec:
  cloud: ${cloud}
  region: ${region}
  ${account}
`;
const AWS = head("aws", "us-east-1", 'aws: { accountId: "123456789012" }');
const GCP = head("gcp", "us-central1", "gcp: { project: demo-project, billingAccount: 012345-6789AB-CDEF01 }");
const AZURE = head("azure", "eastus", "azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }");

describe("loading the spec's example", () => {
  const r = loadBlueprint(SPEC, { today });
  const m = r.model!;

  it("validates with warnings only", () => {
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(m).toBeDefined();
  });

  it("names the stack <name>-<env> with env default", () => {
    expect(m.env).toBe("default");
    expect(m.stackName).toBe("fraud-default");
  });

  it("resolves A100-80GB:8 spot to p4de.24xlarge with the GPU taint and spot label", () => {
    const train = m.cluster!.nodePools.find((p) => p.name === "train")!;
    expect(train.instanceType).toBe("p4de.24xlarge");
    expect(train.gpu).toMatchObject({ type: "A100-80GB", count: 8 });
    expect(train.taints[0]).toEqual({ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" });
    expect(train.taints).toContainEqual({ key: "team", value: "risk", effect: "NoSchedule" });
    expect(train.labels).toMatchObject({ workload: "training", "mlplat.io/pool": "train", "mlplat.io/capacity": "spot" });
    expect(train.min).toBe(0);
  });

  it("treats an instanceType with GPUs in the catalog as a GPU pool (min defaults to 0)", () => {
    const infer = m.cluster!.nodePools.find((p) => p.name === "infer")!;
    expect(infer.gpu?.type).toBe("L4");
    expect(infer.min).toBe(0);
    expect(infer.taints.map((t) => t.key)).toEqual(["nvidia.com/gpu"]);
  });

  it("resolves the managed T4 endpoint to a SageMaker ml.* type", () => {
    expect(m.endpoints[0]).toMatchObject({ name: "scorer", runtime: "managed", instanceType: "ml.g4dn.xlarge", image: { kind: "repository", repository: "serving", tag: "1.4.2" } });
  });

  it("tags every resource with owner and labels", () => {
    expect(m.labels).toMatchObject({ owner: "risk-ml@example.com", "cost-center": "4411", "mlplat-platform": "fraud", "mlplat-env": "default" });
  });

  it("keeps the S3 state backend from spec.state", () => {
    expect(m.state).toEqual({ backend: "s3", bucket: "acme-tfstate", region: "us-east-1", key: "fraud-default.tfstate" });
  });

  it("applies the dev overlay: named pools merge on name", () => {
    const dev = loadBlueprint(SPEC, { env: "dev", today }).model!;
    expect(dev.stackName).toBe("fraud-dev");
    expect(dev.cluster!.nodePools.find((p) => p.name === "train")!.max).toBe(1);
    expect(dev.cluster!.nodePools.find((p) => p.name === "train")!.diskGiB).toBe(500);
  });

  it("applies the prod overlay: another region", () => {
    expect(loadBlueprint(SPEC, { env: "prod", today }).model!.region).toBe("us-west-2");
  });
});

describe("warnings and --strict", () => {
  it("never fails on a warning, and fails on it with --strict", () => {
    const file = write(AWS + `  network: { adminCidrs: [10.99.0.0/16] }\n  cluster:\n    version: "1.33"\n`);
    const r = loadBlueprint(file, { today });
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "MLP_K8S_VERSION_EXTENDED"]]);
    expect(r.model).toBeDefined();
    const strict = loadBlueprint(file, { today, strict: true });
    expect(strict.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(strict.model).toBeUndefined();
  });

  it("rounds log retention up to a value the cloud accepts, with a warning", () => {
    const r = loadBlueprint(write(AWS + "  observability: { logRetentionDays: 45 }\n"), { today });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["MLP_LOG_RETENTION_ROUNDED"]);
    expect(r.model!.observability.logRetentionDays).toBe(60);
  });

  it("warns when ACR can't enforce defaults it was not asked for explicitly", () => {
    const r = loadBlueprint(write(AZURE + "  registry: { images: [{ name: serving }] }\n"), { today });
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "MLP_ACR_IMMUTABLE_TAGS"],
      ["warning", "MLP_ACR_SCAN_ON_PUSH"],
    ]);
  });

  it("warns about an instance type the catalog does not know and keeps it", () => {
    const r = loadBlueprint(write(AWS + `  network: { adminCidrs: [10.99.0.0/16] }\n  cluster:\n    version: "1.34"\n    nodePools: [{ name: odd, instanceType: x9.huge, max: 1 }]\n`), { today });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["MLP_INSTANCE_UNKNOWN"]);
    expect(r.model!.cluster!.nodePools[0]).toMatchObject({ instanceType: "x9.huge", min: 1 });
    expect(r.model!.cluster!.nodePools[0]!.gpu).toBeUndefined();
  });
});

describe("the same blueprint on every cloud", () => {
  const body = `  cluster:
    version: "1.34"
    nodePools:
      - { name: infer, gpu: { type: l4, count: 1 }, spot: true, max: 2 }
      - { name: cpu, instanceType: __CPU__, max: 2 }
`;
  it.each([
    ["aws", AWS, "m6i.xlarge", "g6.xlarge"],
    ["gcp", GCP, "e2-standard-4", "g2-standard-4"],
    ["azure", AZURE, "Standard_D4s_v5", undefined],
  ])("resolves an L4 (lower-case alias) pool on %s", (cloud, headYaml, cpu, expected) => {
    const r = loadBlueprint(write(headYaml + body.replace("__CPU__", cpu)), { today });
    if (cloud === "azure") {
      // Azure has no L4 VM size: the error names what Azure offers.
      expect(r.diagnostics.filter(isError).map((d) => d.code)).toEqual(["MLP_GPU_NOT_ON_CLOUD"]);
      return;
    }
    expect(r.diagnostics.filter(isError)).toEqual([]);
    const pool = r.model!.cluster!.nodePools[0]!;
    expect(pool.instanceType).toBe(expected);
    expect(pool.gpu?.type).toBe("L4");
    if (cloud === "gcp") expect(pool.gpu?.acceleratorId).toBe("nvidia-l4");
  });

  it("lets an environment move the platform to another cloud", () => {
    const file = write(
      AWS.replace("  aws:", "  gcp: { project: demo-project }\n  aws:") +
        `environments:\n  gcp:\n    spec:\n      cloud: gcp\n      region: europe-west4\n`,
    );
    const m = loadBlueprint(file, { env: "gcp", today }).model!;
    expect(m.cloud).toBe("gcp");
    expect(m.region).toBe("europe-west4");
    expect(m.stackName).toBe("demo-gcp");
  });
});

describe("the cloud target's own limits", () => {
  it("fail validate where synth would, at the field", () => {
    const r = loadBlueprint(write(AWS + `  cluster:\n    version: "1.30"\n`), { today });
    const errors = r.diagnostics.filter(isError);
    expect(errors.map((d) => [d.code, d.path.join(".")])).toEqual([["MLP_AWS_EKS_VERSION", "spec.cluster.version"]]);
    expect(errors[0]!.line).toBe(9);
  });
});

describe("kubernetes endpoints", () => {
  it("schedule on the first pool whose accelerator fits the count", () => {
    const r = loadBlueprint(
      write(
        AWS +
          `  registry: { images: [{ name: llm }] }
  cluster:
    version: "1.34"
    nodePools:
      - { name: small, gpu: { type: L4, count: 1 }, max: 2 }
      - { name: big, gpu: { type: L4, count: 4 }, max: 2 }
  serving:
    endpoints:
      - { name: chat, runtime: kubernetes, image: "llm:1", gpu: { type: L4, count: 2 }, autoscaling: { min: 0, max: 3 } }
`,
      ),
      { today },
    );
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model!.endpoints[0]).toMatchObject({ pool: "big", gpu: { type: "L4", count: 2 }, autoscaling: { min: 0, max: 3 } });
  });
});

describe("local state", () => {
  it("lives in .mlplat/state beside the blueprint unless --state-dir says otherwise", () => {
    const file = write(AWS);
    const m = loadBlueprint(file, { today }).model!;
    expect(m.state).toEqual({ backend: "local", dir: join(file, "..", ".mlplat", "state") });
    const o = loadBlueprint(file, { today, stateDir: "/tmp/elsewhere" }).model!;
    expect(o.state).toEqual({ backend: "local", dir: "/tmp/elsewhere" });
  });
});
