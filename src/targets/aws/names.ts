import type { NameRules } from "../../model/names.js";
import { MlplatError } from "../../util/errors.js";

/**
 * AWS name limits. Names are API: they become AWS resource names, and changing one replaces
 * the resource.
 */

/** IAM role names: 64 characters. */
export const IAM_ROLE: NameRules = { maxLength: 64, separator: "-" };
/** SageMaker names (models, endpoints, configs, model package groups): `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
export const SAGEMAKER: NameRules = { maxLength: 63, separator: "-" };
/** EKS cluster names: 100 characters, starting with a letter. */
export const EKS_CLUSTER: NameRules = { maxLength: 100, separator: "-" };
/** EKS node group names: 63 characters. */
export const NODE_GROUP: NameRules = { maxLength: 63, separator: "-" };
/** Generated SageMaker endpoint configuration names add 26 characters to the prefix (max 63). */
export const ENDPOINT_CONFIG_PREFIX: NameRules = { maxLength: 36, separator: "-" };

export function internal(message: string): MlplatError {
  return new MlplatError("MLP_AWS_INTERNAL", message, { exitCode: 70 });
}
