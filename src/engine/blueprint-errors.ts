import { BlueprintLocator } from "../blueprint/field-location.js";
import { formatPath, type FieldPath } from "../blueprint/diagnostics.js";
import { sectionOf } from "../terraform/addresses.js";
import { stripAnsi, uiMessageText } from "../terraform/failure.js";
import { TerraformError } from "../util/errors.js";

/**
 * Terraform failures whose cause is a blueprint value, mapped back to that field at its line
 * (issue 15, item 6). A small table: a pattern on terraform's error text (stderr and the `-json`
 * diagnostics), the field it points at (fixed, or the bucket/pool/endpoint named by the
 * failing resource's address, src/terraform/addresses.ts) and a hint. The error stays a
 * terraform failure (MLP_TERRAFORM_FAILED, exit 3); it gains the blueprint location and the hint.
 */
interface Cause {
  readonly id: string;
  readonly pattern: RegExp;
  /** The field, from the failing resource's address when the cause is an item. */
  readonly field: (address: string | undefined, at: BlueprintLocator) => FieldPath | undefined;
  readonly hint: string;
}

const ITEM_LISTS: Record<string, FieldPath> = {
  storage: ["spec", "storage", "buckets"],
  cluster: ["spec", "cluster", "nodePools"],
  serving: ["spec", "serving", "endpoints"],
};

/** The blueprint item (bucket, pool, endpoint) the failing resource belongs to, else its section's list. */
function itemOf(address: string | undefined, at: BlueprintLocator, section?: string): FieldPath | undefined {
  if (!address) return section ? ITEM_LISTS[section] : undefined;
  const { section: s, item } = sectionOf(address);
  const list = ITEM_LISTS[s];
  if (!list || (section && s !== section)) return section ? ITEM_LISTS[section] : undefined;
  return (item && at.itemPath(list, item)) || list;
}

const fixed = (path: FieldPath) => () => path;

/** Checked in order; the first match wins. Error texts as the providers print them (sources in each hint's comment). */
export const CAUSES: readonly Cause[] = [
  {
    // aws-sdk-go-base (hashicorp/aws 5.x) when the credentials' account is not allowed_account_ids.
    id: "aws-account",
    pattern: /AWS account ID not allowed: ?(\d*)/,
    field: fixed(["spec", "aws", "accountId"]),
    hint: "the credentials belong to another AWS account than spec.aws.accountId (or it still holds a placeholder such as 123456789012). Set it to the account the credentials are for (`aws sts get-caller-identity`), or sign in to that account.",
  },
  {
    id: "aws-region",
    pattern: /invalid AWS Region: \S*/,
    field: fixed(["spec", "region"]),
    hint: "spec.region is not a region this AWS provider knows; `mlplat catalog regions --cloud aws` lists them.",
  },
  {
    // GCP: https://cloud.google.com/resource-manager/docs/creating-managing-projects (project ids); Error 403/404 on the project.
    id: "gcp-project",
    pattern: /(project|Project) [`'"]?[a-z][a-z0-9-]{4,28}[a-z0-9][`'"]? (does not exist|not found|has been deleted)|Permission denied on resource project|CONSUMER_INVALID/,
    field: fixed(["spec", "gcp", "project"]),
    hint: "spec.gcp.project names a project that does not exist or that these credentials cannot use. Set it to your project id (`gcloud projects list`).",
  },
  {
    id: "gcp-billing",
    pattern: /[Bb]illing account .*(not found|does not exist|is not open|is closed)|BILLING_DISABLED|billing to be enabled/,
    field: fixed(["spec", "gcp", "billingAccount"]),
    hint: "spec.gcp.billingAccount is not an open billing account these credentials can use (`gcloud billing accounts list`).",
  },
  {
    // Azure Resource Manager error codes: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
    id: "azure-subscription",
    pattern: /SubscriptionNotFound|InvalidSubscriptionId|subscription .* (could not be found|was not found)/i,
    field: fixed(["spec", "azure", "subscriptionId"]),
    hint: "spec.azure.subscriptionId is not a subscription these credentials can use (`az account list -o table`).",
  },
  {
    id: "region",
    pattern: /LocationNotAvailableForResourceType|NoRegisteredProviderFound|Unknown region|Invalid value for field 'region'|location .* is not (available|supported)/i,
    field: fixed(["spec", "region"]),
    hint: "spec.region does not offer one of the platform's resources; `mlplat catalog regions` lists the regions mlplat knows, and the catalog commands what each offers.",
  },
  {
    // S3 CreateBucket 409 BucketAlreadyExists/OwnedByYou; GCS 409 "bucket name is not available"; Azure StorageAccountAlreadyTaken.
    id: "bucket-name-taken",
    pattern: /BucketAlreadyExists|BucketAlreadyOwnedByYou|requested bucket name is not available|you already own it|StorageAccountAlreadyTaken/i,
    field: (address, at) => itemOf(address, at, "storage"),
    hint:
      "bucket names are global across the cloud, and this one's is taken: the same platform and environment deployed from another state (another --state-dir or machine), " +
      "or a bucket of that name deleted recently (the cloud holds the name for a while). Import or remove the other, or rename the bucket (or metadata.name) for a new name.",
  },
  {
    // SageMaker ResourceLimitExceeded; EC2 VcpuLimitExceeded in a node group's launch failures; GCE/Cloud Run quotaExceeded; Azure QuotaExceeded.
    id: "quota",
    pattern: /ResourceLimitExceeded|VcpuLimitExceeded|LimitExceededException|QUOTA_EXCEEDED|quotaExceeded|Quota '[^']+' exceeded|QuotaExceeded|exceeding approved .* quota/,
    field: (address, at) => itemOf(address, at),
    hint: "a cloud quota is below what this item needs. `mlplat quota <file>` lists each quota the platform draws on with the page and command that raise it; or lower the item's max or choose another instance type or GPU.",
  },
];

