import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * The Google identity of a `runtime: kubernetes` endpoint's pods (GKE Workload Identity): a
 * service account that can only read the model bucket, and that only the endpoint's Kubernetes
 * ServiceAccount (`<namespace>/<kubernetesServiceAccount>` in the cluster's workload pool) may
 * impersonate. The manifests annotate that ServiceAccount with the email
 * (`iam.gke.io/gcp-service-account`). No KMS grant: GCS decrypts CMEK objects with its own
 * service agent, which the kms section already grants. Image pulls use the node service account.
 *
 * Construct ids are API: placed at `serving/<endpoint>`, the account is
 * `google_service_account.serving_<endpoint>`, the grants `…serving_<endpoint>_model-reader` and
 * `…serving_<endpoint>_workload-identity-user`.
 */
export interface GkeWorkloadIdentityProps {
  readonly project: string;
  /** Service account id (6-30 chars); the email is `<id>@<project>.iam.gserviceaccount.com`. */
  readonly serviceAccountId: string;
  /** `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  readonly namespace: string;
  readonly kubernetesServiceAccount: string;
  /** Bucket the pods read their model from (granted `roles/storage.objectViewer`). */
  readonly modelBucketName: string;
  /**
   * What the account waits for (the IAM API).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * What the impersonation grant waits for: the workload pool exists only once a cluster with
   * Workload Identity does, and IAM rejects members of a pool that does not exist yet.
   * @default - none
   */
  readonly bindingDependsOn?: ITerraformDependable[];
}

export class GkeWorkloadIdentity extends Construct {
  readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GkeWorkloadIdentityProps) {
    super(scope, id);
    this.serviceAccount = new ServiceAccount(this, "Resource", {
      project: props.project,
      accountId: props.serviceAccountId,
      displayName: `GKE endpoint ${props.namespace}/${props.kubernetesServiceAccount}`,
      description: "mlplat: workload identity of a runtime: kubernetes endpoint",
      dependsOn: props.dependsOn,
    });
    new StorageBucketIamMember(this, "model-reader", {
      bucket: props.modelBucketName,
      role: "roles/storage.objectViewer",
      member: this.serviceAccount.member,
    });
    new ServiceAccountIamMember(this, "workload-identity-user", {
      serviceAccountId: this.serviceAccount.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${props.workloadPool}[${props.namespace}/${props.kubernetesServiceAccount}]`,
      dependsOn: props.bindingDependsOn,
    });
  }
}
