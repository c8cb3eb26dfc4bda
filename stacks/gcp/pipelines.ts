import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js";
import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { GcsBucket } from "./gcs-bucket.js";
import { VertexPipeline, type GcpPipelineProps } from "./vertex-pipeline.js";

export type { GcpPipelineProps } from "./vertex-pipeline.js";

/**
 * `spec.pipelines[]` on GCP (resolved by src/targets/gcp/pipelines.ts): a platform bucket for the
 * PipelineJob bodies (`specs/`) and the runs' roots (`runs/<pipeline>/`), CMEK with the storage
 * key; a custom role that may only create and read Vertex AI pipeline jobs; and one
 * VertexPipeline per pipeline (its identities, workflow and triggers).
 *
 * Project-level grants made here, because GCP offers no narrower scope:
 *  - the Cloud Storage service agent gets `roles/pubsub.publisher` on the project when a pipeline
 *    watches a bucket: Eventarc delivers Cloud Storage events through a Pub/Sub topic it creates
 *    itself, and checks this grant when the trigger is created
 *    (https://cloud.google.com/eventarc/standard/docs/workflows/create-trigger-storage-gcloud#before-you-begin).
 *
 * Construct ids are API: `pipelines/bucket`, `pipelines/submit-role`, `pipelines/gcs-agent`,
 * `pipelines/gcs-agent-publisher`, `pipelines/<pipeline>/…` (see VertexPipeline).
 */
export interface GcpPipelinesProps {
  /** The platform bucket of job bodies and run roots (globally unique). */
  readonly bucketName: string;
  /** Custom role id (`[a-zA-Z0-9_.]{3,64}`) of the role that creates pipeline jobs. */
  readonly submitRoleId: string;
  /** The launcher workflow's source (Workflows YAML; its `${…}` are Workflows expressions). */
  readonly workflowSource: string;
  readonly pipelines: readonly GcpPipelineProps[];
}

export interface GcpPipelinesConstructProps extends GcpPipelinesProps {
  readonly project: string;
  readonly projectNumber: string;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The storage key (the pipelines bucket's default key) and the grants the bucket waits for. */
  readonly storageKmsKeyId: string;
  readonly storageKeyGrants: readonly ITerraformDependable[];
  /** The pipelines key (workflows, Pub/Sub topics, pipeline runs) and its grants. */
  readonly kmsKeyId: string;
  readonly kmsGrants: readonly ITerraformDependable[];
  /** Blueprint bucket → its GCS bucket name, as a reference (grants wait for the bucket). */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** What a resource of an API waits for: the API being enabled. */
  readonly api: (...names: string[]) => ITerraformDependable[];
  /** The service agent identity of an API (created before anything names it). */
  readonly agent: (api: string) => ITerraformDependable;
}

export class GcpPipelines extends Construct {
  readonly bucket: GcsBucket;
  readonly pipelines: ReadonlyMap<string, VertexPipeline>;

  constructor(scope: Construct, id: string, props: GcpPipelinesConstructProps) {
    super(scope, id);
    const { project } = props;

    this.bucket = new GcsBucket(this, "bucket", {
      project,
      region: props.region,
      name: props.bucketName,
      kmsKeyId: props.storageKmsKeyId,
      labels: props.labels,
      versioning: true,
      // Job bodies are rewritten by every deploy and run roots are reproducible outputs.
      protect: false,
      dependsOn: [...props.storageKeyGrants, ...props.api("storage")],
    });

    // Custom roles are soft-deleted: after a destroy, the next deploy's create undeletes the role of
    // the same id and updates it (https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/google_project_iam_custom_role).
    const submitRole = new ProjectIamCustomRole(this, "submit-role", {
      project,
      roleId: props.submitRoleId,
      title: "mlplat pipeline submitter",
      description: "Creates and reads Vertex AI pipeline jobs (the launcher workflows of mlplat pipelines).",
      // The permissions projects.locations.pipelineJobs.create and .get check
      // (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs/create).
      permissions: ["aiplatform.pipelineJobs.create", "aiplatform.pipelineJobs.get"],
      dependsOn: props.api("iam"),
    });

    let gcsPublisher: ProjectIamMember | undefined;
    if (props.pipelines.some((p) => p.newData.length > 0)) {
      const gcsAgent = new DataGoogleStorageProjectServiceAccount(this, "gcs-agent", { project });
      gcsPublisher = new ProjectIamMember(this, "gcs-agent-publisher", {
        project,
        role: "roles/pubsub.publisher",
        member: `serviceAccount:${gcsAgent.emailAddress}`,
        dependsOn: props.api("pubsub"),
      });
    }

    const pipelines = new Map<string, VertexPipeline>();
    for (const p of props.pipelines) {
      pipelines.set(
        p.id,
        new VertexPipeline(this, p.id, {
          ...p,
          project,
          projectNumber: props.projectNumber,
          region: props.region,
          labels: props.labels,
          workflowSource: props.workflowSource,
          pipelinesBucketName: this.bucket.bucket.name,
          submitRoleId: submitRole.id,
          kmsKeyId: props.kmsKeyId,
          kmsGrants: props.kmsGrants,
          bucketNames: props.bucketNames,
          api: props.api,
          // Eventarc's service agent (made first: created just in time on some projects) and, for
          // Cloud Storage events, the publisher grant above.
          eventDependencies:
            p.newData.length > 0 || p.alarm ? [...(p.newData.length > 0 && gcsPublisher ? [gcsPublisher] : []), props.agent("eventarc.googleapis.com")] : [],
          jobDependencies: [this.bucket.bucket],
        }),
      );
    }
    this.pipelines = pipelines;
  }

  /** Blueprint endpoint → the notification channels (Pub/Sub) its alert policies also notify. */
  alarmChannels(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const p of this.pipelines.values()) {
      for (const [endpoint, channel] of p.alarmChannels) (out[endpoint] ??= []).push(channel);
    }
    return out;
  }
}
