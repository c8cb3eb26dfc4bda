import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { GoogleBetaProvider } from "./google-beta-provider.js";
import { ProjectServiceIdentity } from "./project-service-identity.js";

/**
 * The project's Google-managed service agents that the stack grants roles to, created before
 * any grant names them. `agent(api)` returns one `google_project_service_identity` per API
 * (created on first request, with the google-beta provider declared on first use); grants use
 * its `member`, so Terraform orders them after it. Sections added later (Cloud SQL, Workbench,
 * Eventarc keys) ask for their agents here too.
 *
 * Construct ids are API: each identity is a child named after the API's short name
 * (`artifactregistry.googleapis.com` → `artifactregistry`).
 */
export interface ServiceAgentsProps {
  readonly project: string;
  readonly region: string;
  /** What an agent of `api` waits for: the API being enabled. */
  readonly apiDependency: (api: string) => ITerraformDependable[];
}

export class ServiceAgents extends Construct {
  private readonly props: ServiceAgentsProps;
  private provider?: GoogleBetaProvider;
  private readonly agents = new Map<string, ProjectServiceIdentity>();

  constructor(scope: Construct, id: string, props: ServiceAgentsProps) {
    super(scope, id);
    this.props = props;
  }

  /** The service agent of `api` (full API name), created once. */
  agent(api: string): ProjectServiceIdentity {
    let identity = this.agents.get(api);
    if (!identity) {
      this.provider ??= new GoogleBetaProvider(this, "google-beta", { project: this.props.project, region: this.props.region });
      identity = new ProjectServiceIdentity(this, api.replace(/\.googleapis\.com$/, "").replace(/[^a-z0-9]+/g, "-"), {
        project: this.props.project,
        service: api,
        provider: this.provider,
        dependsOn: this.props.apiDependency(api),
      });
      this.agents.set(api, identity);
    }
    return identity;
  }
}
