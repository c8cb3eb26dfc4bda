import { diag, type Diagnostic, type FieldPath } from "../diagnostics.js";
import { rawAt, type Rule } from "./rule.js";

/**
 * What the notebook services of GCP and Azure accept, checked at validate (the AWS limits are in
 * the workspaces rule and the model):
 *  - gcp, Vertex AI Workbench: idle shutdown from 10 to 1440 minutes
 *    (https://cloud.google.com/vertex-ai/docs/workbench/instances/idle-shutdown); it is on by
 *    default (180 minutes) and Terraform has no way to turn it off, so 0 ("never") is refused;
 *    accelerators from google_workbench_instance's enum (google 6.50: T4, P4, P100, V100,
 *    A100 40/80 GB, L4).
 *  - azure, compute instances: idle shutdown from 15 minutes to 3 days, ISO 8601
 *    (IdleShutdownSetting.idleTimeBeforeShutdown, Microsoft.MachineLearningServices:
 *    https://learn.microsoft.com/rest/api/azureml/compute/update-idle-shutdown-setting); 0 = none.
 */
const LIMITS = {
  gcp: { min: 10, max: 1440, zero: false, service: "Vertex AI Workbench instances" },
  azure: { min: 15, max: 4320, zero: true, service: "Azure ML compute instances" },
} as const;

/** Normalized accelerator names Workbench instances accept (google_workbench_instance accelerator_configs.type). */
export const WORKBENCH_GPUS: readonly string[] = ["T4", "P4", "P100", "V100", "A100-40GB", "A100-80GB", "L4"];

export const notebookLimits: Rule = ({ bp, raw, catalog }) => {
  const w = bp.spec.workspaces;
  const cloud = bp.spec.cloud;
  if (!w || cloud === "aws") return [];
  const out: Diagnostic[] = [];
  const lim = LIMITS[cloud];
  const m = w.idleShutdownMinutes;
  if ((m === 0 && !lim.zero) || (m !== 0 && (m < lim.min || m > lim.max))) {
    out.push(
      diag({
        code: "MLP_WORKSPACE_IDLE_SHUTDOWN_RANGE",
        message:
          m === 0
            ? `${lim.service} cannot be set to never stop through Terraform: idle shutdown is on by default (180 minutes) and only the console turns it off.`
            : `${lim.service} stop after ${lim.min} to ${lim.max} idle minutes, not ${m}.`,
        path: ["spec", "workspaces", "idleShutdownMinutes"],
        found: String(m),
        allowed: `${lim.zero ? "0 (never) or " : ""}${lim.min}-${lim.max}`,
        hint: m === 0 || m > lim.max ? `use ${lim.max} (the longest ${cloud} allows).` : `use at least ${lim.min}.`,
      }),
    );
  }
  // azurerm_machine_learning_compute_instance has no disk setting (nor does the ARM compute
  // instance): the disk is the VM size's. Said when the blueprint sets diskGiB, never silently.
  if (cloud === "azure" && rawAt(raw, ["spec", "workspaces", "diskGiB"]) !== undefined) {
    out.push(
      diag({
        severity: "warning",
        code: "MLP_WORKSPACE_DISK_IGNORED",
        message: "Azure ML compute instances have the disk of their VM size: diskGiB is not applied on azure (the user's files live on the workspace's file share).",
        path: ["spec", "workspaces", "diskGiB"],
        found: String(w.diskGiB),
        hint: "remove diskGiB for the azure environment, or pick a VM size with the disk you need.",
      }),
    );
  }
  if (cloud === "gcp") {
    const check = (gpu: { type: string } | undefined, at: FieldPath) => {
      if (!gpu) return;
      const name = catalog.normalizeAccelerator(gpu.type) ?? gpu.type;
      if (WORKBENCH_GPUS.includes(name)) return;
      out.push(
        diag({
          code: "MLP_WORKSPACE_GPU_UNSUPPORTED",
          message: `Vertex AI Workbench instances do not offer ${name} accelerators.`,
          path: [...at, "gpu"],
          found: gpu.type,
          allowed: WORKBENCH_GPUS.join(", "),
          hint: "pick one of these for the notebook (larger GPUs: run the work as a training job on a cluster node pool).",
        }),
      );
    };
    check(w.gpu, ["spec", "workspaces"]);
    w.users.forEach((u, i) => check(u.gpu, ["spec", "workspaces", "users", i]));
  }
  return out;
};
