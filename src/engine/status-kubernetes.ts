import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterOutputs, credentialsCommands } from "../kubectl/credentials.js";
import { clusterAccessPath } from "../model/access-path.js";
import type { TerraformOutput } from "../terraform/runner.js";
import { endpointObjectName, MANAGED_BY, SERVING_NAMESPACE } from "../k8s/conventions.js";
import { usesArgoRollout } from "../k8s/rollout.js";
import { KUBECONFIG_FILE, type DeploymentStatus, type RolloutStatus } from "../kubectl/runner.js";
import type { EndpointModel, PlatformModel } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import type { EngineDeps } from "./ports.js";
import type { EndpointStatus, RolloutView } from "./status.js";
import type { Known } from "./status-sources.js";

/**
 * The `runtime: kubernetes` half of `mlplat status`: the endpoints' Deployments and Argo
 * `Rollout`s, read once per stack with kubectl, through the kubeconfig `mlplat deploy` left in the
 * stack folder. Without one (status on another machine than the deploy: a CI job), the cluster's
 * credentials are fetched the cloud's way (src/kubectl/credentials.ts) into a private temporary
 * folder (mode 0700) that is removed afterwards: the user's ~/.kube/config and the output are not
 * written. When that cannot be done (no access path, no cluster in the state, the cloud CLI
 * failing) or kubectl cannot reach the cluster, every answer is `unknown` with the reason.
 */
export async function kubernetesStatus(
  deps: EngineDeps,
  model: PlatformModel,
  stackDir: string | undefined,
  outputs?: Readonly<Record<string, TerraformOutput>>,
): Promise<(e: EndpointModel) => EndpointStatus> {
  const endpoints = model.endpoints.filter((e) => e.runtime === "kubernetes");
  if (endpoints.length === 0) return () => { throw new Error("no kubernetes endpoint"); };
  const read = await readCluster(deps, model, endpoints, stackDir, outputs);
  return (e) => endpointStatus(e, read);
}

type ClusterRead = Known<{ readonly deployments: readonly DeploymentStatus[]; readonly rollouts: readonly RolloutStatus[] }>;

