import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { Construct } from "constructs";

/**
 * The APIs the platform needs, enabled on the project, and the project's facts.
 *
 * Construct ids are API (Terraform addresses): each service is a child named after the API's
 * short name (`compute.googleapis.com` → `compute`), so adding an API never moves another.
 */
export interface ProjectServicesProps {
  readonly project: string;
  /** Full API names, e.g. `container.googleapis.com`. */
  readonly services: readonly string[];
}

export class ProjectServices extends Construct {
  /** The enabled services, keyed by full API name: resources that use an API depend on it. */
  readonly services: Readonly<Record<string, ProjectService>>;
  /**
   * The project number. Service agent e-mails (`service-<number>@…`) and budget filters need
   * it, and the blueprint only has the project id. GCP has no offline plan (the provider
   * always calls the API to refresh), so reading it with a data source at plan time costs
   * nothing extra; the alternative, `google_project_service_identity`, is google-beta only.
   */
  readonly projectNumber: string;

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    const services: Record<string, ProjectService> = {};
    for (const api of props.services) {
      services[api] = new ProjectService(this, api.replace(/\.googleapis\.com$/, "").replace(/[^a-z0-9]+/g, "-"), {
        project: props.project,
        service: api,
        // Turning an API off on destroy would break anything else in the project that uses it
        // (other platforms, hand-made resources); enabled APIs cost nothing.
        disableOnDestroy: false,
        disableDependentServices: false,
      });
    }
    this.services = services;
    const info = new DataGoogleProject(this, "info", { projectId: props.project });
    this.projectNumber = info.number;
  }

  /** The service resources for these APIs (skipping those not enabled), for `dependsOn`. */
  require(...apis: string[]): ProjectService[] {
    return apis.flatMap((a) => (this.services[a] ? [this.services[a]] : []));
  }
}
