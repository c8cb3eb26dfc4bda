import { listStackFiles, readStackText } from "../output/stack-files.js";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { clusterOutputs } from "../kubectl/credentials.js";
import type { WorkloadRef } from "../kubectl/runner.js";
import { endpointObjectName, MANAGED_BY, SERVING_NAMESPACE } from "../k8s/conventions.js";
import { usesArgoRollout } from "../k8s/rollout.js";
import { clusterAccessPath } from "../model/access-path.js";
import type { PlatformModel } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import type { DeployReport } from "./deploy.js";
import { deferredMessage, type ImagePhase } from "./image-phase.js";
import { connect, requireKubectl } from "./kubernetes-access.js";
import type { KubernetesPrune } from "./kubernetes-prune.js";
import type { EngineDeps, SynthResult, SynthedStack } from "./ports.js";

/**
 * The Kubernetes layer of deploy and destroy: the manifests synth writes beside the stack
 * (src/k8s/write.ts: `k8s/platform/*.yaml` add-ons, `k8s/namespace.yaml`, `k8s/<endpoint>.yaml`)
 * applied through the cluster's access path after the terraform apply, and deleted before the
 * terraform destroy.
 *
 * Deploy, per stack with a cluster:
 *  1. credentials the cloud's way into `<stack>/kubeconfig` (src/kubectl/credentials.ts), never
 *     the user's ~/.kube/config;
 *  2. `kubectl apply --server-side --field-manager=mlplat` of `k8s/platform/` (Argo Rollouts'
 *     controller and CRDs, NVIDIA device plugin, cluster-autoscaler), `kubectl wait` until the
 *     CRDs among them are Established, then `kubectl rollout status` of each of their workloads
 *     with a timeout (MLP_K8S_ROLLOUT_TIMEOUT);
 *  3. the same apply of the namespace and the endpoints (`k8s/*.yaml`, the namespace first):
 *     an endpoint's `Rollout` is only applied once its CRD is served;
 *  3b. the prune of removed endpoints (src/engine/kubernetes-prune.ts): before the confirmation,
 *     plan and deploy list this stack's endpoint objects in the serving namespace
 *     (`app.kubernetes.io/managed-by=mlplat,app.kubernetes.io/part-of=<stack>,mlplat.io/endpoint`)
 *     whose endpoint no manifest declares any more, as `k8s: delete <Kind> <ns>/<name>` lines
 *     with the plan's disruptions; deploy refuses them without `--allow-disruption`
 *     (MLP_DISRUPTION, exit 1) and, here, once the current endpoints are applied, lists again
 *     and deletes the reviewed ones that are still stale (`kubectl delete --wait`). Never the
 *     namespace, the add-ons, or an object without those labels; `--skip-kubernetes` skips it;
 *     offline it is not read (said in the output);
 *  4. the endpoints' Deployments (or, with a canary/linear rollout, their Argo `Rollout`s) read
 *     back: available replicas of each, reported as ready or not (deploy does not wait for GPU
 *     nodes to scale up, nor for a canary's bakes).
 * Destroy: the endpoints and their namespace, then the add-ons, `kubectl delete --wait`, so
 * nothing a controller made in the cloud outlives the cluster.
 */

/** Deploy refuses (exit 1) before anything is applied when the cluster cannot be reached, unless the Kubernetes layer is skipped. */
export function refuseWithoutAccessPath(model: PlatformModel | undefined, skipKubernetes: boolean): void {
  if (!model || skipKubernetes) return;
  const path = clusterAccessPath(model);
  if (path.reachable) return;
  throw new MlplatError("MLP_CLUSTER_NO_ACCESS_PATH", `Deploy refused: mlplat could not apply k8s/ after the terraform apply: ${path.reason ?? "no access path to the cluster API."} Nothing was applied.`, {
    hint:
      "add the private range mlplat runs from (VPN, peered network, CI runner subnet) to spec.network.adminCidrs, " +
      "or run with --skip-kubernetes and apply the stack's k8s/ folder through GitOps from inside the network.",
  });
}

