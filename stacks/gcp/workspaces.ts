import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { WorkbenchNotebook } from "./workbench-notebook.js";

/**
 * `spec.workspaces` on GCP: one Vertex AI Workbench instance per user (WorkbenchNotebook), under
 * the `workspaces` section. The props below are what the resolver (src/targets/gcp/workspaces.ts)
 * computes; the stack adds the references (network, key, buckets).
 *
 * Construct ids are API: each notebook is the user's name.
 */
export interface GcpNotebookProps {
  /** Blueprint user name: the construct id. */
  readonly user: string;
  readonly instanceName: string;
  readonly zone: string;
  /** The user's Google account e-mail. */
  readonly ownerEmail: string;
  readonly serviceAccountId: string;
  readonly machineType: string;
  /** Workbench accelerator enum (`NVIDIA_L4`) and count. */
  readonly accelerator?: { readonly type: string; readonly count: number };
}

/** The resolved section: GcpPlatformProps.workspaces. */
export interface GcpWorkspacesProps {
  /** Undefined: the metadata key is not set (see the resolver: 0 is refused on GCP). */
  readonly idleTimeoutSeconds?: number;
  readonly dataDiskGiB: number;
  /** Blueprint bucket names the notebooks may read and write. */
  readonly bucketIds: readonly string[];
  readonly notebooks: readonly GcpNotebookProps[];
}

export interface GcpWorkspacesConstructProps extends GcpWorkspacesProps {
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly networkId: string;
  readonly subnetId: string;
  readonly kmsKeyId: string;
  /** Bucket id → bucket name reference. */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

export class GcpWorkspaces extends Construct {
  readonly notebooks: ReadonlyMap<string, WorkbenchNotebook>;

  constructor(scope: Construct, id: string, props: GcpWorkspacesConstructProps) {
    super(scope, id);
    const buckets: Record<string, string> = {};
    for (const b of props.bucketIds) {
      const name = props.bucketNames[b];
      if (!name) throw new Error(`workspaces: no bucket '${b}'`);
      buckets[b] = name;
    }
    const notebooks = new Map<string, WorkbenchNotebook>();
    for (const n of props.notebooks) {
      notebooks.set(
        n.user,
        new WorkbenchNotebook(this, n.user, {
          project: props.project,
          instanceName: n.instanceName,
          zone: n.zone,
          ownerEmail: n.ownerEmail,
          serviceAccountId: n.serviceAccountId,
          machineType: n.machineType,
          accelerator: n.accelerator,
          dataDiskGiB: props.dataDiskGiB,
          kmsKeyId: props.kmsKeyId,
          networkId: props.networkId,
          subnetId: props.subnetId,
          idleTimeoutSeconds: props.idleTimeoutSeconds,
          buckets,
          labels: props.labels,
          dependsOn: props.dependsOn,
        }),
      );
    }
    this.notebooks = notebooks;
  }
}
