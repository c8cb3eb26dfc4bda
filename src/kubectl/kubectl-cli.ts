import { chmodSync, existsSync, lstatSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { conflictManagers, isApplyConflict, isRolloutTimeout, isUnknownResourceType, KubectlError, kubectlHint, tailDetails } from "./failure.js";
import type { ToolExec, ToolResult } from "./exec.js";
import {
  FIELD_MANAGER,
  type ClusterObject,
  KUBECONFIG_FILE,
  KUBECTL_LOG_FILE,
  type CredentialsCommand,
  type DeploymentStatus,
  type KubectlRunner,
  type RolloutStatus,
  type WorkloadRef,
} from "./runner.js";

/** The fields of `kubectl get deployments -o json` mlplat reads; unknown keys are dropped. */
const DeploymentList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
      spec: z.object({ replicas: z.number().optional() }).optional(),
      status: z.object({ availableReplicas: z.number().optional() }).optional(),
    }),
  ),
});

/** The fields of `kubectl get rollouts.argoproj.io -o json` mlplat reads; unknown keys are dropped. */
const RolloutList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
      spec: z.object({ replicas: z.number().optional(), strategy: z.object({ canary: z.object({ steps: z.array(z.unknown()).optional() }).optional() }).optional() }).optional(),
      status: z
        .object({
          availableReplicas: z.number().optional(),
          updatedReplicas: z.number().optional(),
          phase: z.string().optional(),
          message: z.string().optional(),
          currentStepIndex: z.number().optional(),
          abort: z.boolean().optional(),
          stableRS: z.string().optional(),
          currentPodHash: z.string().optional(),
        })
        .optional(),
    }),
  ),
});

/** The fields of a `kubectl get <resource>,… -o json` list prune reads; unknown keys are dropped. */
const ObjectList = z.object({
  items: z.array(
    z.object({
      apiVersion: z.string(),
      kind: z.string(),
      metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
    }),
  ),
});

/**
 * `KubectlRunner` over command-line tools: kubectl for the cluster, the cloud's CLI for
 * credentials. Every kubectl call names the stack's kubeconfig (`--kubeconfig`, and
 * `KUBECONFIG` for exec credential plugins), so the user's ~/.kube/config is never read or
 * written. Argument arrays only; output goes to `<stack>/kubectl.log`.
 */
export class KubectlCli implements KubectlRunner {
  constructor(private readonly exec: ToolExec) {}

  async credentials(dir: string, command: CredentialsCommand): Promise<void> {
    const kubeconfig = join(dir, KUBECONFIG_FILE);
    refuseLink(kubeconfig);
    const logFile = join(dir, KUBECTL_LOG_FILE);
    const r = await this.exec.run({ tool: command.tool, args: command.args, cwd: dir, logFile, env: { ...command.env, KUBECONFIG: kubeconfig } });
    if (r.code !== 0 || r.interrupted) {
      throw new KubectlError("MLP_CLUSTER_CREDENTIALS_FAILED", `${interruptedOr(r, `${command.tool} could not fetch the cluster credentials`)} for stack ${basename(dir)} (\`${command.tool} ${command.args.join(" ")}\`).`, {
        logFile,
        details: tailDetails(r.stderr, logFile),
        hint:
          "sign in to the cloud first (AWS: `aws sso login` or AWS_PROFILE; GCP: `gcloud auth login`; Azure: `az login`) with an identity allowed to read the cluster, " +
          "or pass --skip-kubernetes to leave k8s/ to GitOps.",
      });
    }
    // The file holds cluster credentials (or the command that gets them): owner only.
    refuseLink(kubeconfig);
    if (!existsSync(kubeconfig)) {
      throw new KubectlError("MLP_CLUSTER_CREDENTIALS_FAILED", `\`${command.tool} ${command.args.join(" ")}\` succeeded but wrote no kubeconfig at ${kubeconfig}.`, {
        logFile,
        hint: "check the cloud CLI's version (mlplat needs one that writes to the file it names) and the log.",
      });
    }
    chmodSync(kubeconfig, 0o600);
  }

