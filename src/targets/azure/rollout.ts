import type { EndpointModel } from "../../model/platform.js";
import type { ContainerAppRolloutProps } from "../../../stacks/azure/container-app-endpoint.js";
import { contentHash, hasTrafficRollout, trafficVariableName } from "../traffic-split.js";

/**
 * Gradual rollout of a Container Apps endpoint (v1.1 `serving.endpoints[].rollout`, canary or
 * linear): `Multiple` revision mode, a pinned revision suffix derived from the template content,
 * and the traffic split as the input variable `mlplat_traffic_<endpoint>` (the same shape as on
 * Cloud Run: a list of `{ revision, percent }`, revision = the suffix), moved in steps by
 * `mlplat deploy` (src/engine/traffic-rollout.ts).
 *
 * A suffix must be unique for the lifetime of the app (azurerm's `revision_suffix`, from the
 * Container Apps API: https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services/containerapps/helpers/container_apps.go),
 * and a revision is created by any change of the template (image, resources, env, scale):
 * https://learn.microsoft.com/en-us/azure/container-apps/revisions. The suffix is `r` + 8 hex
 * characters of a hash of everything this resolver puts in the template, so a change gets a new
 * suffix and the previous revision keeps its own; `<app>--r<8 hex>` is at most 32 + 11 characters.
 */

/** The template content a revision suffix is derived from. */
export interface ContainerAppRevisionContent {
  readonly image: string;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly workloadProfileName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetConcurrency?: number;
  readonly model?: { readonly container: string; readonly path: string };
}

/**
 * What mlplat's ContainerAppEndpoint writes into every revision template besides the content above
 * (container name, env names, scale rule name…). Bump it whenever that changes, so the same content
 * gets a new suffix. test/rollout/traffic-stacks.test.ts pins the template and says so.
 */
export const CONTAINER_APP_TEMPLATE_GENERATION = 1;

export function containerAppRevisionSuffix(c: ContainerAppRevisionContent): string {
  return `r${contentHash([CONTAINER_APP_TEMPLATE_GENERATION, c.image, c.cpu, c.memoryGiB, c.workloadProfileName, c.minReplicas, c.maxReplicas, c.targetConcurrency ?? "", c.model ? `${c.model.container}/${c.model.path}` : ""])}`;
}

/** The endpoint's rollout props, or undefined when it has no stepped rollout. */
export function resolveContainerAppRollout(e: Pick<EndpointModel, "name" | "rollout" | "runtime">, content: ContainerAppRevisionContent): ContainerAppRolloutProps | undefined {
  if (!hasTrafficRollout(e)) return undefined;
  return { revisionSuffix: containerAppRevisionSuffix(content), trafficVariable: trafficVariableName(e.name) };
}
