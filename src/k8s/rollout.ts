import type { EndpointModel } from "../model/platform.js";
import { trafficSteps, type RolloutModel } from "../model/rollout.js";
import { SERVING_NAMESPACE } from "./conventions.js";
import type { K8sObject, ManifestDoc } from "./render.js";

/**
 * `rollout` on a `runtime: kubernetes` endpoint (issue 18): an Argo Rollouts `Rollout` drives
 * the change of version instead of the Deployment's rolling update.
 *
 * The Rollout references the endpoint's Deployment (`workloadRef`, Argo's documented migration
 * path: https://argoproj.github.io/argo-rollouts/migrating/#reference-deployment-from-rollout)
 * rather than carrying the pod template itself, with `scaleDown: progressively`: the Deployment
 * stays in `k8s/<endpoint>.yaml` as the holder of the pod template, and Argo scales it down as
 * the Rollout's own pods become available. Synth cannot see the cluster, so it writes the one
 * manifest that is safe both for a new endpoint and for one already served by a Deployment:
 * - turning `rollout` on for a deployed endpoint keeps serving (the Deployment's pods serve until
 *   the Rollout's are available; the Service selects both) instead of the outage of deleting the
 *   Deployment and creating a Rollout with the template, whose pods then load the model from
 *   scratch, or of a template-bearing Rollout beside a Deployment nobody scales down (both
 *   running, twice the GPUs, forever);
 * - a new endpoint starts one Deployment pod (it has no `replicas`: the HPA-style ownership of
 *   src/k8s/endpoint.ts) that Argo scales to 0 once the Rollout's first pod is available.
 *
 * There is no traffic router in the serving namespace, so a weight is reached by replica counts
 * (the canary ReplicaSet gets `ceil(weight × replicas)` pods, Argo's basic canary), which the
 * Service spreads requests over: with few replicas the new version's share is coarser than the
 * weight. No alarm rollback: these endpoints have no cloud alarms. A rollout aborts (traffic back
 * on the stable ReplicaSet) when the new pods are not ready within the progress deadline.
 */

export const ROLLOUT_API_VERSION = "argoproj.io/v1alpha1";

/**
 * How long the new pods may take to become ready before the rollout aborts: the startup probe's
 * 10 minutes of model loading (src/k8s/endpoint.ts, 60 × 10 s) plus 10 minutes for a GPU node to
 * be added by the cluster autoscaler.
 */
export const ROLLOUT_PROGRESS_DEADLINE_SECONDS = 1200;

/** True when an endpoint's version changes go through an Argo Rollouts `Rollout` (runtime kubernetes, canary or linear). */
export function usesArgoRollout(e: Pick<EndpointModel, "runtime" | "rollout">): boolean {
  return e.runtime === "kubernetes" && e.rollout !== undefined && e.rollout.strategy !== "allAtOnce";
}

export type CanaryStep = { readonly setWeight: number } | { readonly pause: { readonly duration: string } };

/**
 * Argo canary steps: each weight, then a pause of `bakeMinutes`. The last pause, at 100, keeps
 * the previous ReplicaSet as the stable one for one more bake, so an abort then still returns to it.
 */
export function canarySteps(r: Pick<RolloutModel, "strategy" | "canaryPercent" | "stepPercent" | "bakeMinutes">): CanaryStep[] {
  return trafficSteps(r).flatMap((w) => [{ setWeight: w }, { pause: { duration: `${r.bakeMinutes}m` } }]);
}

/** The `Rollout` of an endpoint whose Deployment `name` holds the pod template. */
export function rolloutDoc(e: EndpointModel & { rollout: RolloutModel }, name: string, metadata: Record<string, unknown>, selector: Record<string, string>): ManifestDoc {
  const r = e.rollout;
  const weights = trafficSteps(r);
  const object: K8sObject = {
    apiVersion: ROLLOUT_API_VERSION,
    kind: "Rollout",
    metadata,
    spec: {
      // No `replicas`: the HPA owns them through the Rollout's scale subresource.
      selector: { matchLabels: selector },
      workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name, scaleDown: "progressively" },
      progressDeadlineSeconds: ROLLOUT_PROGRESS_DEADLINE_SECONDS,
      progressDeadlineAbort: true,
      revisionHistoryLimit: 3,
      strategy: {
        canary: {
          // Never fewer ready pods than before the step: GPU capacity is what serves.
          maxUnavailable: 0,
          maxSurge: "25%",
          steps: canarySteps(r),
        },
      },
    },
  };
  const ref = `rollout/${name}`;
  return {
    object,
    comment: [
      `Endpoint ${e.name}: ${r.strategy} rollout, traffic ${weights.map((w) => `${w}%`).join(" → ")} with ${r.bakeMinutes} min of bake after each step (Argo Rollouts).`,
      "The pod template is the Deployment's (workloadRef); Argo scales that Deployment down as this Rollout's pods become available.",
      "Weights are reached by replica counts (no traffic router): with few replicas the new version's share is coarser.",
      `A rollout aborts when the new pods are not ready within ${ROLLOUT_PROGRESS_DEADLINE_SECONDS / 60} min; there is no alarm rollback on this runtime.`,
      `By hand (kubectl-argo-rollouts plugin): \`kubectl argo rollouts -n ${SERVING_NAMESPACE} get ${ref}\`, \`… promote ${name}\`, \`… abort ${name}\`.`,
    ],
  };
}
