import { listStackFiles, readStackText } from "../output/stack-files.js";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { clusterOutputs } from "../kubectl/credentials.js";
import type { ClusterObject, KubectlRunner } from "../kubectl/runner.js";
import { ENDPOINT_LABEL, endpointObjectName, MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL, SERVING_NAMESPACE } from "../k8s/conventions.js";
import { clusterAccessPath } from "../model/access-path.js";
import type { PlatformModel } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import { connect, requireKubectl } from "./kubernetes-access.js";
import type { EngineDeps, SynthedStack } from "./ports.js";
import { rootCompare } from "../util/collate.js";

/**
 * Deploy's prune of removed endpoints: the Kubernetes objects of a `runtime: kubernetes`
 * endpoint that left the blueprint (removed, renamed, moved to a managed runtime) are deleted
 * from the cluster, and only those. Explicit and inspectable rather than `kubectl apply --prune`
 * (whose allowlist and ApplySet modes are alpha):
 *
 *  1. list, in the serving namespace only, the kinds an endpoint's manifest holds
 *     (`PRUNABLE_KINDS`) carrying this stack's labels: `app.kubernetes.io/managed-by=mlplat`,
 *     `app.kubernetes.io/part-of=<stack>` (the `<name>-<env>` every object of `k8s/` carries, so
 *     another stack's objects on the same cluster never match) and `mlplat.io/endpoint`;
 *  2. check those labels and the namespace again on each listed object (never trust the filter
 *     alone), and keep an object that one of the current manifests (`k8s/*.yaml`) declares;
 *  3. an object whose endpoint still has a manifest, or is deferred until its image is pushed,
 *     is left in place and named (e.g. the `Rollout` left by turning `rollout` off, which needs
 *     the Deployment scaled up first: README); the others are the deletions.
 *
 * The deletions are a disruption (pods stop serving): plan and deploy list them with the
 * terraform summary, deploy refuses them without `--allow-disruption` (MLP_DISRUPTION, exit 1),
 * and deletes them after the endpoints are applied, with `kubectl delete --wait`, once listed
 * again: only objects both reviewed and still stale are deleted. Never the namespace (deleting
 * it deletes everything in it, labelled or not), never an add-on of `k8s/platform/`, never a
 * cluster-scoped object or one in another namespace.
 */

/** The kinds of an endpoint's manifest (src/k8s/endpoint.ts, src/k8s/rollout.ts): the only ones listed or deleted, in deletion order. */
export const PRUNABLE_KINDS = [
  { kind: "HorizontalPodAutoscaler", group: "autoscaling", resource: "horizontalpodautoscalers.autoscaling" },
  // Argo Rollouts' CRD may not be installed: listed on its own, a missing type lists as none.
  { kind: "Rollout", group: "argoproj.io", resource: "rollouts.argoproj.io" },
  { kind: "Deployment", group: "apps", resource: "deployments.apps" },
  { kind: "Service", group: "", resource: "services" },
  { kind: "ServiceAccount", group: "", resource: "serviceaccounts" },
] as const;

/** An object of the cluster prune names: to delete, or left in place. */
export interface KubernetesObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Its `mlplat.io/endpoint` label. */
  readonly endpoint: string;
  /** What `kubectl delete` is given: `deployments.apps/chat`. */
  readonly ref: string;
}

export interface PrunePreview {
  readonly stack: string;
  /** Whether the cluster was read; when not, why (offline, no access path, a kubectl failure). */
  readonly read: boolean;
  readonly reason?: string;
  /** Objects of endpoints no longer in the blueprint: deploy deletes them with --allow-disruption. */
  readonly deletions: KubernetesObjectRef[];
  /** Objects of endpoints still declared (or deferred) that no manifest holds any more: left in place. */
  readonly leftovers: KubernetesObjectRef[];
}

/** The label selector of one stack's endpoint objects. */
export function pruneSelector(stack: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY},${PART_OF_LABEL}=${stack},${ENDPOINT_LABEL}`;
}

/** What the current manifests declare: `Kind/namespace/name` of each object of `k8s/*.yaml`, and the endpoints they belong to. */
export function declaredObjects(stackDir: string): { keys: Set<string>; endpoints: Set<string> } {
  const keys = new Set<string>();
  const endpoints = new Set<string>();
  for (const f of listStackFiles(stackDir, "k8s", ".yaml")) {
    if (f === "k8s/kustomization.yaml") continue;
    for (const doc of parseAllDocuments(readStackText(stackDir, f))) {
      const o = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> } } | null;
      if (typeof o?.kind !== "string" || typeof o.metadata?.name !== "string") continue;
      keys.add(`${o.kind}/${typeof o.metadata.namespace === "string" ? o.metadata.namespace : ""}/${o.metadata.name}`);
      const endpoint = o.metadata.labels?.[ENDPOINT_LABEL];
      if (typeof endpoint === "string") endpoints.add(endpoint);
    }
  }
  return { keys, endpoints };
}

