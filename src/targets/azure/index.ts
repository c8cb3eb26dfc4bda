/** The Azure target: the resolver (pure, in this folder) and the stack factory (stacks/azure/). */
import type { CloudTarget, StackFactory } from "../target.js";
import type { AzurePlatformProps } from "./props.js";
import { NONCURRENT_VERSION_DAYS, resolveAzure } from "./resolve.js";

export * from "./props.js";
export { AKS_SPOT_LABEL, AKS_SPOT_TAINT, SERVING_PORT, azureTags } from "./names.js";
export { carve } from "./network.js";
export { aksPoolNames } from "./cluster.js";
export { imageUrl, workloadProfileName } from "./serving.js";
export { NONCURRENT_VERSION_DAYS, resolveAzure };

export const azureTarget: CloudTarget<AzurePlatformProps> = {
  cloud: "azure",
  resolve: resolveAzure,
  async loadStack(): Promise<StackFactory<AzurePlatformProps>> {
    return (await import("../../../stacks/azure/index.js")).addAzurePlatformStack;
  },
};
