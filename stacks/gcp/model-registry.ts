import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * `registry.models: true` on GCP: the project's Vertex AI Model Registry. It has no resource
 * of its own in Terraform (models and their versions are API objects CI uploads with
 * `gcloud ai models upload --artifact-uri gs://…`); the platform enables the Vertex AI API
 * (project construct) and lets the Vertex AI service agent read the model buckets, since it is
 * the identity that copies artifacts at upload and serving time.
 *
 * The agent's e-mail is derived from the project number. GCP creates it when the API is first
 * enabled or used; on a project where it does not exist yet the grant fails at apply, and
 * `gcloud beta services identity create --service=aiplatform.googleapis.com` creates it (the
 * Terraform resource for that, `google_project_service_identity`, exists only in google-beta).
 *
 * Construct ids are API: one grant per bucket, named `reader-<bucket>`.
 */
export interface VertexModelRegistryProps {
  readonly projectNumber: string;
  /** Blueprint bucket name → GCS bucket name. */
  readonly buckets: Readonly<Record<string, string>>;
  /**
   * What the grants wait for (the Vertex AI API being enabled).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class VertexModelRegistry extends Construct {
  readonly grants: StorageBucketIamMember[];

  constructor(scope: Construct, id: string, props: VertexModelRegistryProps) {
    super(scope, id);
    const agent = `serviceAccount:service-${props.projectNumber}@gcp-sa-aiplatform.iam.gserviceaccount.com`;
    this.grants = Object.entries(props.buckets).map(
      ([bucketId, bucketName]) =>
        new StorageBucketIamMember(this, `reader-${bucketId}`, {
          bucket: bucketName,
          role: "roles/storage.objectViewer",
          member: agent,
          dependsOn: props.dependsOn,
        }),
    );
  }
}
