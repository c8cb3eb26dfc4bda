/** Managed serving: the Container Apps environment, its workload profiles and one app per endpoint. */
import { MlplatError } from "../../util/errors.js";
import { deriveName, fitName } from "../../model/names.js";
import type { ImageRef, PlatformModel } from "../../model/platform.js";
import { AZ_NAME, CONTAINER_APP_NAME } from "./names.js";
import { resolveContainerAppRollout } from "./rollout.js";
import type { AzureEndpointProps, AzureServingProps, AzureWorkloadProfile } from "./props.js";

export function resolveServing(
  model: PlatformModel,
  endpoints: PlatformModel["endpoints"],
  loginServer: string,
  containerNames: ReadonlyMap<string, string>,
  limitations: string[],
): AzureServingProps {
  const profiles: AzureWorkloadProfile[] = [{ name: "Consumption", type: "Consumption" }];
  const resolved = endpoints.map((e): AzureEndpointProps => {
    let profileName = "Consumption";
    if (e.gpu) {
      const type = e.instanceType;
      if (!type || !/^Consumption-GPU-/.test(type)) {
        throw new MlplatError(
          "MLP_AZURE_GPU_PROFILE",
          `serving.endpoints[${e.name}]: ${e.gpu.type} has no Container Apps serverless GPU workload profile (got ${type ?? "none"})`,
          { hint: "use gpu T4 or A100, or `runtime: kubernetes` to serve on an AKS GPU pool" },
        );
      }
      profileName = workloadProfileName(type);
      if (!profiles.some((p) => p.type === type)) profiles.push({ name: profileName, type });
    }
    if (e.alarms.errorRatePercent !== undefined) {
      limitations.push(
        `serving.endpoints[${e.name}].alarms.errorRatePercent: Azure metric alerts cannot divide two metrics, so the alert fires on any 5xx response in a 5-minute window rather than at ${e.alarms.errorRatePercent}%.`,
      );
    }
    if (e.alarms.latencyP99Ms !== undefined) {
      limitations.push(
        `serving.endpoints[${e.name}].alarms.latencyP99Ms: Container Apps publishes no latency percentiles; the alert uses the maximum of ResponseTime, which fires no later than a p99 alert would.`,
      );
    }
    const template = {
      image: imageUrl(e.image, loginServer),
      workloadProfileName: profileName,
      cpu: e.cpu,
      memoryGiB: e.memoryGiB,
      minReplicas: e.autoscaling.min,
      maxReplicas: e.autoscaling.max,
      targetConcurrency: e.autoscaling.targetConcurrency,
      model: e.model ? { container: containerNames.get(e.model.bucket) ?? e.model.bucket, path: e.model.path } : undefined,
    };
    return {
      endpoint: e.name,
      name: fitName(`${model.stackName}-${e.name}`, CONTAINER_APP_NAME),
      rollout: resolveContainerAppRollout(e, template),
      fromRegistry: e.image.kind === "repository",
      gpu: e.gpu !== undefined,
      ...template,
      latencyP99Ms: e.alarms.latencyP99Ms,
      errorRatePercent: e.alarms.errorRatePercent,
    };
  });
  return {
    environmentName: deriveName(model, "apps", CONTAINER_APP_NAME),
    identityName: deriveName(model, "id-serving", AZ_NAME),
    workloadProfiles: profiles,
    endpoints: resolved,
  };
}

/** `Consumption-GPU-NC8as-T4` → `gpu-nc8as-t4`. */
export function workloadProfileName(type: string): string {
  return fitName(`gpu-${type.replace(/^Consumption-GPU-/, "")}`, { maxLength: 30, separator: "-" });
}

/** `<acr>.azurecr.io/<repo>:<tag>`, or the full URI as given. */
export function imageUrl(ref: ImageRef, loginServer: string): string {
  return ref.kind === "repository" ? `${loginServer}/${ref.repository}:${ref.tag}` : ref.uri;
}
