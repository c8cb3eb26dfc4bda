import type { AzureWorkspacesProps } from "../../../stacks/azure/workspaces.js";
import { accountScope, deriveName, fitName, stableHash } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import type { TrackingModel } from "../../model/tracking.js";
import type { WorkspacesModel } from "../../model/workspaces.js";
import { AZ_NAME } from "./names.js";

/**
 * `spec.workspaces` and `spec.tracking` on Azure. Pure: names and the MLflow URI are computed
 * here. Both need the Azure ML workspace (registry.models), which the azure-ml-workspace rule
 * requires at validate.
 *
 * Names are API: a compute instance name must be unique in the Azure region
 * (https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance), 3-24
 * characters: the user's name (up to 17) and a hash of subscription, platform, environment and
 * user, so the user is recognisable in studio and two platforms never collide.
 */
export function computeInstanceName(model: PlatformModel, user: string): string {
  const h = stableHash([model.cloud, accountScope(model), model.name, model.env, "ci", user], 6);
  return `${fitName(user, { maxLength: 17, separator: "-" })}-${h}`;
}

export function resolveWorkspaces(model: PlatformModel, w: WorkspacesModel): AzureWorkspacesProps {
  return {
    idleTimeBeforeShutdown: w.idleShutdownMinutes > 0 ? `PT${w.idleShutdownMinutes}M` : undefined,
    buckets: [...w.buckets],
    outboundRuleName: "mlplat-platform-storage-blob",
    notebooks: w.users.map((u) => ({
      user: u.name,
      name: computeInstanceName(model, u.name),
      identityName: deriveName(model, `id-nb-${u.name}`, AZ_NAME),
      vmSize: u.instanceType,
      userObjectId: u.identity,
    })),
  };
}

/**
 * The workspace's MLflow tracking URI (https://learn.microsoft.com/azure/machine-learning/how-to-use-mlflow-configure-tracking):
 * `azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<name>`.
 */
export function mlflowTrackingUri(region: string, subscriptionId: string, resourceGroup: string, workspaceName: string): string {
  return `azureml://${region}.api.azureml.ms/mlflow/v1.0/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;
}

/** What `tracking_uri` and its description say on Azure. */
export interface AzureTrackingProps {
  readonly trackingUri: string;
  /** Blueprint bucket of the artifacts (the workspace keeps its own artifact store; see limitations). */
  readonly bucket: string;
}

export function resolveTracking(model: PlatformModel, t: TrackingModel, workspaceName: string): AzureTrackingProps {
  return {
    trackingUri: mlflowTrackingUri(model.region, model.azure!.subscriptionId, model.azure!.resourceGroup, workspaceName),
    bucket: t.mlflow.bucket,
  };
}