async function readCluster(
  deps: EngineDeps,
  model: PlatformModel,
  endpoints: readonly EndpointModel[],
  stackDir: string | undefined,
  outputs: Readonly<Record<string, TerraformOutput>> | undefined,
): Promise<ClusterRead> {
  if (!deps.kubectl) return { unknown: "no kubectl runner" };
  const kubectl = deps.kubectl;
  let temp: string | undefined;
  let phase = "kubectl";
  try {
    let dir = stackDir;
    if (!dir || !existsSync(join(dir, KUBECONFIG_FILE))) {
      const path = clusterAccessPath(model);
      if (!path.reachable) return { unknown: `no kubeconfig from a deploy here, and no access path to fetch one: ${path.reason ?? "the cluster API is unreachable"}` };
      const cluster = outputs ? clusterOutputs(outputs) : undefined;
      if (!cluster) return { unknown: "no kubeconfig from a deploy here, and the state names no cluster to fetch credentials for" };
      // A folder named after the stack, so kubectl's messages name the stack as in deploy.
      temp = mkdtempSync(join(tmpdir(), "mlplat-status-kube-"));
      dir = join(temp, model.stackName);
      mkdirSync(dir, { mode: 0o700 });
      phase = "cluster credentials";
      for (const command of credentialsCommands(model, cluster, join(dir, KUBECONFIG_FILE))) {
        const where = dir;
        await deps.progress.step("credentials", `${model.stackName} (${command.tool})`, () => kubectl.credentials(where, command));
      }
    }
    phase = "kubectl";
    const where = dir;
    const selector = `app.kubernetes.io/managed-by=${MANAGED_BY}`;
    const deployments = await deps.progress.step("kubectl", "deployments", () => kubectl.deployments(where, SERVING_NAMESPACE, selector));
    const rollouts = endpoints.some(usesArgoRollout) ? await deps.progress.step("kubectl", "rollouts", () => kubectl.rollouts(where, SERVING_NAMESPACE, selector)) : [];
    return { value: { deployments, rollouts } };
  } catch (err) {
    if (err instanceof MlplatError && err.exitCode !== 70) return { unknown: `${phase}: ${err.message.replace(/\.$/, "")}` };
    throw err;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

const NO_ALARMS = { value: [] } as const;

function endpointStatus(e: EndpointModel, read: ClusterRead): EndpointStatus {
  const name = endpointObjectName(e.name);
  const base = { endpoint: e.name, runtime: e.runtime, resource: { value: `${SERVING_NAMESPACE}/${name}` }, declared: { value: { config: `image ${e.image.kind === "uri" ? e.image.uri : `${e.image.repository}:${e.image.tag}`}` } }, alarms: NO_ALARMS };
  if (!isRead(read)) {
    const why = { unknown: read.unknown };
    return { ...base, serving: why, traffic: why, rollout: why };
  }
  const strategy = e.rollout?.strategy ?? "allAtOnce";
  if (usesArgoRollout(e)) {
    const r = read.value.rollouts.find((x) => x.name === name);
    if (!r) {
      const missing = { unknown: `no Rollout ${SERVING_NAMESPACE}/${name} in the cluster (k8s/ not applied yet?)` };
      return { ...base, serving: missing, traffic: missing, rollout: missing };
    }
    const moving = r.currentRevision !== undefined && r.stableRevision !== undefined && r.currentRevision !== r.stableRevision;
    // No traffic router: the Service spreads requests over the pods, so the split is the pods'.
    const canary = moving && r.desired > 0 ? Math.round((Math.min(r.updated, r.desired) / r.desired) * 100) : 0;
    return {
      ...base,
      serving: { value: { revision: r.stableRevision, state: `${r.phase ?? "unknown phase"}, ${r.available}/${r.desired} available` } },
      traffic: {
        value: moving
          ? [
              { revision: r.stableRevision!, percent: 100 - canary },
              { revision: r.currentRevision!, percent: canary },
            ]
          : [{ revision: r.stableRevision ?? r.currentRevision ?? name, percent: 100 }],
      },
      rollout: { value: argoRollout(strategy, r, moving) },
    };
  }
  const d = read.value.deployments.find((x) => x.name === name);
  if (!d) {
    const missing = { unknown: `no Deployment ${SERVING_NAMESPACE}/${name} in the cluster (k8s/ not applied yet?)` };
    return { ...base, serving: missing, traffic: missing, rollout: missing };
  }
  return {
    ...base,
    serving: { value: { state: `${d.available}/${d.desired} available` } },
    traffic: { value: [{ revision: `deployment/${name}`, percent: 100 }] },
    rollout: { value: { strategy, inProgress: false, detail: "none: a Deployment rolls pods over at once (no canary on this endpoint)" } },
  };
}

function argoRollout(strategy: string, r: RolloutStatus, moving: boolean): RolloutView {
  const steps = r.steps > 0 && r.step !== undefined ? `step ${r.step}/${r.steps}` : "";
  if (r.aborted) return { strategy, inProgress: false, detail: `aborted${r.message ? `: ${r.message}` : ""} (traffic back on ${r.stableRevision ?? "the stable revision"})` };
  if (moving || r.phase === "Paused" || r.phase === "Progressing") {
    return { strategy, inProgress: true, detail: [r.phase, steps, moving ? `${r.currentRevision} replacing ${r.stableRevision}` : "", r.message].filter(Boolean).join(", ") };
  }
  return { strategy, inProgress: false, detail: `none (${r.phase ?? "no phase yet"})` };
}

function isRead(k: ClusterRead): k is Extract<ClusterRead, { value: unknown }> {
  return "value" in k;
}
