import type { Cloud, PlatformModel } from "../../model/platform.js";
import type { ManifestPlatform } from "./manifest-platform.js";
import { awsKubernetesPlatform } from "./aws.js";
import { azureKubernetesPlatform } from "./azure.js";
import { gcpKubernetesPlatform } from "./gcp.js";

/** Reads a cloud's resolved target props (the ones its stack is built from) as a KubernetesPlatform. */
export type KubernetesPlatformFactory<Props> = (model: PlatformModel, props: Props) => ManifestPlatform;

/** The cloud dispatch table: a cloud without one fails to compile. */
export const KUBERNETES_PLATFORMS = {
  aws: awsKubernetesPlatform,
  gcp: gcpKubernetesPlatform,
  azure: azureKubernetesPlatform,
} satisfies Record<Cloud, KubernetesPlatformFactory<any>>;

/** The platform of the model's cloud, from the props its target resolved for this synth. */
export function kubernetesPlatform(model: PlatformModel, props: unknown): ManifestPlatform {
  return KUBERNETES_PLATFORMS[model.cloud](model, props as never);
}
