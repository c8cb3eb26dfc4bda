import type { CloudTarget, StackFactory } from "../target.js";
import type { GcpPlatformProps } from "./props.js";
import { resolveGcp } from "./resolve.js";

/**
 * The GCP target: the resolver (`resolve.ts` and its siblings, one file per concern) and the lazily
 * loaded stack of `stacks/gcp/`.
 */
export const gcpTarget: CloudTarget<GcpPlatformProps> = {
  cloud: "gcp",
  resolve: resolveGcp,
  async loadStack(): Promise<StackFactory<GcpPlatformProps>> {
    return (await import("../../../stacks/gcp/index.js")).addGcpPlatformStack;
  },
};

export type * from "./props.js";
export { resolveGcp } from "./resolve.js";
export { GCP_NAME_RULES, KMS_ROTATION_SECONDS, SOFT_DELETE_SECONDS, gcpLabels, iamMember } from "./names.js";
export { diskTypeFor } from "./cluster.js";
export { resolveNetwork } from "./network.js";
