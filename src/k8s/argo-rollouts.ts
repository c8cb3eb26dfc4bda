import type { PlatformModel } from "../model/platform.js";
import { ARGO_ROLLOUTS_CRD_NAMES, argoRolloutsCrds } from "./argo-rollouts-crds.js";
import { MANAGED_BY, POOL_LABEL, SYSTEM_POOL } from "./conventions.js";
import type { ManifestDoc } from "./render.js";
import { usesArgoRollout } from "./rollout.js";
import { CRITICAL_ADDONS_TOLERATION } from "./tolerations.js";
import { ARGO_ROLLOUTS_IMAGE, ARGO_ROLLOUTS_VERSION } from "./versions.js";

export { ARGO_ROLLOUTS_CRD_NAMES };

/** Namespace and name of the controller, as upstream's install.yaml has them (its ClusterRoleBinding names this namespace). */
export const ARGO_ROLLOUTS_NAMESPACE = "argo-rollouts";
export const ARGO_ROLLOUTS_NAME = "argo-rollouts";

/**
 * Where the controller and CRD manifest comes from: upstream's cluster-wide install manifest of
 * the pinned release (https://github.com/argoproj/argo-rollouts/releases/download/<version>/install.yaml,
 * assembled from manifests/crds, manifests/base and manifests/role of the repository), written
 * here as data like the other add-ons (src/k8s/cluster-autoscaler.ts). Differences from it, on
 * purpose: the image tag pinned (upstream's base says `latest`, the release rewrites it) with
 * `IfNotPresent`; the controller on the system pool with requests and a restricted security
 * context; the namespace created here and enforcing the `restricted` Pod Security Standard; the
 * CRD schemas reduced (src/k8s/argo-rollouts-crds.ts); RBAC without the service-mesh and
 * ingress-controller API groups (Istio, SMI, Ambassador, App Mesh, Traefik, ALB target groups):
 * mlplat's Rollouts use no traffic router. The rendered file's sha256 is pinned in
 * test/k8s/argo-rollouts.test.ts, so any change to it is a reviewed change.
 */
export const ARGO_ROLLOUTS_SOURCE = `https://github.com/argoproj/argo-rollouts/releases/download/${ARGO_ROLLOUTS_VERSION}/install.yaml`;

/**
 * `k8s/platform/argo-rollouts.yaml`: the Argo Rollouts controller and its CRDs, when at least one
 * `runtime: kubernetes` endpoint has a canary or linear `rollout`; undefined otherwise.
 */
export function argoRolloutsManifest(model: PlatformModel): ManifestDoc[] | undefined {
  if (!model.cluster || !model.endpoints.some(usesArgoRollout)) return undefined;
  const name = ARGO_ROLLOUTS_NAME;
  const namespace = ARGO_ROLLOUTS_NAMESPACE;
  const selector = { "app.kubernetes.io/name": name };
  const labels = { ...selector, "app.kubernetes.io/component": "rollouts-controller", "app.kubernetes.io/part-of": model.stackName, "app.kubernetes.io/managed-by": MANAGED_BY };
  const all = ["create", "get", "list", "watch", "update", "patch", "delete"];
  const read = ["get", "list", "watch"];
  const aggregate = (role: "admin" | "edit" | "view", verbs: string[]): ManifestDoc => ({
    object: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: `argo-rollouts-aggregate-to-${role}`, labels: { ...labels, [`rbac.authorization.k8s.io/aggregate-to-${role}`]: "true" } },
      rules: [
        {
          apiGroups: ["argoproj.io"],
          resources: ["rollouts", "rollouts/scale", "rollouts/status", "experiments", "analysistemplates", "clusteranalysistemplates", "analysisruns"],
          verbs,
        },
      ],
    },
  });

  return [
    {
      comment: [`Argo Rollouts ${ARGO_ROLLOUTS_VERSION} for the canary and linear rollouts of runtime: kubernetes endpoints.`, `Written from ${ARGO_ROLLOUTS_SOURCE} (src/k8s/argo-rollouts.ts lists the differences).`],
      object: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace, labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" } },
      },
    },
    ...argoRolloutsCrds(labels),
    { object: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } } },
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name, labels },
        rules: [
          { apiGroups: ["argoproj.io"], resources: ["rollouts", "rollouts/status", "rollouts/finalizers"], verbs: ["get", "list", "watch", "update", "patch"] },
          { apiGroups: ["argoproj.io"], resources: ["analysisruns", "analysisruns/finalizers", "experiments", "experiments/finalizers"], verbs: all },
          { apiGroups: ["argoproj.io"], resources: ["analysistemplates", "clusteranalysistemplates"], verbs: read },
          // The ReplicaSets of each revision.
          { apiGroups: ["apps"], resources: ["replicasets"], verbs: all },
          // workloadRef: the Deployment holding the pod template, scaled down by `scaleDown`.
          { apiGroups: ["", "apps"], resources: ["deployments", "podtemplates"], verbs: [...read, "update", "patch"] },
          { apiGroups: [""], resources: ["services"], verbs: [...read, "patch", "create", "delete"] },
          // Leader election.
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create", "get", "update"] },
          { apiGroups: [""], resources: ["secrets", "configmaps"], verbs: read },
          { apiGroups: [""], resources: ["pods"], verbs: ["list", "update", "watch"] },
          { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
          { apiGroups: [""], resources: ["events"], verbs: ["create", "update", "patch"] },
          // The controller starts informers on these whether or not a Rollout uses them.
          { apiGroups: ["networking.k8s.io", "extensions"], resources: ["ingresses"], verbs: ["create", "get", "list", "watch", "patch"] },
          { apiGroups: ["batch"], resources: ["jobs"], verbs: all },
        ],
      },
    },
    // Namespace admins and editors may promote and abort (kubectl-argo-rollouts patches rollouts).
    aggregate("admin", [...all, "deletecollection"]),
    aggregate("edit", [...all, "deletecollection"]),
    aggregate("view", read),
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
        subjects: [{ kind: "ServiceAccount", name, namespace }],
      },
    },
    {
      object: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `${name}-metrics`, namespace, labels },
        spec: { selector, ports: [{ name: "metrics", protocol: "TCP", port: 8090, targetPort: 8090 }] },
      },
    },
    {
      object: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate" },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: name,
              nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
              tolerations: [CRITICAL_ADDONS_TOLERATION],
              securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name,
                  image: ARGO_ROLLOUTS_IMAGE,
                  imagePullPolicy: "IfNotPresent",
                  ports: [
                    { name: "metrics", containerPort: 8090 },
                    { name: "healthz", containerPort: 8080 },
                  ],
                  livenessProbe: { httpGet: { path: "/healthz", port: "healthz" }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 10 },
                  readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 4 },
                  resources: { requests: { cpu: "100m", memory: "256Mi" } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
              ],
            },
          },
        },
      },
    },
  ];
}
