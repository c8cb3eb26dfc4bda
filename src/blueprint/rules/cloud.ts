import { BUILDABLE_KUBERNETES_VERSIONS } from "../../targets/index.js";
import { diag, type Diagnostic } from "../diagnostics.js";
import { closest } from "../did-you-mean.js";
import { rawAt, type Rule } from "./rule.js";

const ACCOUNT_SNIPPET = {
  aws: 'aws: { accountId: "123456789012" }',
  gcp: "gcp: { project: my-project }",
  azure: "azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }",
} as const;

/** The block of the chosen cloud is required: names, key policies and image URLs derive from it offline. */
export const accountBlock: Rule = ({ bp }) => {
  const cloud = bp.spec.cloud;
  if (bp.spec[cloud]) return [];
  return [
    diag({
      code: "MLP_ACCOUNT_REQUIRED",
      message: `spec.${cloud} is required when cloud is ${cloud}: resource names, key policies and image URLs are derived from it without calling the cloud.`,
      path: ["spec", "cloud"],
      found: `cloud: ${cloud} without spec.${cloud}`,
      hint: `add \`${ACCOUNT_SNIPPET[cloud]}\` under spec.`,
    }),
  ];
};

const DEFAULT_REGION = { aws: "us-east-1", gcp: "us-central1", azure: "eastus" } as const;

/** The region is one of the cloud's regions. */
export const knownRegion: Rule = ({ bp, catalog }) => {
  const { cloud, region } = bp.spec;
  const regions = catalog.regions(cloud);
  if (regions.includes(region)) return [];
  const guess = closest(region, regions);
  const otherCloud = (["aws", "gcp", "azure"] as const).find((c) => c !== cloud && catalog.regions(c).includes(region));
  return [
    diag({
      code: "MLP_REGION_UNKNOWN",
      message: `${region} is not ${cloud === "aws" ? "an" : "a"} ${cloud} region${otherCloud ? ` (it is ${otherCloud === "aws" ? "an" : "a"} ${otherCloud} region)` : ""}.`,
      path: ["spec", "region"],
      found: region,
      allowed: `${regions.slice(0, 6).join(", ")}, … (\`mlplat catalog regions --cloud ${cloud}\`)`,
      hint: otherCloud
        ? `set \`cloud: ${otherCloud}\` (with its spec.${otherCloud} block), or use ${cloud === "aws" ? "an" : "a"} ${cloud} region such as ${DEFAULT_REGION[cloud]}.`
        : guess
          ? `did you mean \`${guess}\`?`
          : `use ${cloud === "aws" ? "an" : "a"} ${cloud} region such as ${DEFAULT_REGION[cloud]}.`,
    }),
  ];
};

/** Budgets on GCP need a billing account; every budget needs someone to tell. */
export const budgetTargets: Rule = ({ bp }) => {
  const b = bp.spec.budget;
  if (!b) return [];
  const out: Diagnostic[] = [];
  if (bp.spec.cloud === "gcp" && !bp.spec.gcp?.billingAccount) {
    out.push(diag({ code: "MLP_BUDGET_NEEDS_BILLING_ACCOUNT", message: "a GCP budget is set on a billing account, and spec.gcp.billingAccount is not set.", path: ["spec", "budget"], hint: "add `billingAccount: 0X0X0X-0X0X0X-0X0X0X` under spec.gcp, or remove spec.budget." }));
  }
  if (b.emails.length === 0 && bp.spec.observability.alertEmails.length === 0) {
    out.push(diag({ code: "MLP_BUDGET_NO_EMAILS", message: "the budget has nobody to alert: budget.emails and observability.alertEmails are both empty.", path: ["spec", "budget"], hint: "add `emails: [finance@example.com]` under spec.budget." }));
  }
  return out;
};

