import type { Catalog } from "../catalog/types.js";
import { diag, type Diagnostic, type FieldPath } from "../blueprint/diagnostics.js";
import type { WorkspacesSpec } from "../blueprint/schema/workspaces.js";
import { gpuMissDiagnostic, resolvePoolCompute } from "./compute.js";
import type { Cloud, ResolvedGpu } from "./platform.js";

/** One data scientist's notebook, its size resolved for the cloud (v1.1 `spec.workspaces`). */
export interface WorkspaceUserModel {
  /** `[a-z][a-z0-9-]{0,20}`, unique. */
  readonly name: string;
  /** aws: IAM principal ARN; gcp: Google account e-mail; azure: Entra object ID. */
  readonly identity: string;
  /**
   * The notebook's size: aws a SageMaker `ml.*` app instance type, gcp a Compute Engine machine
   * type (with `gpu.acceleratorId` attached), azure a VM size.
   */
  readonly instanceType: string;
  readonly gpu?: ResolvedGpu;
  /**
   * gcp only: the zone of the Workbench instance. With a GPU, the first zone of the region that
   * offers the accelerator on that machine type (catalog zones.json); undefined when the catalog has
   * no zone data (CPU notebooks, or an accelerator/region it never surveyed): the target chooses.
   */
  readonly zone?: string;
  /** Where the size came from: the user's own `gpu`/`instanceType`, the section's, or the cloud default. */
  readonly sizeFrom: "user" | "section" | "default";
}

export interface WorkspacesModel {
  /** 0 = never. */
  readonly idleShutdownMinutes: number;
  readonly diskGiB: number;
  /** Declared bucket names the users may read and write. */
  readonly buckets: readonly string[];
  readonly users: readonly WorkspaceUserModel[];
}

/** The cloud's small CPU notebook when neither the user nor the section gives a size. */
export const DEFAULT_NOTEBOOK: Readonly<Record<Cloud, string>> = { aws: "ml.t3.large", gcp: "e2-standard-4", azure: "Standard_DS3_v2" };

/**
 * What the catalog lacks for notebooks (said here and in `mlplat cost`):
 *  - aws: the catalog's `ml.*` rows are SageMaker real-time inference types and prices
 *    (sagemaker.json); a GPU request picks among them and assumes the same type is offered to
 *    JupyterLab apps (the GPU families g4dn/g5/g6/p4d/p5 are). Studio notebook prices are not in
 *    the data: cost uses the inference price as a stand-in and says so. `ml.t3.*` (the default)
 *    has no row at all: unpriced.
 *  - gcp: Compute Engine rows serve as Workbench sizes (Workbench bills the VM plus a management
 *    fee the data does not hold); zones come from zones.json, GPUs only.
 *  - azure: VM rows serve as compute-instance sizes (Azure ML bills the VM only).
 */
export const NOTEBOOK_CATALOG_GAPS: Readonly<Record<Cloud, string>> = {
  aws: "SageMaker Studio notebook types are looked up among the catalog's real-time inference ml.* rows (same type names); notebook prices are not in the data, inference prices stand in",
  gcp: "Workbench sizes are Compute Engine machine types; the Workbench management fee is not in the data",
  azure: "compute-instance sizes are Azure VM sizes, priced as VMs",
};

interface Ctx {
  readonly cloud: Cloud;
  readonly region: string;
  readonly catalog: Catalog;
  readonly path: FieldPath;
}

type Size = { instanceType: string; gpu?: ResolvedGpu; zone?: string };

/**
 * `spec.workspaces` → the model. Sizes: the user's `gpu`/`instanceType`, else the section's, else
 * the cloud's small CPU default; GPU requests resolve through the catalog (aws: the cheapest
 * SageMaker `ml.*` type with that accelerator and count; gcp: a machine type, its accelerator id and
 * a zone offering it; azure: a VM size). Both `gpu` and `instanceType` at one level are reported by
 * the workspaces rule (MLP_WORKSPACE_COMPUTE) and skipped here.
 */
