import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address/index.js";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version/index.js";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection/index.js";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance/index.js";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database/index.js";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user/index.js";
import { Fn, TerraformLocal, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * The MLflow backend store on GCP: Cloud SQL for PostgreSQL on a private IP only (private services
 * access on the platform network), CMEK, automated backups with point-in-time recovery kept after a
 * delete, `deletion_protection` (lifted by `mlplat destroy --allow-data-loss` only, like the GKE
 * cluster: src/terraform/deletion-protection.ts) and `prevent_destroy`; the data-loss guard lists
 * `google_sql_database_instance`.
 *
 * The password: the stack has no random provider, so it is Terraform's `uuid()` (122 random bits)
 * held in a local and written through write-only arguments (`password_wo` of the SQL user,
 * `secret_data_wo` of a Secret Manager version, both `*_wo_version = 1`): it is sent once at
 * creation and never stored in the state or the plan; the Cloud Run service reads it from the
 * secret. Later applies evaluate `uuid()` again but send nothing while the versions stay at 1.
 * IAM database authentication was the alternative: on PostgreSQL 15+ a Cloud SQL IAM user cannot
 * create tables in the `public` schema of a database the API created, and nothing in Terraform can
 * grant it, so MLflow's migrations could not run.
 *
 * Construct ids are API: `psa-range`, `psa`, `Resource` (the instance), `database`, `user`,
 * `password`, `password-version`.
 */
export interface MlflowDatabaseProps {
  readonly project: string;
  readonly region: string;
  readonly instanceName: string;
  /** `db-custom-1-3840`, … */
  readonly tier: string;
  /** ZONAL or REGIONAL. */
  readonly availabilityType: "ZONAL" | "REGIONAL";
  readonly networkId: string;
  readonly pscRangeName: string;
  readonly secretId: string;
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Cloud SQL, Secret Manager and Service Networking APIs and the key grants. */
  readonly dependsOn?: ITerraformDependable[];
}

/** The database and its login user: MLflow's migrations create the tables at first start. */
export const MLFLOW_DB = { database: "mlflow", user: "mlflow" } as const;

export class MlflowDatabase extends Construct {
  readonly instance: SqlDatabaseInstance;
  readonly secret: SecretManagerSecret;

  constructor(scope: Construct, id: string, props: MlflowDatabaseProps) {
    super(scope, id);
    const range = new ComputeGlobalAddress(this, "psa-range", {
      project: props.project,
      name: props.pscRangeName,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      // Google picks a free /20 in the network (Cloud SQL's recommended size for the range).
      prefixLength: 20,
      network: props.networkId,
      dependsOn: props.dependsOn,
    });
    const psa = new ServiceNetworkingConnection(this, "psa", {
      network: props.networkId,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      // Deleting the peering fails while Google still holds producer resources in it (a Cloud SQL
      // instance deleted minutes before); abandoning leaves the peering, which costs nothing.
      deletionPolicy: "ABANDON",
    });

    this.instance = new SqlDatabaseInstance(this, "Resource", {
      project: props.project,
      region: props.region,
      name: props.instanceName,
      databaseVersion: "POSTGRES_16",
      encryptionKeyName: props.kmsKeyId,
      deletionProtection: true,
      settings: {
        tier: props.tier,
        edition: "ENTERPRISE",
        availabilityType: props.availabilityType,
        diskType: "PD_SSD",
        diskAutoresize: true,
        userLabels: { ...props.labels },
        ipConfiguration: { ipv4Enabled: false, privateNetwork: props.networkId, sslMode: "ENCRYPTED_ONLY" },
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: 7,
          backupRetentionSettings: { retainedBackups: 14, retentionUnit: "COUNT" },
        },
        // Backups outlive the instance: a deleted tracking database can still be restored.
        retainBackupsOnDelete: true,
      },
      lifecycle: { preventDestroy: true },
      dependsOn: [psa, ...(props.dependsOn ?? [])],
    });
    // Both abandoned on delete: PostgreSQL refuses to drop a role that owns MLflow's tables (the
    // provider's documented reason for deletion_policy = ABANDON on google_sql_user), and they go
    // with the instance anyway, which only destroy --allow-data-loss deletes.
    new SqlDatabase(this, "database", { project: props.project, instance: this.instance.name, name: MLFLOW_DB.database, deletionPolicy: "ABANDON" });

    const password = new TerraformLocal(this, "password-value", Fn.uuid());
    new SqlUser(this, "user", {
      project: props.project,
      instance: this.instance.name,
      name: MLFLOW_DB.user,
      type: "BUILT_IN",
      deletionPolicy: "ABANDON",
      passwordWo: password.asString,
      passwordWoVersion: 1,
    });
    this.secret = new SecretManagerSecret(this, "password", {
      project: props.project,
      secretId: props.secretId,
      labels: { ...props.labels },
      replication: { userManaged: { replicas: [{ location: props.region, customerManagedEncryption: { kmsKeyName: props.kmsKeyId } }] } },
      dependsOn: props.dependsOn,
    });
    new SecretManagerSecretVersion(this, "password-version", {
      secret: this.secret.id,
      secretDataWo: password.asString,
      secretDataWoVersion: 1,
    });
  }
}