export interface EndpointReadiness {
  readonly endpoint: string;
  readonly available: number;
  readonly desired: number;
  readonly ready: boolean;
  /** Endpoints with an Argo Rollouts `Rollout`: its phase and canary step (`kubectl get rollouts.argoproj.io`). */
  readonly rollout?: { readonly phase?: string; readonly step?: number; readonly steps: number; readonly aborted: boolean };
}

export interface KubernetesReport {
  readonly status: "applied" | "skipped" | "deleted";
  /** Why it was skipped. */
  readonly reason?: string;
  /** Files applied (or deleted), relative to the stack folder, in order. */
  readonly files: string[];
  readonly endpoints: EndpointReadiness[];
  /** Objects of endpoints removed from the blueprint that this run deleted (`Deployment mlplat-serving/chat`). */
  readonly deleted?: string[];
  /** Objects of removed endpoints found after the apply that nobody reviewed: left for the next deploy. */
  readonly leftInPlace?: string[];
}

export interface KubernetesOptions {
  /** @default 300 */
  readonly rolloutTimeoutSeconds?: number;
  /** The prune of removed endpoints previewed (and confirmed) before the apply (src/engine/kubernetes-prune.ts). */
  readonly prune?: KubernetesPrune;
}

/** The default `kubectl rollout status --timeout` of the add-ons, in seconds. */
export const ROLLOUT_TIMEOUT_SECONDS = 300;

export async function deployKubernetes(deps: EngineDeps, stack: SynthedStack, model: PlatformModel, options: KubernetesOptions = {}): Promise<KubernetesReport> {
  const { platform, endpoints } = manifestFiles(stack.dir);
  const prune = options.prune;
  if (platform.length + endpoints.length === 0 && !prune?.hasWork(stack.name)) return { status: "skipped", reason: "no Kubernetes manifests", files: [], endpoints: [] };
  const kubectl = requireKubectl(deps);
  await connect(deps, kubectl, stack, model);
  const timeout = options.rolloutTimeoutSeconds ?? ROLLOUT_TIMEOUT_SECONDS;

  await deps.progress.step("k8s-platform", stack.name, () => kubectl.apply(stack.dir, platform));
  const crds = customResourceDefinitions(stack.dir, platform);
  if (crds.length > 0) await deps.progress.step("k8s-crds", stack.name, () => kubectl.waitEstablished(stack.dir, crds, timeout));
  for (const w of workloads(stack.dir, platform)) {
    await deps.progress.step("rollout", `${stack.name} ${w.kind.toLowerCase()}/${w.name}`, () => kubectl.rolloutStatus(stack.dir, w, timeout));
  }
  await deps.progress.step("k8s-endpoints", stack.name, () => kubectl.apply(stack.dir, endpoints));
  // Objects of endpoints removed from the blueprint, once the current ones are applied (make before break).
  const pruned = prune ? await prune.deleteReviewed(stack, kubectl, timeout) : { deleted: [], leftInPlace: [] };

  const wanted = model.endpoints.filter((e) => e.runtime === "kubernetes").map((e) => ({ endpoint: e.name, object: endpointObjectName(e.name), argo: usesArgoRollout(e) }));
  let readiness: EndpointReadiness[] = [];
  if (wanted.length > 0) {
    const selector = `app.kubernetes.io/managed-by=${MANAGED_BY}`;
    const found = await deps.progress.step("k8s-status", stack.name, () => kubectl.deployments(stack.dir, SERVING_NAMESPACE, selector));
    const rollouts = wanted.some((w) => w.argo) ? await deps.progress.step("k8s-status", stack.name, () => kubectl.rollouts(stack.dir, SERVING_NAMESPACE, selector)) : [];
    readiness = wanted.map(({ endpoint, object, argo }) => {
      if (argo) {
        const r = rollouts.find((x) => x.name === object);
        const available = r?.available ?? 0;
        const desired = r?.desired ?? 0;
        const rollout = { phase: r?.phase, step: r?.step, steps: r?.steps ?? 0, aborted: r?.aborted ?? false };
        return { endpoint, available, desired, ready: r !== undefined && available > 0 && available >= desired && r.phase !== "Degraded", rollout };
      }
      const d = found.find((x) => x.name === object);
      const available = d?.available ?? 0;
      const desired = d?.desired ?? 0;
      return { endpoint, available, desired, ready: d !== undefined && available > 0 && available >= desired };
    });
  }
  deps.ui.print(renderKubernetes(stack.name, platform, readiness));
  return {
    status: "applied",
    files: [...platform, ...endpoints],
    endpoints: readiness,
    ...(pruned.deleted.length > 0 ? { deleted: pruned.deleted } : {}),
    ...(pruned.leftInPlace.length > 0 ? { leftInPlace: pruned.leftInPlace } : {}),
  };
}