export function buildWorkspaces(spec: WorkspacesSpec, ctx: Ctx): { model?: WorkspacesModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // The section default is resolved once (its problems located at the section's field) and shared.
  let sectionSize: Size | undefined;
  const sectionSet = !!(spec.gpu || spec.instanceType);
  if (sectionSet && !(spec.gpu && spec.instanceType)) {
    const r = resolveNotebookSize(ctx, { gpu: spec.gpu, instanceType: spec.instanceType }, ctx.path);
    diagnostics.push(...r.diagnostics);
    sectionSize = r.size;
  }
  const users: WorkspaceUserModel[] = [];
  spec.users.forEach((u, i) => {
    const own = !!(u.gpu || u.instanceType);
    if (u.gpu && u.instanceType) return; // MLP_WORKSPACE_COMPUTE (rule)
    let size: Size | undefined;
    let sizeFrom: WorkspaceUserModel["sizeFrom"];
    if (own) {
      const r = resolveNotebookSize(ctx, { gpu: u.gpu, instanceType: u.instanceType }, [...ctx.path, "users", i]);
      diagnostics.push(...r.diagnostics);
      size = r.size;
      sizeFrom = "user";
    } else if (sectionSet) {
      size = sectionSize;
      sizeFrom = "section";
    } else {
      size = { instanceType: DEFAULT_NOTEBOOK[ctx.cloud] };
      sizeFrom = "default";
    }
    if (size) users.push({ name: u.name, identity: u.identity, ...size, sizeFrom });
  });
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { model: { idleShutdownMinutes: spec.idleShutdownMinutes, diskGiB: spec.diskGiB, buckets: spec.buckets, users }, diagnostics };
}

/** One notebook size (a user's or the section's) for the cloud; `at` is the object holding gpu/instanceType. */
export function resolveNotebookSize(ctx: Ctx, req: { gpu?: { type: string; count: number }; instanceType?: string }, at: FieldPath): { size?: Size; diagnostics: Diagnostic[] } {
  if (ctx.cloud === "aws") return sagemakerNotebook(ctx.catalog, req, at, ctx.region);
  const r = resolvePoolCompute(ctx.catalog, { cloud: ctx.cloud, region: ctx.region, spot: false, gpu: req.gpu, instanceType: req.instanceType ?? DEFAULT_NOTEBOOK[ctx.cloud], path: at });
  if (!r.ok) return { diagnostics: r.diagnostics };
  const { instanceType, gpu } = r.value;
  if (ctx.cloud !== "gcp" || !gpu) return { size: { instanceType, gpu }, diagnostics: r.warnings };
  const avail = ctx.catalog.acceleratorZones("gcp", ctx.region, gpu.type, instanceType);
  // findGpuInstance chose the type because the region offers it, and zones.json agrees with the
  // region lists (no region with a match has an empty zone list): an empty list is treated as unknown.
  if (!avail.known || avail.zones.length === 0) return { size: { instanceType, gpu }, diagnostics: r.warnings };
  return { size: { instanceType, gpu, zone: [...avail.zones].sort()[0] }, diagnostics: r.warnings };
}

function sagemakerNotebook(catalog: Catalog, req: { gpu?: { type: string; count: number }; instanceType?: string }, at: FieldPath, region: string): { size?: Size; diagnostics: Diagnostic[] } {
  if (req.gpu) {
    const r = catalog.findSagemakerInstance(req.gpu.type, req.gpu.count);
    if ("ok" in r && r.ok === false) return { diagnostics: [gpuMissDiagnostic(r, [...at, "gpu"], req.gpu, region)] };
    const row = r as Exclude<typeof r, { ok: false }>;
    return { size: { instanceType: row.instanceType, gpu: { type: row.accelerator!, count: row.acceleratorCount } }, diagnostics: [] };
  }
  const type = req.instanceType ?? DEFAULT_NOTEBOOK.aws;
  if (!type.startsWith("ml.")) {
    return {
      diagnostics: [
        diag({
          code: "MLP_WORKSPACE_INSTANCE_TYPE",
          message: `SageMaker notebooks take ml.* instance types, not ${type}.`,
          path: [...at, "instanceType"],
          found: type,
          allowed: "ml.<family>.<size> (ml.t3.large, ml.m5.xlarge, ml.g5.xlarge, ...)",
          hint: `write ml.${type}, or ask for accelerators with gpu: { type, count }.`,
        }),
      ],
    };
  }
  const row = catalog.sagemakerInstance(type);
  if (!row) {
    // ml.t3.* (the default) and others: used as written, unpriced (cost says so); a warning when the user named it.
    const warn = req.instanceType
      ? [diag({ severity: "warning", code: "MLP_INSTANCE_UNKNOWN", message: `the catalog does not know SageMaker type ${type}; it is used as written, unchecked and unpriced.`, path: [...at, "instanceType"], found: type })]
      : [];
    return { size: { instanceType: type }, diagnostics: warn };
  }
  const gpu = row.accelerator && row.acceleratorCount >= 1 ? { type: row.accelerator, count: row.acceleratorCount } : undefined;
  return { size: { instanceType: type, gpu }, diagnostics: [] };
}