/**
 * Pure: the listed objects that are this stack's endpoint objects and no current manifest
 * declares, split into deletions (their endpoint is gone) and leftovers (their endpoint is
 * declared, or in `keep`: deferred). Anything else listed (another stack's, unlabelled, another
 * namespace, another kind) is ignored.
 */
export function staleObjects(
  listed: readonly ClusterObject[],
  declared: { keys: ReadonlySet<string>; endpoints: ReadonlySet<string> },
  stack: string,
  keep: ReadonlySet<string> = new Set(),
): { deletions: KubernetesObjectRef[]; leftovers: KubernetesObjectRef[] } {
  const deletions: KubernetesObjectRef[] = [];
  const leftovers: KubernetesObjectRef[] = [];
  const seen = new Set<string>();
  for (const o of listed) {
    const spec = PRUNABLE_KINDS.find((k) => k.kind === o.kind && groupOf(o.apiVersion) === k.group);
    if (!spec || o.namespace !== SERVING_NAMESPACE) continue;
    if (o.labels[MANAGED_BY_LABEL] !== MANAGED_BY || o.labels[PART_OF_LABEL] !== stack) continue;
    const endpoint = o.labels[ENDPOINT_LABEL];
    if (!endpoint || declared.keys.has(`${o.kind}/${o.namespace}/${o.name}`)) continue;
    const ref = `${spec.resource}/${o.name}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const item = { kind: o.kind, namespace: o.namespace, name: o.name, endpoint, ref };
    (declared.endpoints.has(endpoint) || keep.has(endpoint) ? leftovers : deletions).push(item);
  }
  const rank = (r: KubernetesObjectRef) => PRUNABLE_KINDS.findIndex((k) => k.kind === r.kind);
  const order = (a: KubernetesObjectRef, b: KubernetesObjectRef) => rank(a) - rank(b) || rootCompare(a.name, b.name);
  return { deletions: deletions.sort(order), leftovers: leftovers.sort(order) };
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}

/** One line per deletion, in the summary and the refusal: `k8s: delete Deployment mlplat-serving/chat (endpoint "chat")`. */
export function describeKubernetesDeletion(d: KubernetesObjectRef): string {
  return `k8s: delete ${d.kind} ${d.namespace}/${d.name} (endpoint "${d.endpoint}", no longer in the blueprint)`;
}

/** Lists this stack's endpoint objects in the serving namespace (after `connect`). */
async function listEndpointObjects(deps: EngineDeps, kubectl: KubectlRunner, stack: SynthedStack): Promise<ClusterObject[]> {
  const selector = pruneSelector(stack.name);
  const core = PRUNABLE_KINDS.filter((k) => k.kind !== "Rollout").map((k) => k.resource);
  return deps.progress.step("k8s-prune-list", stack.name, async () => [
    ...(await kubectl.list(stack.dir, SERVING_NAMESPACE, core, selector)),
    ...(await kubectl.list(stack.dir, SERVING_NAMESPACE, ["rollouts.argoproj.io"], selector, { optional: true })),
  ]);
}

/** A failure to read the cluster that plan and the pre-apply listing report and go on from (never an interrupt). */
function readFailure(err: unknown): string | undefined {
  if (!(err instanceof MlplatError) || / was interrupted \(/.test(err.message)) return undefined;
  return ["MLP_KUBECTL_FAILED", "MLP_CLUSTER_CREDENTIALS_FAILED", "MLP_KUBECTL_NOT_FOUND", "MLP_CLOUD_CLI_NOT_FOUND", "MLP_KUBECONFIG_LINK"].includes(err.code) ? `${err.code}: ${err.message}` : undefined;
}

export interface PruneOptions {
  readonly command: "plan" | "deploy";
  readonly offline: boolean;
  /** Endpoints deploy's image phase left out of this synth: their objects are kept. */
  readonly deferred?: readonly string[];
}

/**
 * One run's prune: `preview` per stack before the confirmation (plan and deploy), then, in
 * deploy's Kubernetes phase after the endpoints are applied, `deleteReviewed`.
 */
export class KubernetesPrune {
  private readonly previews = new Map<string, PrunePreview>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly model: PlatformModel | undefined,
    private readonly options: PruneOptions,
  ) {}

  /** What each previewed stack would lose (`--json`'s `prune`). */
  get reports(): PrunePreview[] {
    return [...this.previews.values()];
  }

  /** Every deletion previewed, with its stack: what `--allow-disruption` lets through. */
  get deletions(): (KubernetesObjectRef & { stack: string })[] {
    return this.reports.flatMap((p) => p.deletions.map((d) => ({ stack: p.stack, ...d })));
  }

  /**
   * Lists the stack's stale objects and prints them under the stack's summary. Nothing for a
   * stack without a cluster in the blueprint; an empty list for a cluster not in the state yet
   * (nothing can run on it). Offline, without an access path, or when kubectl fails, it says the
   * cluster was not read and goes on: nothing is then deleted by this run.
   */
  async preview(stack: SynthedStack): Promise<PrunePreview | undefined> {
    const model = this.model;
    if (!model?.cluster || stack.name !== model.stackName) return undefined;
    const unread = (reason: string): PrunePreview => {
      const p: PrunePreview = { stack: stack.name, read: false, reason, deletions: [], leftovers: [] };
      this.previews.set(stack.name, p);
      this.deps.ui.print(
        `Stack ${stack.name}, Kubernetes: the cluster was not read (${reason}), so objects of endpoints removed from the blueprint are not listed` +
          (this.options.command === "plan" ? "; deploy lists them before asking." : "; this run deletes none."),
      );
      return p;
    };
    if (this.options.offline) return unread("--offline");
    const path = clusterAccessPath(model);
    if (!path.reachable) return unread(`no access path: ${path.reason ?? "the cluster API is unreachable"}`);
    if (!this.deps.kubectl) return unread("no kubectl");
    if (!clusterOutputs(await this.deps.runner.output(stack.dir))) {
      const p: PrunePreview = { stack: stack.name, read: true, deletions: [], leftovers: [] };
      this.previews.set(stack.name, p);
      return p;
    }
    let listed: ClusterObject[];
    try {
      const kubectl = requireKubectl(this.deps);
      await connect(this.deps, kubectl, stack, model);
      listed = await listEndpointObjects(this.deps, kubectl, stack);
    } catch (err) {
      const reason = readFailure(err);
      if (reason === undefined) throw err;
      return unread(reason);
    }
    const keep = new Set((this.options.deferred ?? []).map(endpointObjectName));
    const p: PrunePreview = { stack: stack.name, read: true, ...staleObjects(listed, declaredObjects(stack.dir), stack.name, keep) };
    this.previews.set(stack.name, p);
    const text = renderPrune(p);
    if (text) this.deps.ui.print(text);
    return p;
  }

  /** Whether the Kubernetes phase has reviewed deletions on this stack (to run even when it has no manifest left). */
  hasWork(stack: string): boolean {
    return (this.previews.get(stack)?.deletions.length ?? 0) > 0;
  }

  /**
   * After the endpoints are applied (the caller connected): lists again and deletes the objects
   * both reviewed before the confirmation and still stale, `kubectl delete --wait`. Stale
   * objects nobody reviewed (the listing failed before the apply, or they appeared since) are
   * named and left for the next deploy to review.
   */
  async deleteReviewed(stack: SynthedStack, kubectl: KubectlRunner, timeoutSeconds: number): Promise<{ deleted: string[]; leftInPlace: string[] }> {
    const p = this.previews.get(stack.name);
    if (!p || (p.read && p.deletions.length === 0)) return { deleted: [], leftInPlace: [] };
    const keep = new Set((this.options.deferred ?? []).map(endpointObjectName));
    const now = staleObjects(await listEndpointObjects(this.deps, kubectl, stack), declaredObjects(stack.dir), stack.name, keep).deletions;
    const reviewed = new Set(p.deletions.map((d) => d.ref));
    const doomed = now.filter((d) => reviewed.has(d.ref));
    const unreviewed = now.filter((d) => !reviewed.has(d.ref));
    const name = (d: KubernetesObjectRef) => `${d.kind} ${d.namespace}/${d.name}`;
    if (doomed.length > 0) {
      await this.deps.progress.step("k8s-prune", stack.name, () => kubectl.deleteObjects(stack.dir, SERVING_NAMESPACE, doomed.map((d) => d.ref), timeoutSeconds));
      this.deps.ui.print(`Stack ${stack.name}: deleted the Kubernetes objects of endpoints removed from the blueprint: ${doomed.map(name).join(", ")}.`);
    }
    if (unreviewed.length > 0) {
      this.deps.ui.print(
        `Stack ${stack.name}: left in place, not reviewed before the apply: ${unreviewed.map(name).join(", ")} (objects of endpoints no longer in the blueprint); deploy again to review their deletion.`,
      );
    }
    return { deleted: doomed.map(name), leftInPlace: unreviewed.map(name) };
  }
}

/** The stack's prune block, printed after its terraform summary; empty when there is nothing to say. */
export function renderPrune(p: PrunePreview): string {
  if (p.deletions.length + p.leftovers.length === 0) return "";
  const lines = [`Stack ${p.stack}, Kubernetes (${pruneSelector(p.stack)} in namespace ${SERVING_NAMESPACE}):`];
  if (p.deletions.length > 0) {
    lines.push("  WARNING: running parts of the platform would be deleted (deploy needs --allow-disruption):", ...p.deletions.map((d) => `    - ${describeKubernetesDeletion(d)}`));
  }
  for (const d of p.leftovers) {
    lines.push(
      `  left in place: ${d.kind} ${d.namespace}/${d.name}: its endpoint "${d.endpoint}" is still in the blueprint (or waits for its image) and mlplat deletes only objects of removed endpoints` +
        (d.kind === "Rollout" ? "; after turning `rollout` off, scale the Deployment up and delete the Rollout by hand (README)." : "; delete it by hand if it is no longer wanted."),
    );
  }
  return lines.join("\n");
}
