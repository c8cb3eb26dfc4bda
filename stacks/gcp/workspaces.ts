import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { WorkbenchNotebook } from "./workbench-notebook.js";

/**
 * `spec.workspaces` on GCP: one Vertex AI Workbench instance per user (WorkbenchNotebook), under
 * the `workspaces` section. The props below are what the resolver (src/targets/gcp/workspaces.ts)
 * computes; the stack adds the references (network, key, buckets).
 *
 * A custom role lets each owner start, stop, open and read their own instance (granted on that
 * instance only): idle shutdown stops it, and the user starts it again; the predefined roles that
 * can start an instance (Notebooks Admin) also delete it and change its IAM policy.
 *
 * Construct ids are API: `user-role`, and each notebook is the user's name.
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
  /** Custom role id (`[a-zA-Z0-9_.]{3,64}`) of the notebook owners' role. */
  readonly userRoleId: string;
}

/**
 * What an owner may do with their own Workbench instance: read it, start and stop it, open
 * JupyterLab (https://cloud.google.com/iam/docs/roles-permissions/notebooks).
 */
export const NOTEBOOK_USER_PERMISSIONS = ["notebooks.instances.get", "notebooks.instances.start", "notebooks.instances.stop", "notebooks.instances.use"] as const;

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
    const userRole = new ProjectIamCustomRole(this, "user-role", {
      project: props.project,
      roleId: props.userRoleId,
      title: "mlplat notebook user",
      description: "Reads, starts, stops and opens one Workbench instance (granted on the owner's own instance).",
      permissions: [...NOTEBOOK_USER_PERMISSIONS],
      dependsOn: props.dependsOn,
    });
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
          userRoleName: userRole.name,
          dependsOn: props.dependsOn,
        }),
      );
    }
    this.notebooks = notebooks;
  }
}
