/**
 * Which revision serves an endpoint's traffic, read from Terraform state (`terraform show -json`)
 * for the services a traffic rollout moves (src/engine/traffic-rollout.ts). Only the attributes the
 * providers store are read:
 * - `google_cloud_run_v2_service`: `traffic[]` (`type`, `revision`, `percent`) and
 *   `latest_ready_revision` for a `TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST` target
 *   (https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/cloud_run_v2_service);
 * - `azurerm_container_app`: `ingress[0].traffic_weight[]` (`latest_revision`, `revision_suffix`,
 *   `percentage`) and, for the latest revision, `template[0].revision_suffix` or the suffix of
 *   `latest_revision_name`
 *   (https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/container_app).
 */
export type RolloutResourceType = "google_cloud_run_v2_service" | "azurerm_container_app";

interface StateResource {
  readonly address?: string;
  readonly values?: Record<string, unknown>;
}

/** The resource at `address` in a state's root module (cdktf stacks have no child modules), or undefined. */
export function stateResource(state: unknown, address: string): StateResource | undefined {
  const resources = (state as { values?: { root_module?: { resources?: StateResource[] } } })?.values?.root_module?.resources ?? [];
  return resources.find((r) => r.address === address);
}

/**
 * The revision that carries the service's traffic before a rollout: the one with all of it, or,
 * in a split, the one with the most that is not `newRevision`; undefined when the service is not
 * in state (a first deploy) or names no revision.
 */
export function servingRevision(state: unknown, address: string, type: RolloutResourceType, newRevision: string): string | undefined {
  const values = stateResource(state, address)?.values;
  if (!values) return undefined;
  const weights = type === "google_cloud_run_v2_service" ? cloudRunWeights(values) : containerAppWeights(values);
  const named = weights.filter((w): w is { revision: string; percent: number } => typeof w.revision === "string" && w.revision !== "");
  const all = named.find((w) => w.percent === 100);
  if (all) return all.revision;
  const others = named.filter((w) => w.revision !== newRevision).sort((a, b) => b.percent - a.percent);
  return others[0]?.revision ?? named[0]?.revision;
}

function cloudRunWeights(v: Record<string, unknown>): { revision?: string; percent: number }[] {
  const latest = typeof v.latest_ready_revision === "string" ? v.latest_ready_revision.split("/").pop() : undefined;
  const traffic = Array.isArray(v.traffic) ? (v.traffic as Record<string, unknown>[]) : [];
  return traffic.map((t) => ({
    revision: t.type === "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" ? latest : (t.revision as string | undefined),
    percent: Number(t.percent ?? 0),
  }));
}

function containerAppWeights(v: Record<string, unknown>): { revision?: string; percent: number }[] {
  const template = Array.isArray(v.template) ? (v.template[0] as Record<string, unknown> | undefined) : undefined;
  // An app whose revisions Azure named itself has no suffix in its template: the latest revision's name is `<app>--<suffix>`.
  const named = typeof v.latest_revision_name === "string" ? v.latest_revision_name.split("--").pop() : undefined;
  const latest = typeof template?.revision_suffix === "string" && template.revision_suffix !== "" ? template.revision_suffix : named;
  const ingress = Array.isArray(v.ingress) ? (v.ingress[0] as Record<string, unknown> | undefined) : undefined;
  const weights = Array.isArray(ingress?.traffic_weight) ? (ingress.traffic_weight as Record<string, unknown>[]) : [];
  return weights.map((w) => ({
    revision: w.latest_revision === true ? latest : (w.revision_suffix as string | undefined),
    percent: Number(w.percentage ?? 0),
  }));
}

/** The revision the service's template pins now (Cloud Run `template.revision`, Container Apps `template.revision_suffix`), or undefined. */
export function pinnedRevision(state: unknown, address: string, type: RolloutResourceType): string | undefined {
  const template = stateResource(state, address)?.values?.template;
  const t = Array.isArray(template) ? (template[0] as Record<string, unknown> | undefined) : undefined;
  const v = type === "google_cloud_run_v2_service" ? t?.revision : t?.revision_suffix;
  return typeof v === "string" && v !== "" ? v : undefined;
}
