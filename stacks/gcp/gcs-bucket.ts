import { StorageBucket, type StorageBucketLifecycleRule } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * One GCS bucket, secure by default: CMEK, uniform bucket-level access (no ACLs), public access
 * prevention enforced, versioning, soft delete, lifecycle tiering/expiry, and for protected
 * buckets `prevent_destroy` and never `force_destroy`.
 *
 * Construct id (the blueprint bucket name) and `name` are API: changing either replaces the
 * bucket, and with it the data.
 */
/** Days a noncurrent object version is kept (recovery window for overwrites and deletes). */
export const NONCURRENT_VERSION_DAYS = 30;

export interface GcsBucketProps {
  readonly project: string;
  /** Bucket location: the platform's region. */
  readonly region: string;
  /** Globally unique bucket name. */
  readonly name: string;
  /** `projects/…/cryptoKeys/…` id of the CMEK key. */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Keep noncurrent object versions.
   * @default true
   */
  readonly versioning?: boolean;
  /**
   * Move objects to NEARLINE after this many days.
   * @default - never
   */
  readonly nearlineAfterDays?: number;
  /**
   * Move objects to ARCHIVE after this many days.
   * @default - never
   */
  readonly archiveAfterDays?: number;
  /**
   * Delete objects (current and noncurrent versions) this many days after creation.
   * @default - never
   */
  readonly deleteAfterDays?: number;
  /**
   * `prevent_destroy` on the bucket; `force_destroy` is never set either way.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * How long deleted objects stay restorable, in seconds (0 turns soft delete off).
   * @default 604800 (7 days)
   */
  readonly softDeleteRetentionSeconds?: number;
  /**
   * Versioned buckets: days after an object version becomes noncurrent before it is deleted;
   * 0 keeps noncurrent versions forever.
   * @default 30
   */
  readonly noncurrentVersionsExpireAfterDays?: number;
  /**
   * What the bucket waits for: the grant that lets the GCS agent use the key.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GcsBucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: GcsBucketProps) {
    super(scope, id);
    const versioning = props.versioning ?? true;
    const protect = props.protect ?? true;
    const softDelete = props.softDeleteRetentionSeconds ?? 604800;
    if (props.nearlineAfterDays !== undefined && props.archiveAfterDays !== undefined && props.archiveAfterDays <= props.nearlineAfterDays) {
      throw new Error(`bucket ${id}: archiveAfterDays (${props.archiveAfterDays}) must be after nearlineAfterDays (${props.nearlineAfterDays})`);
    }

    const rules: StorageBucketLifecycleRule[] = [];
    if (props.nearlineAfterDays !== undefined) {
      rules.push({
        action: { type: "SetStorageClass", storageClass: "NEARLINE" },
        condition: { age: props.nearlineAfterDays, matchesStorageClass: ["STANDARD"] },
      });
    }
    if (props.archiveAfterDays !== undefined) {
      rules.push({
        action: { type: "SetStorageClass", storageClass: "ARCHIVE" },
        condition: { age: props.archiveAfterDays, matchesStorageClass: ["STANDARD", "NEARLINE"] },
      });
    }
    if (props.deleteAfterDays !== undefined) {
      rules.push({ action: { type: "Delete" }, condition: { age: props.deleteAfterDays, withState: "ANY" } });
    }
    const noncurrentDays = props.noncurrentVersionsExpireAfterDays ?? NONCURRENT_VERSION_DAYS;
    if (versioning && noncurrentDays > 0) {
      // Versioning keeps every overwritten or deleted object forever (and bills for it) unless
      // noncurrent versions expire: they go this many days after they stopped being current.
      rules.push({ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: noncurrentDays, withState: "ARCHIVED" } });
    }

    this.bucket = new StorageBucket(this, "Resource", {
      project: props.project,
      name: props.name,
      location: props.region.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      versioning: { enabled: versioning },
      encryption: { defaultKmsKeyName: props.kmsKeyId },
      softDeletePolicy: { retentionDurationSeconds: softDelete },
      lifecycleRule: rules.length > 0 ? rules : undefined,
      labels: { ...props.labels },
      lifecycle: protect ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
  }
}
