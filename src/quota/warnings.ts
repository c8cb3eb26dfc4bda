/**
 * The validate-time quota check: a pool or managed endpoint that needs a quota which new
 * accounts, projects or subscriptions do not have at all (AWS P instances, A100/H100 on GCP
 * and Azure, Cloud Run and Container Apps GPUs) gets a warning at its field, naming the quota
 * and how to ask for it. Whether this account has it is the deploy preflight's job.
 */
import { diag, type Diagnostic } from "../blueprint/diagnostics.js";
import type { Catalog } from "../catalog/types.js";
import { resolveCapacities } from "../model/capacity.js";
import type { PlatformModel } from "../model/platform.js";
import { loadQuotaTable } from "./data.js";
import { quotaNeeds } from "./needs.js";

/** `names` maps a pool or endpoint name to its index in the merged blueprint, for the location. */
export function newAccountQuotaWarnings(
  model: PlatformModel,
  catalog: Catalog,
  names: { readonly pools: readonly string[]; readonly endpoints: readonly string[] },
): Diagnostic[] {
  const table = loadQuotaTable();
  const out: Diagnostic[] = [];
  for (const c of resolveCapacities(model, catalog)) {
    if (c.kind === "system-pool" || c.max === 0) continue;
    const zero = quotaNeeds(model, [c], table).items.filter((i) => i.newAccountZero);
    if (zero.length === 0) continue;
    const path =
      c.kind === "node-pool"
        ? ["spec", "cluster", "nodePools", names.pools.indexOf(c.name), ...(c.gpu ? ["gpu", "type"] : ["instanceType"])]
        : ["spec", "serving", "endpoints", names.endpoints.indexOf(c.name), ...(c.gpu ? ["gpu", "type"] : ["instanceType"])];
    const what = c.kind === "node-pool" ? `node pool ${c.name}` : `endpoint ${c.name}`;
    out.push(
      diag({
        severity: "warning",
        code: "MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS",
        message: `${what} needs ${zero.map((z) => `${z.quota.name} (${z.quota.code === z.quota.name ? z.region : `${z.quota.code}, ${z.region}`})`).join(" and ")}, which new ${ACCOUNT[model.cloud]}s have at 0: its ${c.kind === "node-pool" ? "nodes" : "instances"} never come until the quota is raised.`,
        path: path.filter((p) => p !== -1),
        found: c.instanceType ?? c.gpu?.type,
        hint: `request ${zero.map((z) => `${z.requiredAtPeak} ${z.unit}${z.requiredAtPeak === 1 ? "" : "s"} of ${z.quota.code}`).join(", ")} before deploying; \`mlplat quota\` lists every quota with the console page and command.`,
      }),
    );
  }
  return out;
}

const ACCOUNT = { aws: "AWS account", gcp: "GCP project", azure: "Azure subscription" } as const;
