import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_BEARING_TYPES } from "../../src/engine/summary.js";
import { DELETION_GUARDS, deletionGuardedResources } from "../../src/terraform/deletion-protection.js";
import { unsafeExpressions } from "../../stacks/common/terraform-literals.js";
import { synthEdited } from "../change-impact/blueprint-edits.js";
import { jsonImpact } from "../change-impact/force-new.js";
import { Template } from "../helpers/template.js";

/**
 * spec.tracking.mlflow on GCP through the public synth path: MLflow on Cloud Run (internal,
 * IAM-invoked, own service account, Direct VPC egress), Cloud SQL for PostgreSQL on a private IP
 * (private services access, CMEK, backups, protected), the password written only through
 * write-only arguments, artifacts in gs://<bucket>/mlflow/, tracking_uri output.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-tracking-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let lastDir = "";
async function synth(name: string, edit: (spec: Record<string, any>) => void = () => {}): Promise<Template> {
  const stack = await synthEdited(join(ROOT, "blueprints", "gcp-platform.yaml"), join(work, name), (doc) => {
    doc.spec.tracking = { mlflow: { bucket: "models", size: "small" } };
    doc.spec.workspaces = { idleShutdownMinutes: 60, buckets: ["datasets"], users: [{ name: "alice", identity: "alice@example.com" }] };
    edit(doc.spec);
  });
  lastDir = stack.dir;
  return Template.fromJson(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8"));
}

const SQL = "google_sql_database_instance";
const RUN = "google_cloud_run_v2_service";
const KEY = "${google_kms_crypto_key.kms_tracking.id}";

describe("spec.tracking.mlflow on GCP", () => {
  let t: Template;
  let baseDir = "";
  beforeAll(async () => {
    t = await synth("base");
    baseDir = lastDir;
  }, 120_000);

  it("creates Cloud SQL for PostgreSQL on a private IP only, CMEK, backups with point-in-time recovery kept after a delete, protected", () => {
    expect(t.resource(SQL, "tracking_database")).toMatchObject({
      name: "fraud-default-mlflow",
      region: "us-central1",
      database_version: "POSTGRES_16",
      encryption_key_name: KEY,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
      settings: {
        tier: "db-custom-1-3840",
        availability_type: "ZONAL",
        ip_configuration: { ipv4_enabled: false, private_network: "${google_compute_network.network.id}", ssl_mode: "ENCRYPTED_ONLY" },
        backup_configuration: { enabled: true, point_in_time_recovery_enabled: true },
        retain_backups_on_delete: true,
      },
    });
    expect(t.resource(SQL, "tracking_database").depends_on).toContain("google_service_networking_connection.tracking_database_psa");
    expect(t.resource("google_compute_global_address", "tracking_database_psa-range")).toMatchObject({ purpose: "VPC_PEERING", address_type: "INTERNAL", prefix_length: 20 });
    expect(t.resource("google_service_networking_connection", "tracking_database_psa")).toMatchObject({
      service: "servicenetworking.googleapis.com",
      reserved_peering_ranges: ["${google_compute_global_address.tracking_database_psa-range.name}"],
      deletion_policy: "ABANDON",
    });
  });

  it("guards the database: data-loss guard, deletion guard lifted only by destroy, and the large size is regional", async () => {
    expect(DATA_BEARING_TYPES.has(SQL)).toBe(true);
    expect(DELETION_GUARDS[SQL]).toBe("deletion_protection");
    // What mlplat destroy lifts with a targeted apply before destroying (src/engine/destroy.ts).
    expect(deletionGuardedResources(baseDir)).toEqual(["google_container_cluster.cluster", "google_sql_database_instance.tracking_database"]);
    const large = await synth("large", (s) => (s.tracking.mlflow.size = "large"));
    expect(large.resource(SQL, "tracking_database").settings).toMatchObject({ tier: "db-custom-4-15360", availability_type: "REGIONAL" });
    // The size never renames the instance (Cloud SQL names are not reusable for a week).
    expect(large.resource(SQL, "tracking_database").name).toBe("fraud-default-mlflow");
    // Day 2: a new size changes the tier and availability in place; nothing is replaced or deleted.
    expect(jsonImpact(t.json, large.json).filter((i) => i.type === SQL || i.type === RUN)).toEqual([]);
  }, 120_000);

  it("never writes the database password to the configuration: uuid() through write-only arguments only", () => {
    expect(t.json.locals).toEqual({ "tracking_database_password-value": "${uuid()}" });
    expect(t.resource("google_sql_user", "tracking_database_user")).toMatchObject({
      name: "mlflow",
      type: "BUILT_IN",
      deletion_policy: "ABANDON",
      password_wo: "${local.tracking_database_password-value}",
      password_wo_version: 1,
    });
    expect(t.resource("google_sql_user", "tracking_database_user").password).toBeUndefined();
    expect(t.resource("google_secret_manager_secret_version", "tracking_database_password-version")).toMatchObject({
      secret_data_wo: "${local.tracking_database_password-value}",
      secret_data_wo_version: 1,
    });
    expect(t.resource("google_secret_manager_secret", "tracking_database_password").replication).toEqual({
      user_managed: { replicas: [{ location: "us-central1", customer_managed_encryption: { kms_key_name: KEY } }] },
    });
    expect(unsafeExpressions(t.json)).toEqual([]);
  });

  it("runs MLflow on Cloud Run: internal ingress only, CMEK, Direct VPC egress to private ranges, the pinned image through the ghcr.io remote repository", () => {
    const s = t.resource(RUN, "tracking");
    expect(s).toMatchObject({ name: "fraud-default-mlflow", ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", template: { encryption_key: KEY, service_account: "${google_service_account.tracking_identity.email}" } });
    expect(s.template.vpc_access).toEqual({ network_interfaces: [{ network: "${google_compute_network.network.id}", subnetwork: "${google_compute_subnetwork.network_nodes.id}" }], egress: "PRIVATE_RANGES_ONLY" });
    const c = s.template.containers[0];
    expect(c.image).toBe("us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-ghcr/mlflow/mlflow:v3.14.0-full");
    expect(c.args[0]).toContain('--backend-store-uri "postgresql://mlflow:$DB_PASSWORD@$DB_HOST:5432/mlflow?sslmode=require"');
    expect(c.env).toEqual([
      { name: "DB_HOST", value: "${google_sql_database_instance.tracking_database.private_ip_address}" },
      { name: "DB_PASSWORD", value_source: { secret_key_ref: { secret: "${google_secret_manager_secret.tracking_database_password.secret_id}", version: "latest" } } },
      { name: "ARTIFACTS_DESTINATION", value: expect.stringMatching(/^gs:\/\/fraud-default-models-[a-z0-9]{6}\/mlflow\/$/) },
    ]);
    expect(t.resource("google_artifact_registry_repository", "tracking_images")).toMatchObject({
      mode: "REMOTE_REPOSITORY",
      format: "DOCKER",
      kms_key_name: KEY,
      remote_repository_config: { docker_repository: { custom_repository: { uri: "https://ghcr.io" } } },
    });
  });

  it("gives the server's identity the artifact bucket, its password secret and log/metric writing only (policy: least privilege)", () => {
    const member = "${google_service_account.tracking_identity.member}";
    expect(t.resource("google_storage_bucket_iam_member", "tracking_artifacts")).toEqual(
      expect.objectContaining({ bucket: "${google_storage_bucket.storage_models.name}", role: "roles/storage.objectUser", member }),
    );
    expect(t.resource("google_secret_manager_secret_iam_member", "tracking_password-reader")).toMatchObject({ role: "roles/secretmanager.secretAccessor", member });
    const project = Object.entries(t.resources("google_project_iam_member")).filter(([id]) => id.startsWith("tracking_"));
    expect(project.map(([, g]) => g.role).sort()).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter"]);
  });

  it("lets the workspace users and their notebooks invoke the server, and nobody else (roles/run.invoker on this service)", () => {
    const inv = Object.entries(t.resources("google_cloud_run_v2_service_iam_member")).filter(([id]) => id.startsWith("tracking_"));
    expect(inv.map(([id, r]) => [id, r.role, r.member]).sort()).toEqual([
      ["tracking_invoker-alice", "roles/run.invoker", "user:alice@example.com"],
      ["tracking_invoker-nb-alice", "roles/run.invoker", "${google_service_account.workspaces_alice_identity.member}"],
    ]);
  });

  it("grants no invoker without workspaces (the output says who needs roles/run.invoker)", async () => {
    const alone = await synth("alone", (s) => delete s.workspaces);
    expect(Object.keys(alone.resources("google_cloud_run_v2_service_iam_member")).filter((id) => id.startsWith("tracking_"))).toEqual([]);
    expect(alone.json.output.tracking_uri.description).toContain("roles/run.invoker");
  }, 120_000);

  it("encrypts with a tracking key granted to the Cloud SQL, Secret Manager, Cloud Run and Artifact Registry agents, and enables the APIs", () => {
    for (const a of ["cloud-sql-agent", "secret-manager-agent", "cloud-run-agent", "artifact-registry-agent"]) t.resource("google_kms_crypto_key_iam_member", `kms_tracking-${a}`);
    for (const api of ["sqladmin", "servicenetworking", "secretmanager", "run", "artifactregistry"]) {
      expect(t.resource("google_project_service", `project_${api}`).service).toBe(`${api}.googleapis.com`);
    }
  });

  it("outputs the tracking URI and how to authenticate", () => {
    expect(t.json.output.tracking_uri.value).toBe("${google_cloud_run_v2_service.tracking.uri}");
    expect(t.json.output.tracking_uri.description).toContain("MLFLOW_TRACKING_TOKEN=$(gcloud auth print-identity-token)");
  });
});
