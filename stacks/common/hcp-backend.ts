import { CloudBackend, NamedCloudWorkspace, TaggedCloudWorkspaces, type TerraformStack } from "cdktf";

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
  const workspaces =
    "tags" in props.workspace
      ? new TaggedCloudWorkspaces([...props.workspace.tags], props.project)
      : new NamedCloudWorkspace(props.workspace.name, props.project);
  new CloudBackend(stack, { organization: props.organization, hostname: props.hostname, workspaces });
}