  async apply(dir: string, files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    const args = ["apply", "--server-side", `--field-manager=${FIELD_MANAGER}`, ...files.flatMap((f) => ["-f", f])];
    const r = await this.kubectl(dir, args);
    if (r.code === 0 && !r.interrupted) return;
    const logFile = join(dir, KUBECTL_LOG_FILE);
    if (isApplyConflict(r.stderr)) {
      const managers = conflictManagers(r.stderr);
      throw new KubectlError(
        "MLP_KUBECTL_CONFLICT",
        `kubectl apply in stack ${basename(dir)} conflicts with fields owned by ${managers.length ? managers.map((m) => `"${m}"`).join(", ") : "another field manager"}; nothing in the conflicting object was changed.`,
        {
          logFile,
          details: tailDetails(r.stderr, logFile),
          hint:
            "another tool (a GitOps controller, a hand edit, the HPA) manages those fields. Stop it managing them, or take them over on purpose with " +
            `\`kubectl --kubeconfig ${join(dir, KUBECONFIG_FILE)} apply --server-side --field-manager=${FIELD_MANAGER} --force-conflicts ${files.map((f) => `-f ${f}`).join(" ")}\` in ${dir}, then deploy again.`,
        },
      );
    }
    throw this.failure(dir, "apply", r);
  }

  async rolloutStatus(dir: string, workload: WorkloadRef, timeoutSeconds: number): Promise<void> {
    const ref = `${workload.kind.toLowerCase()}/${workload.name}`;
    const r = await this.kubectl(dir, ["rollout", "status", ref, "-n", workload.namespace, `--timeout=${timeoutSeconds}s`]);
    if (r.code === 0 && !r.interrupted) return;
    const logFile = join(dir, KUBECTL_LOG_FILE);
    if (!r.interrupted && isRolloutTimeout(r.stderr)) {
      throw new KubectlError("MLP_K8S_ROLLOUT_TIMEOUT", `${workload.kind} ${workload.namespace}/${workload.name} did not finish rolling out within ${timeoutSeconds}s (stack ${basename(dir)}).`, {
        logFile,
        details: tailDetails(r.stderr, logFile),
        hint:
          `its pods are not ready: see \`kubectl --kubeconfig ${join(dir, KUBECONFIG_FILE)} -n ${workload.namespace} describe ${ref}\` and the pods' events ` +
          "(image pull, node capacity, quota). The manifests are applied; run deploy again once the cause is fixed.",
      });
    }
    throw this.failure(dir, "rollout status", r);
  }

  async deployments(dir: string, namespace: string, selector: string): Promise<DeploymentStatus[]> {
    const parsed = (await this.getJson(dir, "deployments", namespace, selector, DeploymentList))!;
    return parsed.items.map((d) => ({
      name: d.metadata.name,
      endpoint: d.metadata.labels?.["mlplat.io/endpoint"],
      desired: d.spec?.replicas ?? 1,
      available: d.status?.availableReplicas ?? 0,
    }));
  }

  async waitEstablished(dir: string, crds: readonly string[], timeoutSeconds: number): Promise<void> {
    if (crds.length === 0) return;
    const r = await this.kubectl(dir, ["wait", "--for=condition=Established", ...crds.map((c) => `crd/${c}`), `--timeout=${timeoutSeconds}s`]);
    if (r.code === 0 && !r.interrupted) return;
    if (!r.interrupted && isRolloutTimeout(r.stderr)) {
      throw new KubectlError("MLP_K8S_ROLLOUT_TIMEOUT", `the CustomResourceDefinitions ${crds.join(", ")} were not Established within ${timeoutSeconds}s (stack ${basename(dir)}).`, {
        logFile: join(dir, KUBECTL_LOG_FILE),
        details: tailDetails(r.stderr, join(dir, KUBECTL_LOG_FILE)),
        hint: `see \`kubectl --kubeconfig ${join(dir, KUBECONFIG_FILE)} get crd ${crds.join(" ")} -o yaml\` (status.conditions). The endpoints were not applied; run deploy again once fixed.`,
      });
    }
    throw this.failure(dir, "wait", r);
  }

  async rollouts(dir: string, namespace: string, selector: string): Promise<RolloutStatus[]> {
    const parsed = (await this.getJson(dir, "rollouts.argoproj.io", namespace, selector, RolloutList, { step: "get rollouts" }))!;
    return parsed.items.map((o) => ({
      name: o.metadata.name,
      endpoint: o.metadata.labels?.["mlplat.io/endpoint"],
      desired: o.spec?.replicas ?? 1,
      available: o.status?.availableReplicas ?? 0,
      updated: o.status?.updatedReplicas ?? 0,
      phase: o.status?.phase,
      message: o.status?.message,
      step: o.status?.currentStepIndex,
      steps: o.spec?.strategy?.canary?.steps?.length ?? 0,
      aborted: o.status?.abort === true,
      stableRevision: o.status?.stableRS,
      currentRevision: o.status?.currentPodHash,
    }));
  }