/**
 * Destroy's first step: the endpoints and their namespace, then the add-ons. Skipped (said,
 * not refused) when the stack has no cluster in state or no way to reach it: the objects go
 * with the cluster, and destroy must not be blocked by an unreachable API server.
 */
export async function deleteKubernetes(deps: EngineDeps, stack: SynthedStack, model: PlatformModel, options: KubernetesOptions = {}): Promise<KubernetesReport> {
  const { platform, endpoints } = manifestFiles(stack.dir);
  const skipped = (reason: string): KubernetesReport => {
    deps.ui.print(`Stack ${stack.name}: Kubernetes objects not deleted first (${reason}); they are deleted with the cluster.`);
    return { status: "skipped", reason, files: [], endpoints: [] };
  };
  if (platform.length + endpoints.length === 0) return { status: "skipped", reason: "no Kubernetes manifests", files: [], endpoints: [] };
  const path = clusterAccessPath(model);
  if (!path.reachable) return skipped(`no access path: ${path.reason ?? "the cluster API is unreachable"}`);
  const outputs = clusterOutputs(await deps.runner.output(stack.dir));
  if (!outputs) return skipped("no cluster in the state");
  const kubectl = requireKubectl(deps);
  await connect(deps, kubectl, stack, model);
  const timeout = options.rolloutTimeoutSeconds ?? ROLLOUT_TIMEOUT_SECONDS;
  // Endpoints before their namespace (kubectl deletes in the order given), add-ons last.
  const order = [...endpoints.filter((f) => f !== "k8s/namespace.yaml"), ...endpoints.filter((f) => f === "k8s/namespace.yaml")];
  await deps.progress.step("k8s-delete-endpoints", stack.name, () => kubectl.delete(stack.dir, order, timeout));
  await deps.progress.step("k8s-delete-platform", stack.name, () => kubectl.delete(stack.dir, [...platform].reverse(), timeout));
  deps.ui.print(`Stack ${stack.name}: deleted the Kubernetes objects of k8s/ (endpoints, namespace ${SERVING_NAMESPACE}, add-ons).`);
  return { status: "deleted", files: [...order, ...[...platform].reverse()], endpoints: [] };
}

/** `k8s/platform/*.yaml` (sorted) and `k8s/*.yaml` without the kustomization (namespace first, then sorted). */
export function manifestFiles(stackDir: string): { platform: string[]; endpoints: string[] } {
  const list = (rel: string) => listStackFiles(stackDir, rel, ".yaml");
  const top = list("k8s").filter((f) => f !== "k8s/kustomization.yaml");
  return { platform: list("k8s/platform"), endpoints: [...top.filter((f) => f === "k8s/namespace.yaml"), ...top.filter((f) => f !== "k8s/namespace.yaml")] };
}

/** The names of the CustomResourceDefinitions in the add-on manifests (Argo Rollouts'), which deploy waits to be Established. */
export function customResourceDefinitions(stackDir: string, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(readStackText(stackDir, f))) {
      const o = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (o?.kind === "CustomResourceDefinition" && typeof o.metadata?.name === "string") out.push(o.metadata.name);
    }
  }
  return out;
}