export interface BlueprintCause {
  readonly id: string;
  readonly path: FieldPath;
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  readonly source?: string;
  readonly hint: string;
}

/** The failure's text and the failing resource's address, from stderr lines and `-json` diagnostics. */
function failureText(err: TerraformError): { text: string; addresses: string[] } {
  const parts = [stripAnsi(err.details ?? "")];
  const addresses: string[] = [];
  for (const m of err.uiMessages) {
    const d = (m as { type?: string; diagnostic?: { severity?: string; address?: string } } | null) ?? {};
    if (d.type !== "diagnostic" || d.diagnostic?.severity === "warning") continue;
    parts.push(uiMessageText(m) ?? "");
    if (d.diagnostic?.address) addresses.push(d.diagnostic.address);
  }
  for (const m of parts.join("\n").matchAll(/^\s*with ((?:module\.[^.\s]+\.)*[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?),?$/gm)) addresses.push(m[1]!);
  return { text: parts.join("\n"), addresses };
}

/** The blueprint field behind a terraform failure, located; undefined when none of the table matches. */
export function blueprintCause(err: TerraformError, at: BlueprintLocator): BlueprintCause | undefined {
  const { text, addresses } = failureText(err);
  for (const cause of CAUSES) {
    if (!cause.pattern.test(text)) continue;
    const path = cause.field(addresses[0], at);
    if (!path) continue;
    const loc = at.locate(path);
    return { id: cause.id, path: loc.path, file: loc.file, line: loc.line, col: loc.col, source: loc.source, hint: cause.hint };
  }
  return undefined;
}

/**
 * A terraform failure with its blueprint cause, when the table knows it: the same error (code,
 * exit 3, log), its message naming the field, the location first among the details, the hint
 * replaced. Anything else is returned as it was.
 */
export function withBlueprintCause(err: unknown, file: string, env: string | undefined): unknown {
  if (!(err instanceof TerraformError)) return err;
  let cause: BlueprintCause | undefined;
  try {
    cause = blueprintCause(err, new BlueprintLocator(file, env ?? "default"));
  } catch {
    return err;
  }
  if (!cause) return err;
  const where = `${cause.file}${cause.line ? `:${cause.line}:${cause.col ?? 1}` : ""}`;
  const located = [`  blueprint: ${where} ${formatPath(cause.path)}`];
  if (cause.source !== undefined && cause.line) located.push(`  ${String(cause.line).padStart(5)} | ${cause.source}`);
  return new TerraformError(`${err.message} The cause is in the blueprint: ${formatPath(cause.path)} (${where}).`, {
    logFile: err.logFile,
    details: [...located, err.details ?? ""].filter(Boolean).join("\n"),
    hint: cause.hint,
    failureKind: `blueprint:${cause.id}`,
    uiMessages: err.uiMessages,
    cause: err,
  });
}
