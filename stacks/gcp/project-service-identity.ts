import { TerraformResource, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";
import { genericResourceConfig } from "../common/generic-resource.js";

/**
 * `google_project_service_identity` (google-beta only) through cdktf's generic resource class:
 * asks the service to create its service agent now (`services.generateServiceIdentity`) and
 * returns it. Some agents are created just in time, on first use of the service (Artifact
 * Registry, Vertex AI): granting them a role before that fails with 400 "Service account …
 * does not exist" on a fresh project. Idempotent: for an existing agent it returns that agent.
 *
 * https://registry.terraform.io/providers/hashicorp/google-beta/latest/docs/resources/project_service_identity
 */
export interface ProjectServiceIdentityProps extends TerraformMetaArguments {
  readonly project: string;
  /** Full API name, `artifactregistry.googleapis.com`. */
  readonly service: string;
}

export class ProjectServiceIdentity extends TerraformResource {
  static readonly tfResourceType = "google_project_service_identity";

  private readonly props: ProjectServiceIdentityProps;

  constructor(scope: Construct, id: string, props: ProjectServiceIdentityProps) {
    super(scope, id, genericResourceConfig(ProjectServiceIdentity.tfResourceType, "google-beta", props));
    this.props = props;
  }

  /** The agent's e-mail. */
  get email(): string {
    return this.getStringAttribute("email");
  }

  /** The agent as an IAM member, `serviceAccount:<email>`. */
  get member(): string {
    return this.getStringAttribute("member");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { project: this.props.project, service: this.props.service };
  }
}
