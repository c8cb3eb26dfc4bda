import type { PlatformModel } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import type { CredentialsCommand } from "./runner.js";

/** What the credentials commands need from the stack's terraform outputs. */
export interface ClusterOutputs {
  /** `cluster_name`. */
  readonly clusterName: string;
  /** `region` (the GKE cluster is regional). */
  readonly region: string;
  /** `resource_group` (Azure). */
  readonly resourceGroup?: string;
}

/**
 * The cloud's own command that writes a kubeconfig for the cluster into `kubeconfig` (a file in
 * the stack folder), as an argument array:
 * - AWS: `aws eks update-kubeconfig --kubeconfig <file>`
 *   (https://docs.aws.amazon.com/cli/latest/reference/eks/update-kubeconfig.html);
 * - GCP: `gcloud container clusters get-credentials --dns-endpoint` with `KUBECONFIG=<file>`:
 *   the DNS-based control-plane endpoint is IAM-authorized and reachable without a network path
 *   (https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation#dns-based_endpoint);
 * - Azure: `az aks get-credentials --file <file>`; AKS clusters use Entra ID (local accounts are
 *   disabled), so the kubeconfig calls kubelogin, converted to the Azure CLI's login
 *   (`kubelogin convert-kubeconfig -l azurecli`) by the second command.
 */
export function credentialsCommands(model: PlatformModel, outputs: ClusterOutputs, kubeconfig: string): CredentialsCommand[] {
  switch (model.cloud) {
    case "aws":
      return [{ tool: "aws", args: ["eks", "update-kubeconfig", "--region", outputs.region, "--name", outputs.clusterName, "--kubeconfig", kubeconfig, "--alias", model.stackName] }];
    case "gcp":
      return [
        {
          tool: "gcloud",
          args: ["container", "clusters", "get-credentials", outputs.clusterName, "--location", outputs.region, "--project", model.gcp?.project ?? "", "--dns-endpoint"],
          env: { KUBECONFIG: kubeconfig },
        },
      ];
    case "azure": {
      if (!outputs.resourceGroup) throw missingOutput("resource_group");
      return [
        {
          tool: "az",
          args: [
            "aks",
            "get-credentials",
            "--resource-group",
            outputs.resourceGroup,
            "--name",
            outputs.clusterName,
            ...(model.azure?.subscriptionId ? ["--subscription", model.azure.subscriptionId] : []),
            "--file",
            kubeconfig,
            "--overwrite-existing",
          ],
        },
        // https://azure.github.io/kubelogin/cli/convert-kubeconfig.html
        { tool: "kubelogin", args: ["convert-kubeconfig", "-l", "azurecli", "--kubeconfig", kubeconfig] },
      ];
    }
  }
}

/** Reads the outputs the credentials need from `terraform output -json`; undefined when the stack has no cluster in state yet. */
export function clusterOutputs(outputs: Readonly<Record<string, { readonly value: unknown }>>): ClusterOutputs | undefined {
  const name = outputs.cluster_name?.value;
  const region = outputs.region?.value;
  if (typeof name !== "string" || name === "") return undefined;
  if (typeof region !== "string" || region === "") throw missingOutput("region");
  const rg = outputs.resource_group?.value;
  return { clusterName: name, region, resourceGroup: typeof rg === "string" ? rg : undefined };
}

function missingOutput(name: string): MlplatError {
  return new MlplatError("MLP_KUBECTL_FAILED", `the stack's terraform outputs have a cluster but no \`${name}\` output, which the credentials command needs.`, {
    exitCode: 3,
    hint: "run `mlplat deploy` again so terraform writes every output; if it persists, this is a bug in mlplat: please report it.",
  });
}
