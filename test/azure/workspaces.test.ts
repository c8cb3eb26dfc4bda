import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISRUPTIVE_TYPES } from "../../src/engine/disruption.js";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { jsonImpact } from "../change-impact/force-new.js";
import { Template } from "../helpers/template.js";

/**
 * spec.workspaces and spec.tracking on Azure through the public synth path: a compute instance
 * per user in the platform's Azure ML workspace (assigned to the user, no public IP, local auth
 * off, its own identity with blob access to the listed containers only), idle shutdown through
 * azapi, the workspace's managed network reaching the platform storage through a private endpoint
 * rule, and the workspace's MLflow URI as tracking_uri. Security policy and day-2 edits included.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-azure-workspaces-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ALICE = "33333333-3333-3333-3333-333333333333";
const BOB = "44444444-4444-4444-4444-444444444444";
const WORKSPACES = {
  idleShutdownMinutes: 45,
  buckets: ["datasets"],
  users: [
    { name: "alice", identity: ALICE, gpu: { type: "T4", count: 1 } },
    { name: "bob", identity: BOB },
  ],
};

async function synth(name: string, edit: (spec: Record<string, any>, doc: Record<string, any>) => void = () => {}): Promise<Template> {
  const stack = await synthEdited(join(ROOT, "blueprints", "azure-platform.yaml"), join(work, name), (doc) => {
    doc.spec.workspaces = structuredClone(WORKSPACES);
    doc.spec.tracking = { mlflow: { bucket: "models" } };
    edit(doc.spec, doc);
  });
  return Template.fromJson(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

const CI = "azurerm_machine_learning_compute_instance";
const RA = "azurerm_role_assignment";
const WS_ID = "${azurerm_machine_learning_workspace.registry_models.id}";
const ACCOUNT = "${azurerm_storage_account.storage.id}";

describe("spec.workspaces and spec.tracking on Azure", () => {
  let t: Template;
  beforeAll(async () => {
    t = await synth("base");
  }, 120_000);

  it("creates one compute instance per user in the ML workspace, assigned to the user, sized from the catalog", () => {
    t.resourceCountIs(CI, 2);
    const alice = t.resource(CI, "workspaces_alice");
    expect(alice).toMatchObject({
      machine_learning_workspace_id: WS_ID,
      virtual_machine_size: "Standard_NC4as_T4_v3",
      authorization_type: "personal",
      assign_to_user: { object_id: ALICE, tenant_id: "${data.azurerm_client_config.deployer.tenant_id}" },
      identity: { type: "UserAssigned", identity_ids: ["${azurerm_user_assigned_identity.workspaces_alice_identity.id}"] },
    });
    expect(alice.name).toMatch(/^alice-[a-z0-9]{6}$/);
    expect(t.resource(CI, "workspaces_bob")).toMatchObject({ virtual_machine_size: "Standard_DS3_v2", assign_to_user: { object_id: BOB } });
  });

  it("gives every compute instance no public IP, no key auth, no SSH and no subnet of the platform VNet (policy: no public IPs; the managed network holds it)", () => {
    for (const [id, r] of Object.entries(t.resources(CI))) {
      expect(r.node_public_ip_enabled, id).toBe(false);
      expect(r.local_auth_enabled, id).toBe(false);
      expect(r.ssh, id).toBeUndefined();
      expect(r.subnet_resource_id, id).toBeUndefined();
      // Tags are ForceNew on compute instances: a label edit must not replace notebooks.
      expect(r.tags, id).toBeUndefined();
    }
  });

  it("grants each notebook identity Storage Blob Data Contributor on the listed containers only, and each user AzureML Data Scientist on the workspace only (policy: least privilege)", () => {
    const mine = Object.entries(t.resources(RA)).filter(([id]) => id.startsWith("workspaces_"));
    expect(mine.map(([id, r]) => [id, r.role_definition_name, r.scope, r.principal_id]).sort()).toEqual([
      ["workspaces_alice_bucket-datasets", "Storage Blob Data Contributor", `${ACCOUNT}/blobServices/default/containers/datasets`, "${azurerm_user_assigned_identity.workspaces_alice_identity.principal_id}"],
      ["workspaces_alice_user-access", "AzureML Data Scientist", WS_ID, ALICE],
      ["workspaces_bob_bucket-datasets", "Storage Blob Data Contributor", `${ACCOUNT}/blobServices/default/containers/datasets`, "${azurerm_user_assigned_identity.workspaces_bob_identity.principal_id}"],
      ["workspaces_bob_user-access", "AzureML Data Scientist", WS_ID, BOB],
      ["workspaces_storage-approver", "Azure AI Enterprise Network Connection Approver", ACCOUNT, "${azurerm_machine_learning_workspace.registry_models.identity[0].principal_id}"],
    ]);
  });

  it("reaches the platform storage account from the workspace's managed network through an approved private endpoint rule", () => {
    expect(t.resource("azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint", "workspaces_storage-outbound")).toMatchObject({
      name: "mlplat-platform-storage-blob",
      workspace_id: WS_ID,
      service_resource_id: ACCOUNT,
      sub_resource_target: "blob",
      depends_on: ["azurerm_role_assignment.workspaces_storage-approver"],
    });
    expect(t.resource(CI, "workspaces_bob").depends_on).toContain("azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint.workspaces_storage-outbound");
  });

  it("sets idle shutdown through azapi's updateIdleShutdownSetting on each compute (azurerm has no field), ISO 8601", () => {
    expect(t.resource("azapi_resource_action", "workspaces_alice_idle-shutdown")).toMatchObject({
      type: "Microsoft.MachineLearningServices/workspaces/computes@2024-10-01",
      resource_id: "${azurerm_machine_learning_compute_instance.workspaces_alice.id}",
      action: "updateIdleShutdownSetting",
      method: "POST",
      body: { idleTimeBeforeShutdown: "PT45M" },
    });
  });

  it("outputs the workspace's MLflow tracking URI and the notebook names", () => {
    expect(t.json.output.tracking_uri.value).toBe(
      "azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/fraud-default/providers/Microsoft.MachineLearningServices/workspaces/fraud-default-mlw",
    );
    expect(t.json.output.tracking_uri.description).toMatch(/az login .*AzureML Data Scientist/);
    expect(t.json.output.notebook_names.value).toEqual({ alice: "${azurerm_machine_learning_compute_instance.workspaces_alice.name}", bob: "${azurerm_machine_learning_compute_instance.workspaces_bob.name}" });
    const lim: string[] = t.json.output.azure_limitations.value;
    expect(lim.some((s) => s.startsWith("tracking.mlflow: the tracking server is the Azure ML workspace's MLflow endpoint"))).toBe(true);
  });

  it("sets no idle shutdown for idleShutdownMinutes: 0, and says that a previous setting stays", async () => {
    const off = await synth("idle-off", (s) => (s.workspaces.idleShutdownMinutes = 0));
    expect(off.resources("azapi_resource_action")).not.toHaveProperty("workspaces_alice_idle-shutdown");
    expect(off.json.output.azure_limitations.value).toContain(
      "workspaces.idleShutdownMinutes: 0 leaves idle shutdown as it is on each instance: the azapi action that set it does not undo it; change it in Azure ML studio.",
    );
  }, 120_000);

  it("gives tracking alone the workspace's MLflow URI and no compute", async () => {
    const only = await synth("tracking-only", (s) => delete s.workspaces);
    expect(only.resources(CI)).toEqual({});
    expect(only.json.output.tracking_uri.value).toBe(t.json.output.tracking_uri.value);
    expect(only.json.output).not.toHaveProperty("notebook_names");
  }, 120_000);

  it("guards a compute instance as a disruption (notebook)", () => {
    expect(DISRUPTIVE_TYPES[CI]).toBe("notebook");
  });

  describe("day-2 edits (JSON diff through the ForceNew table)", () => {
    const impact = async (name: string, edit: (spec: Record<string, any>, doc: Record<string, any>) => void) =>
      jsonImpact(t.json, (await synth(name, edit)).json)
        .filter((i) => i.type === CI)
        .map((i) => `${i.address} ${i.action}${i.replacePaths.length ? ` (${i.replacePaths.join(", ")})` : ""}`);

    it("adding a user creates only their instance; removing one deletes only theirs", async () => {
      expect(await impact("add", (s) => s.workspaces.users.push({ name: "carol", identity: "55555555-5555-5555-5555-555555555555" }))).toEqual([]);
      expect(await impact("remove", (s) => s.workspaces.users.pop())).toEqual(["azurerm_machine_learning_compute_instance.workspaces_bob delete"]);
    }, 240_000);

    it("resizing a user's GPU replaces only that user's instance (every argument is ForceNew)", async () => {
      expect(await impact("gpu", (s) => (s.workspaces.users[0].gpu = { type: "A100-80GB", count: 1 }))).toEqual([
        "azurerm_machine_learning_compute_instance.workspaces_alice replace (virtual_machine_size)",
      ]);
    }, 120_000);

    it("changing the idle shutdown replaces nothing: only the azapi action's body changes", async () => {
      const after = await synth("idle", (s) => (s.workspaces.idleShutdownMinutes = 120));
      expect(jsonImpact(t.json, after.json).filter((i) => i.type === CI)).toEqual([]);
      expect(after.resource("azapi_resource_action", "workspaces_alice_idle-shutdown").body).toEqual({ idleTimeBeforeShutdown: "PT120M" });
    }, 120_000);

    it("changing the platform's labels replaces no compute instance", async () => {
      const after = await synth("labels", (_s, doc) => (doc.metadata.labels = { ...doc.metadata.labels, team: "research" }));
      expect(after.resource("azurerm_user_assigned_identity", "workspaces_alice_identity").tags).toMatchObject({ team: "research" });
      expect(jsonImpact(t.json, after.json).filter((i) => i.type === CI)).toEqual([]);
    }, 120_000);
  });
});
