import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { formatPath } from "../../src/blueprint/diagnostics.js";

/**
 * spec.workspaces / spec.tracking through loadBlueprint: the cloud-neutral rules
 * (src/blueprint/rules/{workspaces,tracking}.ts) and each user's notebook size resolved for the
 * three clouds (src/model/workspaces.ts).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-ws-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CLOUDS = {
  aws: `  cloud: aws\n  region: us-east-1\n  aws: { accountId: "123456789012" }`,
  gcp: `  cloud: gcp\n  region: us-central1\n  gcp: { project: ws-proj-123 }`,
  azure: `  cloud: azure\n  region: eastus\n  azure: { subscriptionId: 11111111-1111-1111-1111-111111111111, tenantId: 22222222-2222-2222-2222-222222222222 }\n  registry: { models: true }`,
};
const ID = { aws: "arn:aws:iam::123456789012:user/alice", gcp: "alice@example.com", azure: "33333333-3333-3333-3333-333333333333" };

let n = 0;
function load(cloud: keyof typeof CLOUDS, workspaces: string, extra = "") {
  const file = join(work, `bp-${++n}.yaml`);
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: wsp, owner: ml@example.com }
spec:
${CLOUDS[cloud]}
  storage: { buckets: [{ name: datasets }, { name: experiments }] }
  workspaces:
${workspaces}
${extra}
  observability: { alertEmails: [ml@example.com] }
`,
  );
  return loadBlueprint(file);
}
const errors = (r: ReturnType<typeof loadBlueprint>) => r.diagnostics.filter((d) => d.severity === "error");
const one = (r: ReturnType<typeof loadBlueprint>, code: string) => {
  const d = r.diagnostics.filter((x) => x.code === code);
  expect(d).toHaveLength(1);
  return { ...d[0]!, at: formatPath(d[0]!.path) };
};

describe("workspace sizes resolve through the catalog on every cloud", () => {
  it("aws: a GPU request becomes the cheapest SageMaker ml.* type; no size is ml.t3.large; the section default applies to users without their own", () => {
    const r = load("aws", `    instanceType: ml.m5.xlarge\n    buckets: [datasets]\n    users:\n      - { name: alice, identity: "${ID.aws}", gpu: { type: T4, count: 1 } }\n      - { name: bob, identity: "arn:aws:iam::123456789012:role/team/bob" }`);
    expect(errors(r)).toEqual([]);
    const [alice, bob] = r.model!.workspaces!.users;
    expect(alice).toMatchObject({ name: "alice", instanceType: "ml.g4dn.xlarge", gpu: { type: "T4", count: 1 }, sizeFrom: "user" });
    expect(bob).toMatchObject({ instanceType: "ml.m5.xlarge", sizeFrom: "section" });
    expect(bob!.gpu).toBeUndefined();
    const d = load("aws", `    users: [{ name: carol, identity: "${ID.aws}" }]`);
    expect(d.model!.workspaces!.users[0]).toMatchObject({ instanceType: "ml.t3.large", sizeFrom: "default" });
    expect(d.model!.workspaces).toMatchObject({ idleShutdownMinutes: 60, diskGiB: 100, buckets: [] });
  });

  it("gcp: a GPU request becomes a machine type, its accelerator id and a zone that offers it", () => {
    const r = load("gcp", `    users:\n      - { name: alice, identity: ${ID.gcp}, gpu: { type: L4, count: 1 } }\n      - { name: bob, identity: bob@example.com }`);
    expect(errors(r)).toEqual([]);
    const [alice, bob] = r.model!.workspaces!.users;
    expect(alice!.instanceType).toBe("g2-standard-4");
    expect(alice!.gpu).toMatchObject({ type: "L4", count: 1, acceleratorId: "nvidia-l4" });
    expect(alice!.zone).toMatch(/^us-central1-[a-f]$/);
    expect(bob).toMatchObject({ instanceType: "e2-standard-4", sizeFrom: "default" });
    expect(bob!.zone).toBeUndefined();
  });

  it("azure: a GPU request becomes a VM size", () => {
    const r = load("azure", `    users: [{ name: alice, identity: ${ID.azure}, gpu: { type: T4, count: 1 } }]`);
    expect(errors(r)).toEqual([]);
    expect(r.model!.workspaces!.users[0]!.instanceType).toMatch(/^Standard_NC\d+as_T4_v3$/);
  });

  it("rejects a GPU the cloud does not offer, located at the user's gpu", () => {
    const r = load("aws", `    users: [{ name: alice, identity: "${ID.aws}", gpu: { type: T4, count: 3 } }]`);
    expect(r.model).toBeUndefined();
    expect(one(r, "MLP_GPU_COUNT").at).toBe("spec.workspaces.users[0].gpu.count");
  });

  it("rejects a non-ml.* notebook type on aws", () => {
    const r = load("aws", `    instanceType: m5.xlarge\n    users: [{ name: alice, identity: "${ID.aws}" }]`);
    expect(one(r, "MLP_WORKSPACE_INSTANCE_TYPE")).toMatchObject({
      at: "spec.workspaces.instanceType",
      message: "SageMaker notebooks take ml.* instance types, not m5.xlarge.",
      hint: "write ml.m5.xlarge, or ask for accelerators with gpu: { type, count }.",
    });
  });

  it("warns on an ml.* type the catalog does not know (unpriced)", () => {
    const r = load("aws", `    users: [{ name: alice, identity: "${ID.aws}", instanceType: ml.t3.xlarge }]`);
    expect(errors(r)).toEqual([]);
    expect(one(r, "MLP_INSTANCE_UNKNOWN")).toMatchObject({ severity: "warning", at: "spec.workspaces.users[0].instanceType" });
  });
});

describe("workspace and tracking rules", () => {
  it("rejects an identity that is not the cloud's form, with the cloud's example and a fix", () => {
    const r = load("aws", `    users: [{ name: alice, identity: alice@example.com }]`);
    expect(one(r, "MLP_WORKSPACE_IDENTITY")).toMatchObject({
      at: "spec.workspaces.users[0].identity",
      message: "on aws, a workspace user's identity is an IAM principal ARN (user or role).",
      found: "alice@example.com",
      allowed: "arn:aws:iam::<12-digit account>:user/<name> | arn:aws:iam::<account>:role/<name>",
    });
    expect(one(load("gcp", `    users: [{ name: alice, identity: "${ID.aws}" }]`), "MLP_WORKSPACE_IDENTITY").message).toBe("on gcp, a workspace user's identity is a Google account e-mail.");
    expect(one(load("azure", `    users: [{ name: alice, identity: ${ID.gcp} }]`), "MLP_WORKSPACE_IDENTITY").hint).toBe(
      "write the user's object ID (az ad user show --id <upn> --query id -o tsv); an environment that changes `cloud` overrides each user's identity (users merge on name).",
    );
    expect(load("aws", `    users: [{ name: a, identity: "arn:aws:sts::123456789012:assumed-role/r/s" }]`).diagnostics.map((d) => d.code)).toContain("MLP_WORKSPACE_IDENTITY");
  });

  it("rejects a user name used twice", () => {
    const r = load("gcp", `    users: [{ name: alice, identity: a@example.com }, { name: alice, identity: b@example.com }]`);
    expect(one(r, "MLP_DUPLICATE_NAME")).toMatchObject({ at: "spec.workspaces.users[1].name", message: "workspace user name `alice` is used twice (also at spec.workspaces.users[0])." });
  });

  it("rejects both gpu and instanceType at the section and at a user", () => {
    const r = load("gcp", `    gpu: { type: T4, count: 1 }\n    instanceType: n1-standard-4\n    users: [{ name: alice, identity: a@example.com, gpu: { type: L4, count: 1 }, instanceType: g2-standard-4 }]`);
    const ds = r.diagnostics.filter((d) => d.code === "MLP_WORKSPACE_COMPUTE").map((d) => formatPath(d.path));
    expect(ds).toEqual(["spec.workspaces.instanceType", "spec.workspaces.users[0].instanceType"]);
    expect(r.diagnostics.find((d) => d.code === "MLP_WORKSPACE_COMPUTE")!.message).toBe("give either `gpu` or `instanceType` for a notebook, not both.");
  });

  it("rejects undeclared workspace and tracking buckets with a did-you-mean", () => {
    const r = load("aws", `    buckets: [dataset]\n    users: [{ name: alice, identity: "${ID.aws}" }]`, `  tracking: { mlflow: { bucket: experiment } }`);
    expect(one(r, "MLP_WORKSPACE_BUCKET_UNKNOWN")).toMatchObject({ at: "spec.workspaces.buckets[0]", message: "workspace bucket `dataset` is not declared in spec.storage.buckets.", hint: "did you mean `datasets`?" });
    expect(one(r, "MLP_TRACKING_BUCKET_UNKNOWN")).toMatchObject({ at: "spec.tracking.mlflow.bucket", message: "MLflow artifact bucket `experiment` is not declared in spec.storage.buckets.", allowed: "datasets, experiments" });
  });

  it("resolves tracking with its artifact prefix", () => {
    const r = load("aws", `    users: [{ name: alice, identity: "${ID.aws}" }]`, `  tracking: { mlflow: { bucket: experiments, size: medium } }`);
    expect(r.model!.tracking).toEqual({ mlflow: { bucket: "experiments", size: "medium", artifactPrefix: "mlflow/" } });
  });
});

describe("aws-specific workspace rules", () => {
  it("rejects an identity of another account than the platform's", () => {
    const r = load("aws", `    users: [{ name: alice, identity: "arn:aws:iam::210987654321:role/ds" }]`);
    expect(one(r, "MLP_WORKSPACE_IDENTITY_ACCOUNT")).toMatchObject({
      at: "spec.workspaces.users[0].identity",
      message: "identity arn:aws:iam::210987654321:role/ds is in another AWS account than the platform (123456789012); only a principal of the domain's account can open its workspace.",
      allowed: "123456789012",
    });
  });

  it("rejects an idle shutdown under SageMaker's 60-minute minimum, and accepts 0 (never)", () => {
    const r = load("aws", `    idleShutdownMinutes: 30\n    users: [{ name: alice, identity: "${ID.aws}" }]`);
    expect(one(r, "MLP_WORKSPACE_IDLE_SHUTDOWN")).toMatchObject({ at: "spec.workspaces.idleShutdownMinutes", message: "SageMaker shuts idle JupyterLab apps down after 60 minutes at the least, not 30.", allowed: "0 (never) or 60-10080" });
    expect(errors(load("aws", `    idleShutdownMinutes: 0\n    users: [{ name: alice, identity: "${ID.aws}" }]`))).toEqual([]);
    expect(errors(load("gcp", `    idleShutdownMinutes: 30\n    users: [{ name: alice, identity: a@example.com }]`))).toEqual([]);
  });

  it("rejects a user name ending in '-'", () => {
    const r = load("gcp", `    users: [{ name: alice-, identity: a@example.com }]`);
    expect(one(r, "MLP_WORKSPACE_USER_NAME")).toMatchObject({ at: "spec.workspaces.users[0].name", hint: "write alice." });
  });
});
