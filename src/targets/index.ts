import type { Cloud } from "../model/platform.js";
import { awsTarget, EKS_ADDON_VERSIONS } from "./aws/index.js";
import { azureTarget } from "./azure/index.js";
import { gcpTarget } from "./gcp/index.js";
import type { CloudTarget } from "./target.js";

/** The cloud dispatch table: a cloud without a target fails to compile. */
export const TARGETS = { aws: awsTarget, gcp: gcpTarget, azure: azureTarget } satisfies Record<Cloud, CloudTarget<any>>;

/**
 * Kubernetes minor versions a target can build, where it pins per-version pieces (EKS add-ons);
 * undefined where every version the catalog lists works. Validation suggests only these.
 */
export const BUILDABLE_KUBERNETES_VERSIONS: Readonly<Record<Cloud, readonly string[] | undefined>> = {
  aws: Object.keys(EKS_ADDON_VERSIONS),
  gcp: undefined,
  azure: undefined,
};
