import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * The `hashicorp/google-beta` provider through cdktf's generic provider class. mlplat needs it
 * for one resource type only (`google_project_service_identity`, which the GA provider lacks),
 * so it is not worth a second 300 MB prebuilt binding. Same major version as `google`.
 *
 * https://registry.terraform.io/providers/hashicorp/google-beta/latest/docs
 */
export interface GoogleBetaProviderProps {
  readonly project: string;
  readonly region: string;
}

export class GoogleBetaProvider extends TerraformProvider {
  /** Version written into `required_providers`: the same pin as the google provider. */
  static readonly versionConstraint = "6.50.0";

  private readonly project: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: GoogleBetaProviderProps) {
    super(scope, id, {
      terraformResourceType: "google-beta",
      terraformGeneratorMetadata: { providerName: "google-beta", providerVersionConstraint: GoogleBetaProvider.versionConstraint },
      terraformProviderSource: "hashicorp/google-beta",
    });
    this.project = props.project;
    this.region = props.region;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { project: this.project, region: this.region };
  }
}