/** The workloads of the add-on manifests, whose rollout deploy waits for. */
export function workloads(stackDir: string, files: readonly string[]): WorkloadRef[] {
  const out: WorkloadRef[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(readStackText(stackDir, f))) {
      const o = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
      if (!o || (o.kind !== "Deployment" && o.kind !== "DaemonSet" && o.kind !== "StatefulSet")) continue;
      if (typeof o.metadata?.name !== "string") continue;
      out.push({ kind: o.kind, name: o.metadata.name, namespace: typeof o.metadata.namespace === "string" ? o.metadata.namespace : "default" });
    }
  }
  return out;
}

function renderKubernetes(stack: string, platform: readonly string[], readiness: readonly EndpointReadiness[]): string {
  const lines = [`Stack ${stack}: Kubernetes layer applied (${platform.length} add-on file${platform.length === 1 ? "" : "s"} rolled out${readiness.length ? `, ${readiness.length} endpoint${readiness.length === 1 ? "" : "s"}` : ""}).`];
  for (const r of readiness) {
    const ro = r.rollout;
    const rolloutNote = ro ? (ro.aborted ? ", rollout aborted" : ro.phase ? `, rollout ${ro.phase}${ro.step !== undefined && ro.steps > 0 && ro.step < ro.steps ? ` at step ${ro.step}/${ro.steps}` : ""}` : "") : "";
    if (rolloutNote) {
      lines.push(`  endpoint ${r.endpoint}: ${r.ready ? "ready" : "not ready yet"} (${r.available}/${r.desired} available${rolloutNote}; \`mlplat status\` follows it)`);
      continue;
    }
    lines.push(
      r.ready
        ? `  endpoint ${r.endpoint}: ready (${r.available}/${r.desired} available)`
        : `  endpoint ${r.endpoint}: not ready yet (${r.available}/${r.desired} available; GPU nodes can take minutes to scale up: \`kubectl -n ${SERVING_NAMESPACE} get pods\` with the stack's kubeconfig)`,
    );
  }
  return lines.join("\n");
}

/**
 * What deploy does after the terraform apply (or when terraform had nothing to change): the
 * Kubernetes layer of each stack with a cluster, unless skipped, then the message about deferred
 * endpoints, which makes the status `partial`. Offline runs, refusals and declines return as they are.
 */
export async function afterTerraform(
  deps: EngineDeps,
  report: DeployReport,
  synth: SynthResult,
  images: ImagePhase,
  options: KubernetesOptions & { readonly skipKubernetes?: boolean; readonly offline?: boolean },
): Promise<DeployReport> {
  if (options.offline || (report.status !== "applied" && report.status !== "no-changes")) return report;
  const model = synth.model;
  const kubernetes: (KubernetesReport & { stack: string })[] = [];
  if (model?.cluster) {
    for (const stack of synth.stacks.filter((s) => s.name === model.stackName)) {
      if (options.skipKubernetes) {
        deps.ui.print(
          `Stack ${stack.name}: --skip-kubernetes: k8s/ was not applied; apply ${join(stack.dir, "k8s")} through GitOps (server-side apply of k8s/platform/, then k8s/). ` +
            "Objects of endpoints removed from the blueprint were not looked for: delete them through GitOps too.",
        );
        kubernetes.push({ stack: stack.name, status: "skipped", reason: "--skip-kubernetes", files: [], endpoints: [] });
        continue;
      }
      kubernetes.push({ stack: stack.name, ...(await deployKubernetes(deps, stack, model, options)) });
    }
  }
  if (images.deferred.length === 0 || !images.model) return { ...report, kubernetes };
  deps.ui.print(await deferredMessage(deps, synth, images.model, images.deferred));
  return { ...report, status: "partial", kubernetes, deferred: images.deferred };
}
