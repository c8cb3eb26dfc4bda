import { TerraformBackend, type TerraformRemoteState, type TerraformStack } from "cdktf";

/**
 * `spec.state.backend: hcp`: HCP Terraform or Terraform Enterprise through Terraform's `cloud`
 * block (https://developer.hashicorp.com/terraform/cli/cloud/settings). State, its locking and
 * the run history live in the workspace; in the workspace's default (remote) execution mode,
 * `terraform plan`/`apply` run there too, with the workspace's variables and credentials.
 *
 * No token is ever written here: terraform reads it from `TF_TOKEN_<host>` or the CLI
 * configuration's credentials (`terraform login`), so the synthesized JSON holds none.
 */
export interface HcpBackendProps {
  readonly kind: "hcp";
  readonly organization: string;
  readonly hostname: string;
  /**
   * One named workspace, or the workspaces carrying all these tags (mlplat then selects the one
   * named after the stack: `.terraform/environment`, src/engine/stack-plan.ts).
   */
  readonly workspace: { readonly name: string } | { readonly tags: readonly string[]; readonly name: string };
  readonly project?: string;
}

export function hcpBackend(stack: TerraformStack, props: HcpBackendProps): void {
  new CloudBlock(stack, props);
}

/**
 * The `terraform.cloud` block, as cdktf's `CloudBackend` writes it but without the validation
 * that class adds: it runs `terraform version` through a shell during synth (the `terraform` on
 * PATH, not MLPLAT_TERRAFORM), so a synth without terraform installed (validate-and-synth CI
 * jobs) would fail, and every synth would pay for a process. mlplat checks terraform itself
 * where it runs it (1.5 or later; a saved remote run, which plan/deploy need, 1.6: src/terraform/failure.ts).
 */
class CloudBlock extends TerraformBackend {
  constructor(
    scope: TerraformStack,
    private readonly props: HcpBackendProps,
  ) {
    super(scope, "backend", "cloud");
  }

  override toTerraform(): unknown {
    const { organization, hostname, workspace, project } = this.props;
    const workspaces = "tags" in workspace ? { tags: [...workspace.tags], ...(project ? { project } : {}) } : { name: workspace.name, ...(project ? { project } : {}) };
    return { terraform: { cloud: { hostname, organization, workspaces, ...this.rawOverrides } } };
  }

  override getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error("mlplat reads no other stack's state through the cloud block");
  }
}
