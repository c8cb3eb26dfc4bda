import { diag, type Diagnostic } from "../diagnostics.js";
import type { Rule } from "./rule.js";

/**
 * On azure, `workspaces` (compute instances live in a workspace), `tracking` (the workspace's
 * MLflow endpoint is the tracking server) and `pipelines` (Azure ML pipeline jobs) all need the
 * platform's Azure ML workspace, which mlplat creates for `registry.models: true`
 * (stacks/azure/ml-workspace.ts). Without it, each section present is a located error.
 */
const NEEDS: Readonly<Record<"workspaces" | "tracking" | "pipelines", string>> = {
  workspaces: "Azure ML compute instances are created in the platform's Azure ML workspace",
  tracking: "the MLflow tracking server on Azure is the Azure ML workspace's own MLflow endpoint",
  pipelines: "Azure ML pipeline jobs run in the platform's Azure ML workspace",
};

export const azureMlWorkspace: Rule = ({ bp }) => {
  if (bp.spec.cloud !== "azure" || bp.spec.registry.models) return [];
  const out: Diagnostic[] = [];
  for (const section of ["workspaces", "tracking", "pipelines"] as const) {
    const value = bp.spec[section];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out.push(
      diag({
        code: "MLP_AZURE_ML_WORKSPACE_REQUIRED",
        message: `spec.${section} on azure needs the Azure ML workspace: ${NEEDS[section]}, and mlplat creates it only with registry.models: true.`,
        path: ["spec", section],
        found: "registry.models: false",
        hint: "set `models: true` under spec.registry (it adds the Azure ML workspace, its key vault, storage account and Application Insights), or remove this section for azure.",
      }),
    );
  }
  return out;
};
