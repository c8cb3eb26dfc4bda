import type { EndpointModel } from "../../model/platform.js";
import type { CloudRunRolloutProps } from "../../../stacks/gcp/cloud-run-endpoint.js";
import { contentHash, hasTrafficRollout, trafficVariableName } from "../traffic-split.js";
import { rootCompare } from "../../util/collate.js";

/**
 * Gradual rollout of a Cloud Run endpoint (v1.1 `serving.endpoints[].rollout`, strategy canary or
 * linear): the service's revisions get pinned names derived from their content, so the previous
 * revision keeps its name, and the traffic split between the previous and the new revision is a
 * Terraform input variable (`mlplat_traffic_<endpoint>`, a list of `{ revision, percent }`) whose
 * default sends all traffic to the current content. `mlplat deploy` moves the split in steps
 * (src/engine/traffic-rollout.ts), each a `terraform apply` with the weights as `-var`.
 *
 * Revision names follow Knative's rule for names chosen by the client, which Cloud Run applies:
 * the name is prefixed by the service name and a hyphen, is unique in the project and region, and
 * must change whenever the revision template changes
 * (https://github.com/knative/serving/pull/3562). A hash of everything this resolver puts in the
 * template gives exactly that: the same content gets the same name, any change a new one.
 * Service names have at most 49 characters (src/targets/gcp/names.ts), so `<service>-<8 hex>`
 * stays within the 63 of a revision name.
 */


/** The template content a revision name is derived from: every value the resolver puts in the revision template. */
export interface CloudRunRevisionContent {
  readonly image: string;
  readonly cpu: string;
  readonly memory: string;
  readonly accelerator?: { readonly type: string; readonly count: number };
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly concurrency?: number;
  readonly modelUri?: string;
  readonly serviceAccountId: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * What mlplat's CloudRunEndpoint writes into every revision template besides the content above
 * (execution environment, ports, CPU boost, GPU settings…). Bump it whenever that changes: the
 * same content then gets a new revision name, since Cloud Run refuses a known name with a
 * different template. test/rollout/traffic-stacks.test.ts pins the template and says so.
 */
export const CLOUD_RUN_TEMPLATE_GENERATION = 1;

export function cloudRunRevisionName(serviceName: string, c: CloudRunRevisionContent): string {
  return `${serviceName}-${contentHash([
    CLOUD_RUN_TEMPLATE_GENERATION,
    c.image,
    c.cpu,
    c.memory,
    c.accelerator ? `${c.accelerator.type}x${c.accelerator.count}` : "",
    c.minInstances,
    c.maxInstances,
    c.concurrency ?? "",
    c.modelUri ?? "",
    c.serviceAccountId,
    Object.entries(c.labels ?? {}).sort(([a], [b]) => rootCompare(a, b)),
  ])}`;
}

/** The endpoint's rollout props, or undefined when it has no stepped rollout. */
export function resolveCloudRunRollout(e: Pick<EndpointModel, "name" | "rollout" | "runtime">, serviceName: string, content: CloudRunRevisionContent): CloudRunRolloutProps | undefined {
  if (!hasTrafficRollout(e)) return undefined;
  return { revisionName: cloudRunRevisionName(serviceName, content), trafficVariable: trafficVariableName(e.name) };
}
