import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatPath } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

/**
 * The GCP/Azure rules of spec.workspaces, spec.tracking and spec.pipelines through loadBlueprint:
 * the Azure ML workspace they need on azure (rules/azure-ml-workspace.ts) and what Workbench and
 * Azure ML compute instances accept (rules/notebook-limits.ts). Messages pinned.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-nb-clouds-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const AZURE = `  cloud: azure\n  region: eastus\n  azure: { subscriptionId: 11111111-1111-1111-1111-111111111111, tenantId: 22222222-2222-2222-2222-222222222222 }`;
const GCP = `  cloud: gcp\n  region: us-central1\n  gcp: { project: ws-proj-123 }`;
const AZ_USER = "33333333-3333-3333-3333-333333333333";

let n = 0;
function load(head: string, body: string) {
  const file = join(work, `bp-${++n}.yaml`);
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: nbc, owner: ml@example.com }
spec:
${head}
  storage: { buckets: [{ name: datasets }, { name: experiments }] }
${body}
  observability: { alertEmails: [ml@example.com] }
`,
  );
  return loadBlueprint(file);
}
const found = (r: ReturnType<typeof loadBlueprint>, code: string) =>
  r.diagnostics.filter((d) => d.code === code).map((d) => ({ at: formatPath(d.path), line: d.line, message: d.message, hint: d.hint, found: d.found, allowed: d.allowed }));

describe("azure: workspaces, tracking and pipelines need the Azure ML workspace (registry.models)", () => {
  it("rejects workspaces and tracking without registry.models, one located error per section", () => {
    const r = load(AZURE, `  workspaces:\n    users: [{ name: alice, identity: ${AZ_USER} }]\n  tracking:\n    mlflow: { bucket: experiments }`);
    const d = found(r, "MLP_AZURE_ML_WORKSPACE_REQUIRED");
    expect(d.map((x) => [x.at, x.line])).toEqual([
      ["spec.workspaces", 9],
      ["spec.tracking", 11],
    ]);
    expect(d[0]!.message).toBe(
      "spec.workspaces on azure needs the Azure ML workspace: Azure ML compute instances are created in the platform's Azure ML workspace, and mlplat creates it only with registry.models: true.",
    );
    expect(d[1]!.message).toBe(
      "spec.tracking on azure needs the Azure ML workspace: the MLflow tracking server on Azure is the Azure ML workspace's own MLflow endpoint, and mlplat creates it only with registry.models: true.",
    );
    expect(d[0]!.hint).toBe(
      "set `models: true` under spec.registry (it adds the Azure ML workspace, its key vault, storage account and Application Insights), or remove this section for azure.",
    );
    expect(r.model).toBeUndefined();
  });

  it("rejects pipelines without registry.models, at spec.pipelines", () => {
    const def = join(process.cwd(), "blueprints", "pipelines", "retrain-fraud.azureml.json");
    const r = load(AZURE, `  pipelines:\n    - { name: retrain, definition: ${def}, schedule: "0 3 * * 1", buckets: [datasets] }`);
    const d = found(r, "MLP_AZURE_ML_WORKSPACE_REQUIRED");
    expect(d.map((x) => [x.at, x.message])).toEqual([
      ["spec.pipelines", "spec.pipelines on azure needs the Azure ML workspace: Azure ML pipeline jobs run in the platform's Azure ML workspace, and mlplat creates it only with registry.models: true."],
    ]);
  });

  it("accepts the same sections with registry.models: true", () => {
    const r = load(`${AZURE}\n  registry: { models: true }`, `  workspaces:\n    users: [{ name: alice, identity: ${AZ_USER} }]\n  tracking:\n    mlflow: { bucket: experiments }`);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model?.workspaces?.users[0]?.instanceType).toBe("Standard_DS3_v2");
  });

  it("does not apply on gcp", () => {
    const r = load(GCP, `  tracking:\n    mlflow: { bucket: experiments }`);
    expect(found(r, "MLP_AZURE_ML_WORKSPACE_REQUIRED")).toEqual([]);
  });
});

describe("notebook limits of Workbench (gcp) and Azure ML compute instances", () => {
  it("rejects an azure idle shutdown under 15 minutes or over 3 days, and accepts 0 (never)", () => {
    const az = `${AZURE}\n  registry: { models: true }`;
    const short = found(load(az, `  workspaces:\n    idleShutdownMinutes: 10\n    users: [{ name: alice, identity: ${AZ_USER} }]`), "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE");
    expect(short).toEqual([
      {
        at: "spec.workspaces.idleShutdownMinutes",
        line: 11,
        message: "Azure ML compute instances stop after 15 to 4320 idle minutes, not 10.",
        hint: "use at least 15.",
        found: "10",
        allowed: "0 (never) or 15-4320",
      },
    ]);
    const long = found(load(az, `  workspaces:\n    idleShutdownMinutes: 5000\n    users: [{ name: alice, identity: ${AZ_USER} }]`), "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE");
    expect(long.map((d) => d.hint)).toEqual(["use 4320 (the longest azure allows)."]);
    expect(found(load(az, `  workspaces:\n    idleShutdownMinutes: 0\n    users: [{ name: alice, identity: ${AZ_USER} }]`), "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE")).toEqual([]);
  });

  it("rejects 0 (never) and more than 1440 minutes on gcp, where Workbench's idle shutdown cannot be turned off through Terraform", () => {
    const zero = found(load(GCP, `  workspaces:\n    idleShutdownMinutes: 0\n    users: [{ name: alice, identity: alice@example.com }]`), "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE");
    expect(zero).toEqual([
      {
        at: "spec.workspaces.idleShutdownMinutes",
        line: 10,
        message:
          "Vertex AI Workbench instances cannot be set to never stop through Terraform: idle shutdown is on by default (180 minutes) and only the console turns it off.",
        hint: "use 1440 (the longest gcp allows).",
        found: "0",
        allowed: "10-1440",
      },
    ]);
    expect(found(load(GCP, `  workspaces:\n    idleShutdownMinutes: 2000\n    users: [{ name: alice, identity: alice@example.com }]`), "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE").map((d) => d.message)).toEqual([
      "Vertex AI Workbench instances stop after 10 to 1440 idle minutes, not 2000.",
    ]);
  });

  it("warns that diskGiB is not applied on azure when the blueprint sets it, and says nothing at its default", () => {
    const az = `${AZURE}\n  registry: { models: true }`;
    const d = found(load(az, `  workspaces:\n    diskGiB: 200\n    users: [{ name: alice, identity: ${AZ_USER} }]`), "MLP_WORKSPACE_DISK_IGNORED");
    expect(d).toEqual([
      {
        at: "spec.workspaces.diskGiB",
        line: 11,
        message: "Azure ML compute instances have the disk of their VM size: diskGiB is not applied on azure (the user's files live on the workspace's file share).",
        hint: "remove diskGiB for the azure environment, or pick a VM size with the disk you need.",
        found: "200",
        allowed: undefined,
      },
    ]);
    expect(found(load(az, `  workspaces:\n    users: [{ name: alice, identity: ${AZ_USER} }]`), "MLP_WORKSPACE_DISK_IGNORED")).toEqual([]);
    expect(found(load(GCP, `  workspaces:\n    diskGiB: 200\n    users: [{ name: alice, identity: alice@example.com }]`), "MLP_WORKSPACE_DISK_IGNORED")).toEqual([]);
  });

  it("rejects a GPU Workbench does not offer, at the user's gpu, and accepts L4", () => {
    const r = load(GCP, `  workspaces:\n    users:\n      - { name: alice, identity: alice@example.com, gpu: { type: H100, count: 8 } }\n      - { name: bob, identity: bob@example.com, gpu: L4:1 }`);
    expect(found(r, "MLP_WORKSPACE_GPU_UNSUPPORTED")).toEqual([
      {
        at: "spec.workspaces.users[0].gpu",
        line: 11,
        message: "Vertex AI Workbench instances do not offer H100 accelerators.",
        hint: "pick one of these for the notebook (larger GPUs: run the work as a training job on a cluster node pool).",
        found: "H100",
        allowed: "T4, P4, P100, V100, A100-40GB, A100-80GB, L4",
      },
    ]);
  });
});
