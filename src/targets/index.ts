import type { Cloud } from "../model/platform.js";
import { awsTarget } from "./aws.js";
import { azureTarget } from "./azure.js";
import { gcpTarget } from "./gcp.js";
import type { CloudTarget } from "./target.js";

/** The cloud dispatch table: a cloud without a target fails to compile. */
export const TARGETS = { aws: awsTarget, gcp: gcpTarget, azure: azureTarget } satisfies Record<Cloud, CloudTarget<any>>;
