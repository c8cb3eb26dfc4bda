import { sectionOf } from "../terraform/addresses.js";
import { findDisruptions, type Disruption } from "./disruption.js";
import type { ChangeAction, PlannedChanges } from "../terraform/plan-stream.js";
import { reviewList, sectionRank, type ReviewedChange } from "./review.js";
import { rootCompare } from "../util/collate.js";

/**
 * Resource types whose loss loses data or something that cannot be recreated as it was
 * (objects, keys and what they encrypt, images, registered models). Destroying or replacing one
 * is what the data-loss guard refuses.
 */
export const DATA_BEARING_TYPES: ReadonlySet<string> = new Set([
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_sagemaker_model_package_group",
  "google_storage_bucket",
  "google_kms_crypto_key",
  "google_kms_key_ring",
  "google_artifact_registry_repository",
  "azurerm_storage_account",
  "azurerm_storage_container",
  "azurerm_key_vault",
  "azurerm_key_vault_key",
  "azurerm_container_registry",
  "azurerm_machine_learning_workspace",
  // A Vertex AI Workbench instance deletes its data disk (the user's /home/jupyter) with it.
  "google_workbench_instance",
  // The MLflow tracking database on gcp (experiments, runs, metrics).
  "google_sql_database_instance",
  // A replaced SageMaker domain gets a new home EFS: the old one is retained (RetentionPolicy
  // Retain) but no profile mounts it any more, so every user's home folder is lost to them.
  "aws_sagemaker_domain",
  // The MLflow server's metadata store (experiments, runs, metrics, registered models) goes with it;
  // only the artifacts stay in the bucket.
  "aws_sagemaker_mlflow_tracking_server",
]);

export interface Counts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
}

export interface DataLoss {
  readonly address: string;
  readonly action: "delete" | "replace";
  /** Blueprint section, from the address (src/terraform/addresses.ts). */
  readonly section: string;
  /** Blueprint item name (bucket, repository…), or the resource name when it has none. */
  readonly name: string;
}

export interface PlanSummary extends Counts {
  /** Counts per blueprint section, in blueprint order. */
  readonly sections: Record<string, Counts>;
  readonly dataLoss: DataLoss[];
  /**
   * Clusters, node pools with nodes, endpoints in service, network and keys the plan replaces or
   * destroys (src/engine/disruption.ts), with the attributes forcing each replacement once the
   * saved plan was shown (stack-plan.ts); what `--allow-disruption` lets through.
   */
  readonly disruptions: Disruption[];
  /**
   * Every resource the plan changes, by section, replacements and deletions first, with the
   * attributes forcing each replacement once the saved plan was shown (src/engine/review.ts).
   */
  readonly resources: ReviewedChange[];
  /** Whether applying would change anything (resources or outputs), as `-detailed-exitcode` means it. */
  readonly changes: boolean;
  /** The remote run's page (spec.state.backend: hcp): `https://app.terraform.io/app/<org>/<workspace>/runs/run-…`. */
  readonly runUrl?: string;
}

export type ChangeKind = keyof Counts | "none";

/** The kind of a planned change from its machine-readable UI action. */
export function kindOf(action: ChangeAction): ChangeKind {
  switch (action) {
    case "create":
      return "add";
    case "update":
      return "change";
    case "delete":
      return "destroy";
    case "replace":
      return "replace";
    default:
      // noop, read (data sources), move and import without changes, remove (a removed block
      // forgets the object, which stays): nothing is lost.
      return "none";
  }
}

export function summarizePlan(plan: PlannedChanges): PlanSummary {
  const total: Counts = { add: 0, change: 0, destroy: 0, replace: 0 };
  const sections: Record<string, Counts> = {};
  const dataLoss: DataLoss[] = [];
  for (const rc of plan.resources) {
    if (rc.mode === "data") continue;
    const kind = kindOf(rc.action);
    if (kind === "none") continue;
    const { section, item } = sectionOf(rc.address);
    total[kind] += 1;
    (sections[section] ??= { add: 0, change: 0, destroy: 0, replace: 0 })[kind] += 1;
    if ((kind === "destroy" || kind === "replace") && DATA_BEARING_TYPES.has(rc.type)) {
      dataLoss.push({ address: rc.address, action: kind === "destroy" ? "delete" : "replace", section, name: item ?? rc.name });
    }
  }
  const outputsChange = Object.values(plan.outputs).some((a) => a !== "noop");
  const changes = total.add + total.change + total.destroy + total.replace > 0 || outputsChange;
  const ordered = Object.fromEntries(
    Object.entries(sections).sort(([a], [b]) => {
      const [ra, na] = sectionRank(a);
      const [rb, nb] = sectionRank(b);
      return ra - rb || rootCompare(na, nb);
    }),
  );
  // A key (or key vault) is data-bearing too: the data-loss guard already lists and refuses it.
  const lost = new Set(dataLoss.map((d) => d.address));
  const disruptions = findDisruptions(plan.resources).filter((d) => !lost.has(d.address));
  return { ...total, sections: ordered, resources: reviewList(plan), dataLoss, disruptions, changes };
}
