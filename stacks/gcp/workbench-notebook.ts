import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { WorkbenchInstanceIamMember } from "@cdktf/provider-google/lib/workbench-instance-iam-member/index.js";
import { WorkbenchInstance } from "@cdktf/provider-google/lib/workbench-instance/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * One data scientist's Vertex AI Workbench instance (`google_workbench_instance`): single-user
 * access for the owner's Google account, its own service account that may read and write the
 * listed buckets (bucket-level grants, nothing project-wide), no external IP on the platform's
 * subnet, CMEK boot and data disks, Shielded VM, idle shutdown through the `idle-timeout-seconds`
 * metadata key (https://cloud.google.com/vertex-ai/docs/workbench/instances/idle-shutdown).
 *
 * Day 2 (google 6.50, resource_workbench_instance.go): `machine_type`, `accelerator_configs` and
 * `metadata` update in place (the provider stops the instance, updates it, starts it again);
 * `location` (the zone), `instance_owners`, the disks, the network interface and the service
 * account are ForceNew and replace the instance, and with it the data disk that holds
 * `/home/jupyter` (the data-loss guard lists `google_workbench_instance`). The data disk's size
 * is ignored after creation (`lifecycle.ignore_changes`), so a new `diskGiB` never replaces one.
 *
 * Construct ids are API: `Resource` (the instance), `identity` (its service account),
 * `owner-acts-as`, `owner-access`, `bucket-<bucket id>`.
 */
export interface WorkbenchNotebookProps {
  readonly project: string;
  /** The instance id, `projects/<p>/locations/<zone>/instances/<name>`'s last segment. */
  readonly instanceName: string;
  /** The zone (Workbench instances are zonal). */
  readonly zone: string;
  /** The owner's Google account e-mail (`instance_owners`, single-user access). */
  readonly ownerEmail: string;
  readonly serviceAccountId: string;
  readonly machineType: string;
  /**
   * One accelerator configuration: Workbench's enum (`NVIDIA_TESLA_T4`, `NVIDIA_L4`, …) and count.
   * @default - CPU only
   */
  readonly accelerator?: { readonly type: string; readonly count: number };
  /** Size of the data disk (`/home/jupyter`) in GiB. */
  readonly dataDiskGiB: number;
  /** CMEK key of the boot and data disks. */
  readonly kmsKeyId: string;
  /** Network and subnet ids (or self links) of the platform. */
  readonly networkId: string;
  readonly subnetId: string;
  /**
   * Stop after this many idle seconds.
   * @default - the key is not set
   */
  readonly idleTimeoutSeconds?: number;
  /** Bucket id (construct id suffix) → GCS bucket name (a reference, so grants wait for the bucket). */
  readonly buckets: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * `projects/<p>/roles/<id>` of the notebook user role, granted to the owner on this instance.
   * @default - no instance-level grant
   */
  readonly userRoleName?: string;
  /**
   * What the instance waits for (the Notebooks API, the key grants of the Compute Engine and
   * Notebooks agents).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class WorkbenchNotebook extends Construct {
  readonly instance: WorkbenchInstance;
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: WorkbenchNotebookProps) {
    super(scope, id);
    if (props.accelerator && props.accelerator.count < 1) throw new Error(`notebook ${id}: accelerator count must be at least 1`);

    this.serviceAccount = new ServiceAccount(this, "identity", {
      project: props.project,
      accountId: props.serviceAccountId,
      displayName: `Workbench ${props.instanceName}`,
      description: "mlplat: runtime identity of one data scientist's notebook",
    });
    const grants: ITerraformDependable[] = Object.entries(props.buckets).map(
      ([bucketId, bucket]) =>
        new StorageBucketIamMember(this, `bucket-${bucketId}`, {
          bucket,
          // Read, write and delete objects; no bucket or IAM administration.
          role: "roles/storage.objectUser",
          member: this.serviceAccount.member,
        }),
    );
    // Single-user access runs the user's code as the instance's service account: the owner
    // needs actAs on that account only (https://cloud.google.com/vertex-ai/docs/workbench/instances/manage-access-jupyterlab).
    grants.push(
      new ServiceAccountIamMember(this, "owner-acts-as", {
        serviceAccountId: this.serviceAccount.name,
        role: "roles/iam.serviceAccountUser",
        member: `user:${props.ownerEmail}`,
      }),
    );

    const gpu = props.accelerator;
    this.instance = new WorkbenchInstance(this, "Resource", {
      project: props.project,
      location: props.zone,
      name: props.instanceName,
      instanceOwners: [props.ownerEmail],
      labels: { ...props.labels },
      gceSetup: {
        machineType: props.machineType,
        acceleratorConfigs: gpu ? [{ type: gpu.type, coreCount: String(gpu.count) }] : undefined,
        disablePublicIp: true,
        enableIpForwarding: false,
        networkInterfaces: [{ network: props.networkId, subnet: props.subnetId }],
        serviceAccounts: [{ email: this.serviceAccount.email }],
        bootDisk: { diskEncryption: "CMEK", kmsKey: props.kmsKeyId, diskType: "PD_BALANCED" },
        dataDisks: { diskEncryption: "CMEK", kmsKey: props.kmsKeyId, diskType: "PD_BALANCED", diskSizeGb: String(props.dataDiskGiB) },
        shieldedInstanceConfig: {
          // Secure Boot stays off on every notebook (a sourced exception in the policy tests): the
          // NVIDIA driver Workbench installs on GPU instances is not signed for it (Compute Engine:
          // https://cloud.google.com/compute/docs/gpus/install-drivers-gpu#secure-boot), and one
          // setting for CPU and GPU notebooks lets a user add or drop a GPU without this block
          // changing. vTPM and integrity monitoring are on.
          enableSecureBoot: false,
          enableVtpm: true,
          enableIntegrityMonitoring: true,
        },
        metadata: {
          ...(props.idleTimeoutSeconds !== undefined ? { "idle-timeout-seconds": String(props.idleTimeoutSeconds) } : {}),
          // Idle shutdown reads guest attributes; they are on by default, set so they stay on.
          "enable-guest-attributes": "TRUE",
          // No root in the notebook, no file downloads from the JupyterLab UI.
          "notebook-disable-root": "true",
          "notebook-disable-downloads": "true",
        },
      },
      // The data disk's size is ForceNew: a new diskGiB would replace every notebook and delete
      // each user's /home/jupyter. It applies to notebooks created afterwards; existing ones are
      // grown with `gcloud workbench instances resize-disk` (gcp_limitations says so).
      lifecycle: { ignoreChanges: ["gce_setup[0].data_disks[0].disk_size_gb"] },
      dependsOn: [...(props.dependsOn ?? []), ...grants],
    });
    if (props.userRoleName) {
      new WorkbenchInstanceIamMember(this, "owner-access", {
        project: props.project,
        location: props.zone,
        name: this.instance.name,
        role: props.userRoleName,
        member: `user:${props.ownerEmail}`,
      });
    }
  }
}
