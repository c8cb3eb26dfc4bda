import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key/index.js";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring/index.js";
import { TerraformStack, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * Customer-managed encryption keys: one regional key ring, one symmetric key per purpose
 * (`storage`, `registry`, `cluster`, `serving`), rotated, and the grants that let each
 * service's Google-managed service agent use its key.
 *
 * GCP never deletes key rings or keys. `terraform destroy` only forgets the ring and
 * schedules the key versions for destruction (after `destroyScheduledDuration`); a later
 * deploy with the same names then fails with "already exists". So:
 *  - names are stable (derived from platform and environment only);
 *  - protected keys (the resolver protects all of them) and the ring carry `prevent_destroy`:
 *    `mlplat destroy` keeps them under management, and the next deploy simply reuses them;
 *  - after `destroy --allow-data-loss` (which lifts the protection), `importCommands` (the
 *    `kms_import_commands` output) lists the exact `terraform import` commands for the ring
 *    and keys, and the versions scheduled for destruction are restored with
 *    `gcloud kms keys versions restore` within that window (or a new primary version is made).
 *
 * Construct ids are API: the ring is `Resource`, keys are named after their purpose, grants
 * `<purpose>-<agent>`.
 */
export type KeyPurpose = "storage" | "registry" | "cluster" | "serving" | "workspaces" | "tracking" | "pipelines";

export interface GcpKmsConstructProps {
  readonly project: string;
  readonly region: string;
  /** Project number, for service agent e-mails. */
  readonly projectNumber: string;
  readonly keyRingName: string;
  readonly keys: readonly { readonly id: KeyPurpose; readonly name: string; readonly protect: boolean }[];
  /** Rotation period with unit, e.g. `7776000s`. */
  readonly rotationPeriod: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * How long destroyed key versions stay restorable.
   * @default "2592000s" (30 days)
   */
  readonly destroyScheduledDuration?: string;
  /**
   * Resources the key ring waits for (the Cloud KMS API).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * What a grant to the agent of `api` waits for: the `google_project_service_identity` of
   * agents created just in time (Artifact Registry), see ServiceAgents.
   * @default - no wait beyond `dependsOn`
   */
  readonly agentDependency?: (api: string) => ITerraformDependable[];
}

/**
 * The service agents that encrypt with each key, by short name → e-mail domain. `jit`: the agent
 * is created just in time (on first use of the service), so the grant waits for its
 * `google_project_service_identity` (`agentDependency`). The others exist once their API is
 * enabled (GKE, Compute Engine, Cloud Run), which `dependsOn` covers. The member stays the
 * computed e-mail (known at plan time) rather than the identity's `member` attribute: a v0.1
 * deployment already has these grants, and an unknown member would replace them.
 */
const AGENTS: Readonly<Record<KeyPurpose, readonly { readonly name: string; readonly domain?: string; readonly jit?: string }[]>> = {
  // The GCS agent comes from a data source that also creates it if the project has none yet.
  storage: [{ name: "gcs-agent" }],
  registry: [{ name: "artifact-registry-agent", domain: "gcp-sa-artifactregistry.iam.gserviceaccount.com", jit: "artifactregistry.googleapis.com" }],
  cluster: [
    // GKE encrypts Secrets in etcd (application-layer database encryption).
    { name: "gke-agent", domain: "container-engine-robot.iam.gserviceaccount.com" },
    // Compute Engine encrypts the nodes' boot disks.
    { name: "compute-agent", domain: "compute-system.iam.gserviceaccount.com" },
  ],
  serving: [{ name: "cloud-run-agent", domain: "serverless-robot-prod.iam.gserviceaccount.com" }],
  // Retraining pipelines: the launcher workflows (https://cloud.google.com/workflows/docs/use-cmek),
  // the alarm topics (https://cloud.google.com/pubsub/docs/encryption) and the Vertex AI pipeline
  // runs (https://cloud.google.com/vertex-ai/docs/general/cmek); the agents are made first.
  pipelines: [
    { name: "workflows-agent", domain: "gcp-sa-workflows.iam.gserviceaccount.com", jit: "workflows.googleapis.com" },
    { name: "pubsub-agent", domain: "gcp-sa-pubsub.iam.gserviceaccount.com", jit: "pubsub.googleapis.com" },
    { name: "vertex-agent", domain: "gcp-sa-aiplatform.iam.gserviceaccount.com", jit: "aiplatform.googleapis.com" },
  ],
  // Workbench notebooks' boot and data disks: the Compute Engine agent attaches them, the
  // Notebooks agent (created just in time) creates them.
  workspaces: [
    { name: "compute-agent", domain: "compute-system.iam.gserviceaccount.com" },
    { name: "notebooks-agent", domain: "gcp-sa-notebooks.iam.gserviceaccount.com", jit: "notebooks.googleapis.com" },
  ],
  // The MLflow server: its Cloud SQL database, the database password's secret, its Cloud Run
  // revision and the pull-through image repository (the last three agents exist once their API is
  // enabled or are made just in time).
  tracking: [
    { name: "cloud-sql-agent", domain: "gcp-sa-cloud-sql.iam.gserviceaccount.com", jit: "sqladmin.googleapis.com" },
    { name: "secret-manager-agent", domain: "gcp-sa-secretmanager.iam.gserviceaccount.com", jit: "secretmanager.googleapis.com" },
    { name: "cloud-run-agent", domain: "serverless-robot-prod.iam.gserviceaccount.com" },
    { name: "artifact-registry-agent", domain: "gcp-sa-artifactregistry.iam.gserviceaccount.com", jit: "artifactregistry.googleapis.com" },
  ],
};

export class GcpKms extends Construct {
  readonly keyRing: KmsKeyRing;
  readonly keys: Partial<Record<KeyPurpose, KmsCryptoKey>>;
  /** Grants per purpose: whatever encrypts with a key depends on them. */
  readonly grants: Partial<Record<KeyPurpose, KmsCryptoKeyIamMember[]>>;
  /** `terraform import` commands for the ring and keys after a destroy (see the file comment). */
  readonly importCommands: string[];

  constructor(scope: Construct, id: string, props: GcpKmsConstructProps) {
    super(scope, id);
    const destroyScheduledDuration = props.destroyScheduledDuration ?? "2592000s";
    this.keyRing = new KmsKeyRing(this, "Resource", {
      project: props.project,
      name: props.keyRingName,
      location: props.region,
      // A ring is never deleted by GCP; protected with its keys so a destroy keeps it in state.
      lifecycle: props.keys.some((k) => k.protect) ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    const stack = TerraformStack.of(this);
    const ringId = `projects/${props.project}/locations/${props.region}/keyRings/${props.keyRingName}`;
    this.importCommands = [`terraform import google_kms_key_ring.${stack.getLogicalId(this.keyRing)} ${ringId}`];

    let gcsAgent: string | undefined;
    this.keys = {};
    this.grants = {};
    for (const k of props.keys) {
      const key = new KmsCryptoKey(this, k.id, {
        name: k.name,
        keyRing: this.keyRing.id,
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: props.rotationPeriod,
        destroyScheduledDuration,
        versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "SOFTWARE" },
        labels: { ...props.labels },
        // Data is only as durable as its key: destroying the key's versions makes every
        // object, image or secret it encrypted unreadable.
        lifecycle: k.protect ? { preventDestroy: true } : undefined,
      });
      this.keys[k.id] = key;
      this.importCommands.push(`terraform import google_kms_crypto_key.${stack.getLogicalId(key)} ${ringId}/cryptoKeys/${k.name}`);
      this.grants[k.id] = AGENTS[k.id].map((agent) => {
        let email: string;
        if (agent.domain) {
          email = `service-${props.projectNumber}@${agent.domain}`;
        } else {
          gcsAgent ??= new DataGoogleStorageProjectServiceAccount(this, "gcs-agent", { project: props.project }).emailAddress;
          email = gcsAgent;
        }
        return new KmsCryptoKeyIamMember(this, `${k.id}-${agent.name}`, {
          cryptoKeyId: key.id,
          role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
          member: `serviceAccount:${email}`,
          dependsOn: agent.jit && props.agentDependency ? props.agentDependency(agent.jit) : undefined,
        });
      });
    }
  }
}