/** Cluster admins must look like principals of the chosen cloud. */
export const clusterAdmins: Rule = ({ bp }) => {
  const admins = bp.spec.cluster?.admins ?? [];
  const cloud = bp.spec.cloud;
  const shapes = {
    aws: { ok: (a: string) => /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+/.test(a), allowed: "IAM role or user ARNs (arn:aws:iam::123456789012:role/platform-admins)" },
    gcp: { ok: (a: string) => /^(user|group|serviceAccount|domain):.+/.test(a) || /^[^@\s]+@[^@\s]+$/.test(a), allowed: "group:admins@example.com, user:…, serviceAccount:… (a bare e-mail is a user)" },
    azure: { ok: (a: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(a), allowed: "Entra group object IDs (UUIDs)" },
  }[cloud];
  return admins.flatMap((a, i) =>
    shapes.ok(a) ? [] : [diag({ code: "MLP_CLUSTER_ADMIN_FORMAT", message: `\`${a}\` is not a ${cloud} principal mlplat can grant cluster-admin to.`, path: ["spec", "cluster", "admins", i], found: a, allowed: shapes.allowed, hint: `write it as ${shapes.allowed.split(" (")[0]}.` })],
  );
};

/** Kubernetes versions come from the catalog's list: unknown or past support is a warning. */
export const kubernetesVersion: Rule = ({ bp, catalog, today }) => {
  const c = bp.spec.cluster;
  if (!c) return [];
  const cloud = bp.spec.cloud;
  const s = catalog.kubernetesVersionStatus(cloud, c.version, today);
  const buildable = BUILDABLE_KUBERNETES_VERSIONS[cloud];
  const supported = catalog
    .kubernetesVersions(cloud)
    .filter((v) => v.endOfStandardSupport >= today && (!buildable || buildable.includes(v.version)))
    .map((v) => v.version);
  const base = { severity: "warning" as const, path: ["spec", "cluster", "version"], found: c.version, allowed: supported.join(", ") };
  switch (s.status) {
    case "supported":
      return [];
    case "unknown":
      return [diag({ ...base, code: "MLP_K8S_VERSION_UNKNOWN", message: `Kubernetes ${c.version} is not in the catalog's list for ${cloud}; it may not exist there.`, hint: `use one of ${supported.join(", ")}.` })];
    case "extended":
      return [diag({ ...base, code: "MLP_K8S_VERSION_EXTENDED", message: `Kubernetes ${c.version} left standard support on ${cloud} on ${s.endOfStandardSupport}; extended support costs more${s.endOfExtendedSupport ? ` and ends ${s.endOfExtendedSupport}` : ""}.`, hint: `upgrade to ${supported[supported.length - 1] ?? "a supported version"}.` })];
    case "ended":
      return [diag({ ...base, code: "MLP_K8S_VERSION_ENDED", message: `Kubernetes ${c.version} is past end of support on ${cloud} (${s.endOfStandardSupport}).`, hint: `use one of ${supported.join(", ")}.` })];
  }
};

/** ACR can't enforce immutable tags or scan-on-push through Terraform: warn at defaults, refuse when asked for. */
export const registryCapabilities: Rule = ({ bp, raw }) => {
  if (bp.spec.cloud !== "azure") return [];
  const out: Diagnostic[] = [];
  bp.spec.registry.images.forEach((img, i) => {
    const path = ["spec", "registry", "images", i];
    for (const [field, what] of [["immutableTags", "immutable tags"], ["scanOnPush", "scan on push"]] as const) {
      const explicit = rawAt(raw, [...path, field]);
      if (!img[field]) continue;
      out.push(
        diag({
          severity: explicit === undefined ? "warning" : "error",
          code: field === "immutableTags" ? "MLP_ACR_IMMUTABLE_TAGS" : "MLP_ACR_SCAN_ON_PUSH",
          message: `Azure Container Registry can't enforce ${what} through Terraform${explicit === undefined ? "; the default (true) is not applied on azure" : ""}.`,
          path: explicit === undefined ? [...path, "name"] : [...path, field],
          found: `${field}: ${explicit === undefined ? "true (default)" : "true"}`,
          hint:
            field === "immutableTags"
              ? "lock tags after push (`az acr repository update --write-enabled false`) in CI, or set `immutableTags: false` to acknowledge."
              : "enable Microsoft Defender for Containers on the subscription, or set `scanOnPush: false` to acknowledge.",
        }),
      );
    }
  });
  return out;
};
