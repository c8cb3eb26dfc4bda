import type { EndpointModel, NodePoolModel, PlatformModel } from "../model/platform.js";
import type { ManifestPlatform } from "./platforms/manifest-platform.js";
import { MlplatError } from "../util/errors.js";
import { ENDPOINT_LABEL, GPU_RESOURCE, MANAGED_BY, POOL_LABEL, SERVING_NAMESPACE, SERVING_PORT, endpointObjectName } from "./conventions.js";
import { cpuQuantity, memoryQuantity, type ManifestDoc } from "./render.js";
import { GPU_TOLERATION, poolTolerations } from "./tolerations.js";
import { ROLLOUT_API_VERSION, rolloutDoc, usesArgoRollout } from "./rollout.js";

/** CPU utilization the HPA keeps replicas at: the one signal every cluster has built in. */
export const HPA_CPU_UTILIZATION = 70;

/** Kubernetes object name of an endpoint: a DNS-1123 label. */
export { endpointObjectName };

/**
 * `k8s/<endpoint>.yaml` of a `runtime: kubernetes` endpoint: its ServiceAccount, a Deployment
 * pinned to the pool the model chose (nodeSelector on the pool label, the pool's taints and the
 * cloud's spot taints tolerated, `nvidia.com/gpu` limits), a ClusterIP Service and a
 * HorizontalPodAutoscaler from `autoscaling`. With a canary or linear `rollout`, an Argo Rollouts
 * `Rollout` referencing the Deployment runs the pods and the HPA scales it (src/k8s/rollout.ts).
 */
export function endpointManifests(model: PlatformModel, e: EndpointModel, platform: ManifestPlatform): ManifestDoc[] {
  const pool = endpointPool(model, e);
  const name = endpointObjectName(e.name);
  const selector = { "app.kubernetes.io/name": name, [ENDPOINT_LABEL]: name };
  const labels = { ...selector, "app.kubernetes.io/part-of": model.stackName, "app.kubernetes.io/managed-by": MANAGED_BY, [POOL_LABEL]: pool.name };
  const metadata = { name, namespace: SERVING_NAMESPACE, labels };

  const identity = platform.workloadIdentity?.(e.name) ?? {};
  const serviceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: Object.keys(identity).length > 0 ? { ...metadata, annotations: { ...identity } } : metadata,
    // Serving containers have no business with the Kubernetes API.
    automountServiceAccountToken: false,
  };

  const gpus = e.gpu?.count ?? 0;
  const resources = {
    requests: { cpu: cpuQuantity(e.cpu), memory: memoryQuantity(e.memoryGiB), ...(gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {}) },
    // No CPU limit: throttling adds tail latency and buys nothing on a dedicated pool. Memory is
    // capped at the request so a leak kills this pod, not its neighbours.
    limits: { memory: memoryQuantity(e.memoryGiB), ...(gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {}) },
  };
  const probe = { tcpSocket: { port: "http" } };
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata,
    spec: {
      // No `replicas`: the HPA owns the replica count. With it here, the next server-side apply
      // after the HPA has scaled conflicts with the HPA's field manager (kube-controller-manager)
      // and deploy stops (kubernetes.io, "Server-Side Apply: transferring ownership" for HPAs).
      // A new Deployment starts at 1 replica and the HPA moves it to min within seconds.
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          nodeSelector: { [POOL_LABEL]: pool.name },
          tolerations: poolTolerations(pool, platform, gpus > 0 ? [GPU_TOLERATION] : []),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "server",
              image: platform.imageUri(e.image),
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: "http", containerPort: SERVING_PORT, protocol: "TCP" }],
              env: [
                { name: "PORT", value: String(SERVING_PORT) },
                // Where the model artifact is, as the managed runtimes pass it.
                ...(e.model && platform.modelUri ? [{ name: "MODEL_URI", value: platform.modelUri(e.model) }] : []),
              ],
              resources,
              // Loading a model can take minutes: liveness only starts once the port is open.
              startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 60 },
              readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
              livenessProbe: { ...probe, periodSeconds: 15, failureThreshold: 4 },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        },
      },
    },
  };

  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata,
    spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
  };

  const rollout = usesArgoRollout(e) && e.rollout ? rolloutDoc({ ...e, rollout: e.rollout }, name, metadata, selector) : undefined;
  const docs: ManifestDoc[] = [
    { object: serviceAccount },
    {
      object: deployment,
      comment: [
        `Endpoint ${e.name}: ${e.gpu ? `${e.gpu.count}× ${e.gpu.type}` : "CPU only"}, on node pool ${pool.name}${pool.spot ? " (spot)" : ""}.`,
        "The image must run as a non-root user given by a numeric USER (runAsNonRoot) and listen on the http port.",
        "The probes only check that the port is open; point them at the server's health path where it has one.",
        ...(rollout ? ["This Deployment only holds the pod template: the Rollout below runs the pods and scales it down to 0."] : []),
      ],
    },
    ...(rollout ? [rollout] : []),
    { object: service },
  ];
  if (e.autoscaling.max >= 1) docs.push(hpa(e, name, metadata, rollout ? "Rollout" : "Deployment"));
  return docs;
}

