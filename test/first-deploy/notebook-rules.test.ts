import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { AZURE_NOTEBOOK_RULES, GCP_NOTEBOOK_RULES } from "./notebook-rules.js";
import type { FirstDeployRule, SynthJson } from "./rule.js";

/**
 * The workspaces/tracking first-deploy rules hold on data-science-team (--env gcp, --env azure;
 * the reference-case tests of gcp-rules/azure-rules run them too), and each fires on the layout
 * the cloud refuses.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-notebook-rules-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const rule = (rules: readonly FirstDeployRule[], id: string) => rules.find((r) => r.id === id)!;

async function synth(env: string): Promise<SynthJson> {
  const stack = await synthEdited(join(ROOT, "blueprints", "data-science-team.yaml"), join(work, env), () => {}, env);
  return JSON.parse(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

describe("gcp notebook and tracking first-deploy rules", () => {
  let base: SynthJson;
  const fresh = (): SynthJson => structuredClone(base);
  const check = (id: string, json: SynthJson) => rule(GCP_NOTEBOOK_RULES, id).check(json, { blueprint: "data-science-team.yaml", env: "gcp", model: undefined as never });
  beforeAll(async () => {
    base = await synth("gcp");
  }, 120_000);

  it("hold on data-science-team --env gcp, which has notebooks with GPUs and the MLflow database", () => {
    expect(Object.keys(base.resource.google_workbench_instance).length).toBe(5);
    expect(Object.keys(base.resource.google_sql_database_instance)).toEqual(["tracking_database"]);
    for (const r of GCP_NOTEBOOK_RULES) expect(check(r.id, fresh()), r.id).toEqual([]);
  });

  it("gcp-workbench-api-before-instance: an instance that does not wait for the Notebooks API", () => {
    const json = fresh();
    json.resource.google_workbench_instance.workspaces_alice.depends_on = [];
    expect(check("gcp-workbench-api-before-instance", json)).toEqual(["google_workbench_instance.workspaces_alice does not wait for google_project_service.project_notebooks"]);
  });

  it("gcp-workbench-cmek-grants-before-instance: an instance before the Notebooks agent may use its key", () => {
    const json = fresh();
    const wb = json.resource.google_workbench_instance.workspaces_bob;
    wb.depends_on = wb.depends_on.filter((d: string) => !d.includes("notebooks-agent"));
    expect(check("gcp-workbench-cmek-grants-before-instance", json)).toEqual([
      "google_workbench_instance.workspaces_bob does not wait for google_kms_crypto_key_iam_member.kms_workspaces-notebooks-agent",
    ]);
  });

  it("gcp-workbench-gpu-zone: a T4 notebook in a zone without T4", () => {
    const json = fresh();
    json.resource.google_workbench_instance.workspaces_bob.location = "us-central1-d";
    expect(check("gcp-workbench-gpu-zone", json)).toEqual(["google_workbench_instance.workspaces_bob: zone us-central1-d does not offer T4 (n1-highmem-4)"]);
  });

  it("gcp-cloudsql-private-ip-after-psa: the database before private services access", () => {
    const json = fresh();
    json.resource.google_sql_database_instance.tracking_database.depends_on = [];
    expect(check("gcp-cloudsql-private-ip-after-psa", json)).toEqual([
      "google_sql_database_instance.tracking_database does not wait for google_service_networking_connection.tracking_database_psa",
    ]);
  });

  it("gcp-cloudsql-cmek-agent: the key grant to the Cloud SQL agent before its identity exists", () => {
    const json = fresh();
    delete json.resource.google_kms_crypto_key_iam_member["kms_tracking-cloud-sql-agent"].depends_on;
    expect(check("gcp-cloudsql-cmek-agent", json)).toEqual([
      "google_kms_crypto_key_iam_member.kms_tracking-cloud-sql-agent grants the Cloud SQL agent before google_project_service_identity creates it",
    ]);
  });

  it("gcp-cloud-run-secret-access-before-revision: the MLflow revision before its secret grant", () => {
    const json = fresh();
    const s = json.resource.google_cloud_run_v2_service.tracking;
    s.depends_on = s.depends_on.filter((d: string) => !d.includes("password-reader"));
    expect(check("gcp-cloud-run-secret-access-before-revision", json)).toEqual([
      "google_cloud_run_v2_service.tracking does not wait for google_secret_manager_secret_iam_member.tracking_password-reader",
    ]);
  });
});

describe("azure notebook first-deploy rules", () => {
  let base: SynthJson;
  const fresh = (): SynthJson => structuredClone(base);
  const check = (id: string, json: SynthJson) => rule(AZURE_NOTEBOOK_RULES, id).check(json, { blueprint: "data-science-team.yaml", env: "azure", model: undefined as never });
  beforeAll(async () => {
    base = await synth("azure");
  }, 120_000);

  it("hold on data-science-team --env azure", () => {
    expect(Object.keys(base.resource.azurerm_machine_learning_compute_instance).length).toBe(5);
    for (const r of AZURE_NOTEBOOK_RULES) expect(check(r.id, fresh()), r.id).toEqual([]);
  });

  it("azure-compute-instance-managed-network: a subnet in a managed-network workspace", () => {
    const json = fresh();
    json.resource.azurerm_machine_learning_compute_instance.workspaces_alice.subnet_resource_id = "${azurerm_subnet.network_nodes.id}";
    expect(check("azure-compute-instance-managed-network", json)).toEqual(["azurerm_machine_learning_compute_instance.workspaces_alice sets a subnet in a managed-network workspace"]);
  });

  it("azure-compute-instance-storage-outbound: an instance before the outbound rule, a rule before its approval role", () => {
    const json = fresh();
    json.resource.azurerm_machine_learning_compute_instance.workspaces_carol.depends_on = [];
    delete json.resource.azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint["workspaces_storage-outbound"].depends_on;
    expect(check("azure-compute-instance-storage-outbound", json)).toEqual([
      "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint.workspaces_storage-outbound does not wait for azurerm_role_assignment.workspaces_storage-approver",
      "azurerm_machine_learning_compute_instance.workspaces_carol does not wait for its workspace's outbound rule",
    ]);
  });

  it("azure-compute-instance-idle-shutdown-range: ten minutes", () => {
    const json = fresh();
    json.resource.azapi_resource_action["workspaces_dan_idle-shutdown"].body.idleTimeBeforeShutdown = "PT10M";
    expect(check("azure-compute-instance-idle-shutdown-range", json)).toEqual(["azapi_resource_action.workspaces_dan_idle-shutdown: idle time PT10M is not PT15M..PT4320M"]);
  });
});
