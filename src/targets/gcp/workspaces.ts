import type { GcpNotebookProps, GcpWorkspacesProps } from "../../../stacks/gcp/workspaces.js";
import { deriveName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import type { WorkspacesModel } from "../../model/workspaces.js";
import { GCP_NAME_RULES } from "./names.js";

/**
 * `spec.workspaces` on GCP: one Vertex AI Workbench instance per user. Pure: names, zones and the
 * accelerator enum are computed here; the validation rule (src/blueprint/rules/notebook-limits.ts)
 * has already refused what Workbench cannot do (accelerators outside its enum, idle times outside
 * 10-1440 minutes, 0 = never).
 *
 * Names are API: the instance name and the service account id derive from the platform,
 * environment and user name; renaming a user replaces their notebook.
 */

/** `google_workbench_instance.gce_setup.accelerator_configs.type` (google 6.50's enum). */
export const WORKBENCH_ACCELERATORS: readonly string[] = [
  "NVIDIA_TESLA_P100",
  "NVIDIA_TESLA_V100",
  "NVIDIA_TESLA_P4",
  "NVIDIA_TESLA_T4",
  "NVIDIA_TESLA_A100",
  "NVIDIA_A100_80GB",
  "NVIDIA_L4",
];

/**
 * The zone of a CPU notebook, when the model has none (the catalog's zone data covers GPUs only):
 * `<region>-b`, a zone every Compute Engine region has (regions name their zones from a, b, c,
 * with b present in each: https://cloud.google.com/compute/docs/regions-zones#available).
 */
export const CPU_NOTEBOOK_ZONE_SUFFIX = "-b";

/** Workbench's accelerator enum from the catalog's GCE accelerator id (`nvidia-tesla-t4` → `NVIDIA_TESLA_T4`). */
export function workbenchAccelerator(acceleratorId: string): string {
  const type = acceleratorId.toUpperCase().replace(/-/g, "_");
  if (!WORKBENCH_ACCELERATORS.includes(type)) {
    // The notebook-limits rule refuses these at validate; reaching here is a bug.
    throw new Error(`Workbench instances do not offer ${acceleratorId} (google_workbench_instance accepts ${WORKBENCH_ACCELERATORS.join(", ")})`);
  }
  return type;
}

export function resolveWorkspaces(model: PlatformModel, w: WorkspacesModel): GcpWorkspacesProps {
  const notebooks: GcpNotebookProps[] = w.users.map((u) => ({
    user: u.name,
    instanceName: deriveName(model, `nb-${u.name}`, GCP_NAME_RULES.compute),
    zone: u.zone ?? `${model.region}${CPU_NOTEBOOK_ZONE_SUFFIX}`,
    ownerEmail: u.identity,
    serviceAccountId: deriveName(model, `nb-${u.name}`, GCP_NAME_RULES.serviceAccount),
    machineType: u.instanceType,
    accelerator: u.gpu ? { type: workbenchAccelerator(u.gpu.acceleratorId ?? `nvidia-${u.gpu.type.toLowerCase()}`), count: u.gpu.count } : undefined,
  }));
  return {
    idleTimeoutSeconds: w.idleShutdownMinutes > 0 ? w.idleShutdownMinutes * 60 : undefined,
    dataDiskGiB: w.diskGiB,
    bucketIds: [...w.buckets],
    notebooks,
    userRoleId: deriveName(model, "notebook-user", { maxLength: 64, separator: "_" }),
  };
}
