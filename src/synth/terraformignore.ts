import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformModel, SynthContext } from "../model/platform.js";

/**
 * A remote run on HCP Terraform uploads the stack folder (all of it but `.terraform/`) as its
 * configuration. What it needs is cdk.tf.json and the lock file; what mlplat keeps there besides
 * is this machine's business: the kubeconfig deploy fetched, terraform's and kubectl's logs, the
 * saved plans, the Kubernetes manifests (applied from here, not by terraform). `.terraformignore`
 * (gitignore syntax, read by terraform when it uploads a configuration:
 * https://developer.hashicorp.com/terraform/cli/cloud/settings#excluding-files-from-upload-with-terraformignore)
 * leaves them out. Written only for a stack with a cloud block; offline runs keep state locally.
 */
export const TERRAFORM_IGNORE = [
  "# Written by mlplat: files of this folder a remote run on HCP Terraform does not need.",
  "kubeconfig",
  "*.log",
  "*.tfplan",
  "k8s/",
  "",
].join("\n");

export function writeTerraformIgnore(model: PlatformModel, ctx: SynthContext, stackDir: string): void {
  if (model.state.backend !== "hcp" || ctx.offline) return;
  writeFileSync(join(stackDir, ".terraformignore"), TERRAFORM_IGNORE, { flag: "wx" });
}
