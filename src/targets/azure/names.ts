/** Azure naming rules and constants shared by the resolver's parts. */
import type { NameRules } from "../../model/names.js";

/** Rules for ordinary (not globally unique) Azure names. */
export const AZ_NAME: NameRules = { maxLength: 63, separator: "-" };
/** Container Apps and their environments: 2-32 lowercase alphanumerics and hyphens. */
export const CONTAINER_APP_NAME: NameRules = { maxLength: 32, minLength: 2, separator: "-" };
/** Azure ML workspaces: 3-33 characters. */
export const ML_WORKSPACE_NAME: NameRules = { maxLength: 33, minLength: 3, separator: "-" };
/** Action group short names: at most 12 characters. */
export const ACTION_GROUP_SHORT: NameRules = { maxLength: 12, separator: "-" };

/** The taint AKS puts on every Spot node; declared so plans do not drift. */
export const AKS_SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule";
/** The label AKS puts on every Spot node. */
export const AKS_SPOT_LABEL = { key: "kubernetes.azure.com/scalesetpriority", value: "spot" } as const;
/** Container Apps ingress port the serving images listen on. */
export const SERVING_PORT = 8080;

/**
 * Azure tag names may not contain `<>%&\?/`; names up to 512 characters, values up to 256
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
 * `$`, `{` and `}` in names become `-` too: a name rewritten for Azure keeps no Terraform template
 * syntax (`${`), even escaped, since it no longer reads as the blueprint wrote it anyway.
 */
export function azureTags(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [k.replace(/[<>%&\\?/${}]/g, "-").slice(0, 512), v.slice(0, 256)]),
  );
}
