import { NAME_RULES, type NameRules } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";
import { rootCompare } from "../../util/collate.js";

/**
 * GCP naming rules and fixed settings: name limits per resource type, label and IAM-member
 * conversion. Names are API: they become GCP resource names, and changing one replaces the
 * resource (for KMS key rings and keys it creates a new one: GCP never deletes those).
 */

export const GCP_NAME_RULES = {
  /** GKE cluster: 1-40 chars, lowercase letters, digits, hyphens, starts with a letter. */
  gkeCluster: { maxLength: 40, separator: "-" },
  /** GKE node pool: 1-40 chars, same alphabet. */
  gkeNodePool: { maxLength: 40, separator: "-" },
  /** Service account ids: 6-30 chars, `[a-z][a-z0-9-]{4,28}[a-z0-9]`. */
  serviceAccount: { maxLength: 30, minLength: 6, separator: "-" },
  /** Artifact Registry repository ids: up to 63, lowercase letters, digits, hyphens. */
  artifactRepository: { maxLength: 63, separator: "-" },
  /** Cloud Run service names: up to 49 chars (the rest of 63 is the revision suffix). */
  cloudRunService: { maxLength: 49, separator: "-" },
  /** KMS key rings and keys: up to 63 of `[a-zA-Z0-9_-]`. */
  kms: { maxLength: 63, separator: "-" },
  /** VPC, subnet, router, NAT: RFC 1035, up to 63. */
  compute: NAME_RULES.dns63,
} as const satisfies Record<string, NameRules>;

/** KMS keys rotate every 90 days. */
export const KMS_ROTATION_SECONDS = 90 * 24 * 3600;
/** GCS soft delete: 7 days, the GCS default, set explicitly so it is visible and stable. */
export const SOFT_DELETE_SECONDS = 7 * 24 * 3600;

/**
 * Admin principals as IAM members: prefixes kept; a bare e-mail is a user (as the blueprint
 * validation documents it), or a service account when it has the service-account domain.
 */
export function iamMember(principal: string): string {
  if (/^(user|group|serviceAccount|domain|principal|principalSet):/.test(principal)) return principal;
  if (/^[^@\s]+@[^@\s]+$/.test(principal)) {
    return principal.endsWith(".iam.gserviceaccount.com") ? `serviceAccount:${principal}` : `user:${principal}`;
  }
  throw new MlplatError("MLP_GCP_ADMIN_PRINCIPAL", `cluster admin ${JSON.stringify(principal)} is not a Google principal`, {
    hint: "use group:<email>, user:<email> or serviceAccount:<email> (a bare e-mail is taken as a user)",
  });
}

/**
 * GCP label rules: keys 1-63 chars starting with a lowercase letter, keys and values only
 * lowercase letters, digits, `_` and `-`, values up to 63 (may be empty), at most 64 labels.
 * `owner: risk-ml@example.com` becomes `owner: risk-ml_example_com`.
 */
export function gcpLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    let key = k.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    if (!/^[a-z]/.test(key)) key = ("x" + key).slice(0, 63);
    const value = v.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    if (key in out && from[key] !== k) {
      throw new MlplatError("MLP_GCP_LABEL_COLLISION", `labels ${from[key]} and ${k} both become the GCP label key ${key}`, {
        hint: "rename one of metadata.labels",
      });
    }
    out[key] = value;
    from[key] = k;
  }
  if (Object.keys(out).length > 64) {
    throw new MlplatError("MLP_GCP_LABEL_COUNT", `GCP resources take at most 64 labels, the platform has ${Object.keys(out).length}`, {
      hint: "remove some of metadata.labels",
    });
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => rootCompare(a, b)));
}
