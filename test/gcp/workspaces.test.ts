import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_BEARING_TYPES } from "../../src/engine/summary.js";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { jsonImpact } from "../change-impact/force-new.js";
import { Template } from "../helpers/template.js";

/**
 * spec.workspaces on GCP through the public synth path (blueprint file → cdk.tf.json): one
 * Vertex AI Workbench instance per user with its own service account, bucket-level grants, CMEK
 * disks, no external IP, idle shutdown; the security policy (no public IP, CMEK, least privilege)
 * over these resources; day-2 edits as JSON diffs through the ForceNew table.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-workspaces-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WORKSPACES = {
  idleShutdownMinutes: 90,
  diskGiB: 200,
  buckets: ["datasets"],
  users: [
    { name: "alice", identity: "alice@example.com", gpu: { type: "L4", count: 1 } },
    { name: "bob", identity: "bob@example.com" },
  ],
};

async function synth(name: string, edit: (ws: Record<string, any>) => void = () => {}): Promise<Template> {
  const stack = await synthEdited(join(ROOT, "blueprints", "gcp-platform.yaml"), join(work, name), (doc) => {
    doc.spec.workspaces = structuredClone(WORKSPACES);
    edit(doc.spec.workspaces);
  });
  return Template.fromJson(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

const WB = "google_workbench_instance";
const KEY = "${google_kms_crypto_key.kms_workspaces.id}";

describe("spec.workspaces on GCP", () => {
  let t: Template;
  beforeAll(async () => {
    t = await synth("base");
  }, 120_000);

  it("creates one Workbench instance per user, owned by the user, in the zone offering the GPU (CPU: <region>-b)", () => {
    t.resourceCountIs(WB, 2);
    expect(t.resource(WB, "workspaces_alice")).toMatchObject({
      name: "fraud-default-nb-alice",
      location: "us-central1-a",
      project: "fraud-ml-prod",
      instance_owners: ["alice@example.com"],
      gce_setup: { machine_type: "g2-standard-4", accelerator_configs: [{ type: "NVIDIA_L4", core_count: "1" }] },
    });
    expect(t.resource(WB, "workspaces_bob")).toMatchObject({ location: "us-central1-b", instance_owners: ["bob@example.com"], gce_setup: { machine_type: "e2-standard-4" } });
    expect(t.resource(WB, "workspaces_bob").gce_setup.accelerator_configs).toBeUndefined();
  });

  it("stops idle notebooks through the idle-timeout-seconds metadata, with root and downloads off", () => {
    expect(t.resource(WB, "workspaces_bob").gce_setup.metadata).toEqual({
      "idle-timeout-seconds": "5400",
      "enable-guest-attributes": "TRUE",
      "notebook-disable-root": "true",
      "notebook-disable-downloads": "true",
    });
  });

  it("puts every notebook on the platform subnet without an external IP (policy: no public IPs)", () => {
    for (const [id, r] of Object.entries(t.resources(WB))) {
      expect(r.gce_setup.disable_public_ip, id).toBe(true);
      expect(r.gce_setup.enable_ip_forwarding, id).toBe(false);
      expect(r.gce_setup.network_interfaces, id).toEqual([{ network: "${google_compute_network.network.id}", subnet: "${google_compute_subnetwork.network_nodes.id}" }]);
      expect(JSON.stringify(r.gce_setup.network_interfaces), id).not.toContain("access_configs");
    }
  });

  it("encrypts boot and data disks with the workspaces key, granted to the Compute Engine and Notebooks agents before any notebook (policy: CMEK)", () => {
    for (const [id, r] of Object.entries(t.resources(WB))) {
      expect(r.gce_setup.boot_disk, id).toEqual({ disk_encryption: "CMEK", kms_key: KEY, disk_type: "PD_BALANCED" });
      expect(r.gce_setup.data_disks, id).toEqual({ disk_encryption: "CMEK", kms_key: KEY, disk_type: "PD_BALANCED", disk_size_gb: "200" });
      expect(r.depends_on, id).toEqual(expect.arrayContaining(["google_kms_crypto_key_iam_member.kms_workspaces-compute-agent", "google_kms_crypto_key_iam_member.kms_workspaces-notebooks-agent"]));
    }
    expect(t.resource("google_kms_crypto_key", "kms_workspaces")).toMatchObject({ name: "fraud-default-workspaces", lifecycle: { prevent_destroy: true } });
    expect(t.resource("google_kms_crypto_key_iam_member", "kms_workspaces-notebooks-agent")).toMatchObject({
      member: "serviceAccount:service-${data.google_project.project_info.number}@gcp-sa-notebooks.iam.gserviceaccount.com",
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      depends_on: ["google_project_service_identity.project_agents_notebooks"],
    });
    expect(t.resource("google_project_service", "project_notebooks")).toMatchObject({ service: "notebooks.googleapis.com", disable_on_destroy: false });
  });

  it("runs each notebook as its own service account with objectUser on the listed buckets only, and lets only its owner act as it (policy: least privilege)", () => {
    expect(t.resource(WB, "workspaces_alice").gce_setup.service_accounts).toEqual([{ email: "${google_service_account.workspaces_alice_identity.email}" }]);
    expect(t.resource("google_service_account", "workspaces_alice_identity")).toMatchObject({ account_id: "fraud-default-nb-alice" });
    const grants = t.resources("google_storage_bucket_iam_member");
    const mine = Object.entries(grants).filter(([id]) => id.startsWith("workspaces_"));
    expect(mine.map(([id, g]) => [id, g.bucket, g.role, g.member]).sort()).toEqual([
      ["workspaces_alice_bucket-datasets", "${google_storage_bucket.storage_datasets.name}", "roles/storage.objectUser", "${google_service_account.workspaces_alice_identity.member}"],
      ["workspaces_bob_bucket-datasets", "${google_storage_bucket.storage_datasets.name}", "roles/storage.objectUser", "${google_service_account.workspaces_bob_identity.member}"],
    ]);
    // Nothing project-wide for the notebooks' identities.
    const projectGrants = Object.values(t.resources("google_project_iam_member")).map((g) => String(g.member));
    expect(projectGrants.filter((m) => m.includes("workspaces_"))).toEqual([]);
    expect(t.resource("google_service_account_iam_member", "workspaces_alice_owner-acts-as")).toMatchObject({
      service_account_id: "${google_service_account.workspaces_alice_identity.name}",
      role: "roles/iam.serviceAccountUser",
      member: "user:alice@example.com",
    });
  });

  it("lets each owner read, start, stop and open their own instance only, through a custom role granted on that instance (policy: least privilege)", () => {
    expect(t.resource("google_project_iam_custom_role", "workspaces_user-role")).toMatchObject({
      role_id: "fraud_default_notebook_user",
      permissions: ["notebooks.instances.get", "notebooks.instances.start", "notebooks.instances.stop", "notebooks.instances.use"],
    });
    const access = Object.entries(t.resources("google_workbench_instance_iam_member"));
    expect(access.map(([id, g]) => [id, g.name, g.location, g.role, g.member]).sort()).toEqual([
      ["workspaces_alice_owner-access", "${google_workbench_instance.workspaces_alice.name}", "us-central1-a", "${google_project_iam_custom_role.workspaces_user-role.name}", "user:alice@example.com"],
      ["workspaces_bob_owner-access", "${google_workbench_instance.workspaces_bob.name}", "us-central1-b", "${google_project_iam_custom_role.workspaces_user-role.name}", "user:bob@example.com"],
    ]);
  });

  it("keeps vTPM and integrity monitoring on, Secure Boot off on every notebook (sourced exception: unsigned GPU drivers)", () => {
    for (const r of Object.values(t.resources(WB))) expect(r.gce_setup.shielded_instance_config).toEqual({ enable_secure_boot: false, enable_vtpm: true, enable_integrity_monitoring: true });
  });

  it("outputs each user's JupyterLab proxy URL and says how the instances behave in gcp_limitations", () => {
    expect(t.json.output.notebook_urls.value).toEqual({ alice: "${google_workbench_instance.workspaces_alice.proxy_uri}", bob: "${google_workbench_instance.workspaces_bob.proxy_uri}" });
    expect(t.json.output.gcp_limitations.value.some((s: string) => s.startsWith("workspaces: each user opens their Workbench instance"))).toBe(true);
  });

  it("guards a Workbench instance as data (its data disk holds /home/jupyter)", () => {
    expect(DATA_BEARING_TYPES.has(WB)).toBe(true);
  });

  describe("day-2 edits (JSON diff through the ForceNew table)", () => {
    const impact = async (name: string, edit: (ws: Record<string, any>) => void) =>
      jsonImpact(t.json, (await synth(name, edit)).json)
        .filter((i) => i.type === WB)
        .map((i) => `${i.address} ${i.action}${i.replacePaths.length ? ` (${i.replacePaths.join(", ")})` : ""}`);

    it("adding a user creates only their notebook", async () => {
      expect(await impact("add-user", (ws) => ws.users.push({ name: "carol", identity: "carol@example.com" }))).toEqual([]);
    }, 120_000);

    it("removing a user deletes only their notebook (the data-loss guard asks first)", async () => {
      expect(await impact("remove-user", (ws) => ws.users.pop())).toEqual(["google_workbench_instance.workspaces_bob delete"]);
    }, 120_000);

    it("a new diskGiB replaces no notebook: the data disk's size, the only attribute that changes, is ignored after creation", async () => {
      const after = await synth("disk", (ws) => (ws.diskGiB = 300));
      for (const [id, before] of Object.entries(t.resources(WB))) {
        const now = after.resource(WB, id);
        // data_disks is ForceNew in the provider; only its size differs, and that path is ignored.
        expect({ ...now.gce_setup.data_disks, disk_size_gb: "200" }, id).toEqual(before.gce_setup.data_disks);
        expect(now.lifecycle, id).toEqual({ ignore_changes: ["gce_setup[0].data_disks[0].disk_size_gb"] });
        const rest = (r: Record<string, any>) => ({ ...r, gce_setup: { ...r.gce_setup, data_disks: undefined } });
        expect(rest(now), id).toEqual(rest(before));
      }
      expect(after.resource(WB, "workspaces_alice").gce_setup.data_disks.disk_size_gb).toBe("300");
    }, 120_000);

    it("changing the idle shutdown updates the metadata in place", async () => {
      const after = await synth("idle", (ws) => (ws.idleShutdownMinutes = 30));
      expect(jsonImpact(t.json, after.json).filter((i) => i.type === WB)).toEqual([]);
      expect(after.resource(WB, "workspaces_alice").gce_setup.metadata["idle-timeout-seconds"]).toBe("1800");
    }, 120_000);

    it("changing a user's GPU within the zone updates in place; a GPU offered in another zone replaces only that user's notebook", async () => {
      expect(await impact("gpu-count", (ws) => (ws.users[0].gpu = { type: "L4", count: 2 }))).toEqual([]);
      expect(await impact("gpu-t4", (ws) => (ws.users[0].gpu = { type: "T4", count: 1 }))).toEqual([]);
      // P100 is offered in us-central1-c and -f only (zones.json): the zone moves.
      expect(await impact("gpu-p100", (ws) => (ws.users[0].gpu = { type: "P100", count: 1 }))).toEqual(["google_workbench_instance.workspaces_alice replace (location)"]);
      // A CPU notebook sits in <region>-b; a GPU goes to the first zone offering it (us-central1-a for L4): replaced (documented).
      expect(await impact("bob-gpu", (ws) => (ws.users[1].gpu = { type: "L4", count: 1 }))).toEqual(["google_workbench_instance.workspaces_bob replace (location)"]);
    }, 240_000);
  });
});
