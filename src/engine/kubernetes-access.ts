import { join } from "node:path";
import { clusterOutputs, credentialsCommands } from "../kubectl/credentials.js";
import { KUBECONFIG_FILE, type KubectlRunner } from "../kubectl/runner.js";
import type { PlatformModel } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import type { EngineDeps, SynthedStack } from "./ports.js";

/**
 * Reaching a stack's cluster, shared by the Kubernetes phase (src/engine/kubernetes-phase.ts)
 * and the prune of removed endpoints (src/engine/kubernetes-prune.ts): the cluster's
 * credentials, fetched the cloud's way into `<stack>/kubeconfig` (src/kubectl/credentials.ts),
 * never the user's ~/.kube/config.
 */
export async function connect(deps: EngineDeps, kubectl: KubectlRunner, stack: SynthedStack, model: PlatformModel): Promise<void> {
  const outputs = clusterOutputs(await deps.runner.output(stack.dir));
  if (!outputs) {
    throw new MlplatError("MLP_KUBECTL_FAILED", `stack ${stack.name} has a cluster in the blueprint but no cluster_name output in its state, so there is no cluster to apply k8s/ to.`, {
      exitCode: 3,
      hint: "run mlplat deploy again so the cluster is created; --skip-kubernetes leaves k8s/ to GitOps.",
    });
  }
  for (const command of credentialsCommands(model, outputs, join(stack.dir, KUBECONFIG_FILE))) {
    await deps.progress.step("credentials", `${stack.name} (${command.tool})`, () => kubectl.credentials(stack.dir, command));
  }
}

export function requireKubectl(deps: EngineDeps): KubectlRunner {
  if (!deps.kubectl) throw new Error("engine deps have no kubectl runner; defaultDeps provides one");
  return deps.kubectl;
}