function hpa(e: EndpointModel, name: string, metadata: Record<string, unknown>, target: "Deployment" | "Rollout"): ManifestDoc {
  const min = e.autoscaling.min;
  const scaled = target === "Rollout" ? `rollout/${name}` : `deployment/${name}`;
  const comment = [
    `Scales on CPU utilization (${HPA_CPU_UTILIZATION}%): the metrics API has no request concurrency metric. It needs metrics-server`,
    "(built into GKE and AKS; on EKS the platform stack installs the `metrics-server` add-on).",
    ...(e.autoscaling.targetConcurrency !== undefined
      ? [
          `To scale on autoscaling.targetConcurrency (${e.autoscaling.targetConcurrency}) instead, publish in-flight requests per pod as a`,
          "custom metric (for example with prometheus-adapter) and replace `metrics` with:",
          "  - type: Pods",
          "    pods:",
          "      metric: { name: <in-flight requests metric> }",
          `      target: { type: AverageValue, averageValue: "${e.autoscaling.targetConcurrency}" }`,
        ]
      : []),
    ...(min === 0
      ? [
          `autoscaling.min is 0, but an HPA cannot scale from zero (minReplicas must be at least 1): the ${target} starts at 1`,
          `replica. Park it with \`kubectl -n ${SERVING_NAMESPACE} scale ${scaled} --replicas=0\` (an HPA leaves a ${target} at 0`,
          `alone; mlplat deploy does not set replicas, so it stays parked) and wake it with \`kubectl -n ${SERVING_NAMESPACE} scale ${scaled} --replicas=1\`;`,
          `this HPA then keeps it between 1 and ${e.autoscaling.max}.`,
          "For scale to zero on traffic, replace this HPA with a KEDA ScaledObject (minReplicaCount: 0).",
        ]
      : []),
  ];
  return {
    comment,
    object: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata,
      spec: {
        scaleTargetRef: target === "Rollout" ? { apiVersion: ROLLOUT_API_VERSION, kind: "Rollout", name } : { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: Math.max(1, min),
        maxReplicas: e.autoscaling.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: HPA_CPU_UTILIZATION } } }],
      },
    },
  };
}

function endpointPool(model: PlatformModel, e: EndpointModel): NodePoolModel {
  const pool = model.cluster?.nodePools.find((p) => p.name === e.pool);
  if (!pool) {
    // The model's fitting rule chose the pool; a miss here is a bug, not a user mistake.
    throw new MlplatError("MLP_K8S_INTERNAL", `endpoint ${e.name} reached the manifests without a node pool (pool: ${e.pool ?? "none"})`, { exitCode: 70 });
  }
  return pool;
}
