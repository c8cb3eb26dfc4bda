import type { AwsPlatformProps } from "../../../stacks/aws/platform-stack.js";
import type { CloudTarget, StackFactory } from "../target.js";
import { resolveAws } from "./resolve.js";

/**
 * The AWS target: `resolve.ts` maps the model to the stack's props, with one file per concern
 * (network, cluster, serving, account-level pieces, name limits, pinned EKS add-ons).
 */
export type { AwsPlatformProps };
export { resolveAws } from "./resolve.js";
export { EKS_ADDON_VERSIONS } from "./addons.js";
export { awsTags } from "./account.js";
export { CPU_AMI_TYPE, GPU_AMI_TYPE } from "./cluster.js";
export { volumeKmsAllowed } from "./serving.js";
export { zoneSubnets } from "./network.js";

export const awsTarget: CloudTarget<AwsPlatformProps> = {
  cloud: "aws",
  resolve: resolveAws,
  async loadStack(): Promise<StackFactory<AwsPlatformProps>> {
    return (await import("../../../stacks/aws/index.js")).addAwsPlatformStack;
  },
};
