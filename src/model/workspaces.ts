import type { Catalog } from "../catalog/types.js";
import type { Diagnostic } from "../blueprint/diagnostics.js";
import type { WorkspacesSpec } from "../blueprint/schema/workspaces.js";
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
}

export interface WorkspacesModel {
  /** 0 = never. */
  readonly idleShutdownMinutes: number;
  readonly diskGiB: number;
  /** Declared bucket names the users may read and write. */
  readonly buckets: readonly string[];
  readonly users: readonly WorkspaceUserModel[];
}

/**
 * `spec.workspaces` → the model. Sizes: the user's `gpu`/`instanceType`, else the section's, else
 * the cloud's small CPU default; GPU requests resolve through the catalog.
 */
export function buildWorkspaces(
  spec: WorkspacesSpec,
  ctx: { cloud: Cloud; region: string; catalog: Catalog; path: (string | number)[] },
): { model?: WorkspacesModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const users: WorkspaceUserModel[] = spec.users.map((u) => ({
    name: u.name,
    identity: u.identity,
    // SCAFFOLD (issue 16): catalog resolution of u.gpu / spec.gpu lands with the workspaces work.
    instanceType: u.instanceType ?? spec.instanceType ?? DEFAULT_NOTEBOOK[ctx.cloud],
  }));
  return { model: { idleShutdownMinutes: spec.idleShutdownMinutes, diskGiB: spec.diskGiB, buckets: spec.buckets, users }, diagnostics };
}

export const DEFAULT_NOTEBOOK: Readonly<Record<Cloud, string>> = { aws: "ml.t3.large", gcp: "e2-standard-4", azure: "Standard_DS3_v2" };