  async delete(dir: string, files: readonly string[], timeoutSeconds: number): Promise<void> {
    if (files.length === 0) return;
    await this.deleteWaiting(
      dir,
      ["delete", "--ignore-not-found", "--wait", `--timeout=${timeoutSeconds}s`, ...files.flatMap((f) => ["-f", f])],
      `objects were still terminating after ${timeoutSeconds}s (finalizers, cloud load balancers or volumes being released). Run destroy again, or pass --skip-kubernetes to let them go with the cluster.`,
    );
  }

  async list(dir: string, namespace: string, resources: readonly string[], selector: string, options: { readonly optional?: boolean } = {}): Promise<ClusterObject[]> {
    const parsed = await this.getJson(dir, resources.join(","), namespace, selector, ObjectList, options);
    // A CRD that is not installed (Argo Rollouts' on a cluster that never had a Rollout): none of its objects exist.
    if (!parsed) return [];
    return parsed.items.map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}),
      labels: o.metadata.labels ?? {},
    }));
  }

  async deleteObjects(dir: string, namespace: string, refs: readonly string[], timeoutSeconds: number): Promise<void> {
    if (refs.length === 0) return;
    await this.deleteWaiting(
      dir,
      ["delete", "-n", namespace, "--ignore-not-found", "--wait", `--timeout=${timeoutSeconds}s`, ...refs],
      `objects were still terminating after ${timeoutSeconds}s (finalizers, pods draining). Run deploy again: it lists what is left and deletes it.`,
    );
  }

  /** `kubectl delete … --wait --timeout`: a timeout fails with `slowHint`, what to do about objects still terminating. */
  private async deleteWaiting(dir: string, args: string[], slowHint: string): Promise<void> {
    const r = await this.kubectl(dir, args);
    if (r.code === 0 && !r.interrupted) return;
    const err = this.failure(dir, "delete", r);
    if (!r.interrupted && isRolloutTimeout(r.stderr)) throw new KubectlError(err.code, err.message, { logFile: err.logFile, details: err.details, hint: slowHint });
    throw err;
  }

  /**
   * `kubectl get <resource> -n <namespace> -l <selector> -o json`, parsed with `schema`; `step`
   * names the command in a failure (default `get <resource>`). With `optional`, a resource type
   * the cluster does not know (a CRD not installed) is undefined instead of a failure.
   */
  private async getJson<T>(dir: string, resource: string, namespace: string, selector: string, schema: z.ZodType<T>, options: { readonly step?: string; readonly optional?: boolean } = {}): Promise<T | undefined> {
    const r = await this.kubectl(dir, ["get", resource, "-n", namespace, "-l", selector, "-o", "json"], true);
    if (options.optional && !r.interrupted && r.code !== 0 && isUnknownResourceType(r.stderr)) return undefined;
    if (r.code !== 0 || r.interrupted) throw this.failure(dir, options.step ?? `get ${resource}`, r);
    try {
      return schema.parse(JSON.parse(r.stdout));
    } catch (err) {
      throw new KubectlError("MLP_KUBECTL_FAILED", `kubectl get ${resource} in stack ${basename(dir)} printed output mlplat cannot read: ${(err as Error).message.split("\n")[0]}`, {
        logFile: join(dir, KUBECTL_LOG_FILE),
      });
    }
  }

  private kubectl(dir: string, args: string[], quietStdout = false): Promise<ToolResult> {
    const kubeconfig = join(dir, KUBECONFIG_FILE);
    return this.exec.run({
      tool: "kubectl",
      args: ["--kubeconfig", kubeconfig, ...args],
      cwd: dir,
      logFile: join(dir, KUBECTL_LOG_FILE),
      env: { KUBECONFIG: kubeconfig },
      quietStdout,
    });
  }

  private failure(dir: string, step: string, r: ToolResult): KubectlError {
    const logFile = join(dir, KUBECTL_LOG_FILE);
    return new KubectlError("MLP_KUBECTL_FAILED", `${interruptedOr(r, `kubectl ${step} failed`)} in stack ${basename(dir)}${r.interrupted ? "" : ` (exit ${r.code ?? "by signal"})`}.`, {
      logFile,
      details: tailDetails(r.stderr, logFile),
      hint: kubectlHint(r.stderr),
    });
  }
}

function interruptedOr(r: ToolResult, text: string): string {
  return r.interrupted ? `${text.split(" ")[0]} was interrupted (${r.interrupted})` : text;
}

/** The kubeconfig must be mlplat's own file: a planted symbolic link is refused, never followed. */
function refuseLink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (isLink) {
    throw new KubectlError("MLP_KUBECONFIG_LINK", `${path} is a symbolic link; mlplat writes cluster credentials only to its own file there.`, {
      logFile: join(path, "..", KUBECTL_LOG_FILE),
      hint: "remove the link (the stack folder is mlplat's synth output) and run deploy again.",
    });
  }
}
