import type { PlatformModel } from "../model/platform.js";
import type { KubernetesPlatform } from "../targets/target.js";
import { MANAGED_BY, POOL_LABEL, SYSTEM_POOL } from "./conventions.js";
import type { ManifestDoc } from "./render.js";
import { CRITICAL_ADDONS_TOLERATION } from "./tolerations.js";
import { clusterAutoscalerImage } from "./versions.js";

/** Namespace and service account the autoscaler's IRSA role trusts (stacks/aws/platform-cluster.ts). */
export const AUTOSCALER_NAMESPACE = "kube-system";
export const AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** The ASG tags the autoscaler discovers node groups by: the ones `ManagedNodeGroup` puts on every group. */
export function autoDiscoveryTags(clusterName: string): [string, string] {
  return ["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${clusterName}`];
}

/**
 * `k8s/platform/cluster-autoscaler.yaml` (EKS): upstream's auto-discovery example
 * (cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml) with the
 * IRSA role the AWS stack creates, the image matching the cluster's minor version, the
 * discovery tags of the stack's node groups, and the pod on the system pool. It is what makes
 * `min: 0` pools grow when a pod asks for them: EKS managed node groups do not scale by themselves.
 * Undefined where the cloud autoscales pools itself.
 */
export function clusterAutoscalerManifest(model: PlatformModel, platform: KubernetesPlatform): ManifestDoc[] | undefined {
  const ca = platform.clusterAutoscaler;
  if (!ca || !model.cluster) return undefined;
  const name = AUTOSCALER_SERVICE_ACCOUNT;
  const namespace = AUTOSCALER_NAMESPACE;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": model.stackName, "app.kubernetes.io/managed-by": MANAGED_BY };
  const subjects = [{ kind: "ServiceAccount", name, namespace }];
  const read = ["watch", "list", "get"];
  const [enabledTag, clusterTag] = autoDiscoveryTags(platform.clusterName);

  const docs: ManifestDoc[] = [
    {
      comment: [`cluster-autoscaler for ${platform.clusterName}: assumes the IRSA role the AWS stack created for kube-system:${name}.`],
      object: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels, annotations: { "eks.amazonaws.com/role-arn": ca.roleArn } } },
    },
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name, labels },
        rules: [
          { apiGroups: [""], resources: ["events", "endpoints"], verbs: ["create", "patch"] },
          { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
          { apiGroups: [""], resources: ["pods/status"], verbs: ["update"] },
          { apiGroups: [""], resources: ["endpoints"], resourceNames: [name], verbs: ["get", "update"] },
          { apiGroups: [""], resources: ["nodes"], verbs: [...read, "update"] },
          {
            apiGroups: [""],
            resources: ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"],
            verbs: read,
          },
          { apiGroups: ["extensions"], resources: ["replicasets", "daemonsets"], verbs: read },
          { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["watch", "list"] },
          { apiGroups: ["apps"], resources: ["statefulsets", "replicasets", "daemonsets"], verbs: read },
          // volumeattachments: read by the scheduler framework the autoscaler embeds since 1.30
          // (kubernetes/autoscaler#7663); without it the informer fails and scale-ups stall.
          { apiGroups: ["storage.k8s.io"], resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], verbs: read },
          { apiGroups: ["batch", "extensions"], resources: ["jobs"], verbs: [...read, "patch"] },
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [name], verbs: ["get", "update"] },
        ],
      },
    },
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name, namespace, labels },
        rules: [
          { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "list", "watch"] },
          {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"],
            verbs: ["delete", "get", "update", "watch"],
          },
        ],
      },
    },
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
        subjects,
      },
    },
    {
      object: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
        subjects,
      },
    },
    {
      object: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { "app.kubernetes.io/name": name } },
          template: {
            metadata: {
              labels,
              // Never evicted by its own scale-down of the node it runs on.
              annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
            },
            spec: {
              priorityClassName: "system-cluster-critical",
              serviceAccountName: name,
              nodeSelector: { [POOL_LABEL]: SYSTEM_POOL },
              tolerations: [CRITICAL_ADDONS_TOLERATION],
              securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name,
                  image: clusterAutoscalerImage(ca.kubernetesVersion),
                  imagePullPolicy: "IfNotPresent",
                  command: [
                    "./cluster-autoscaler",
                    "--v=4",
                    "--stderrthreshold=info",
                    "--cloud-provider=aws",
                    `--node-group-auto-discovery=asg:tag=${enabledTag},${clusterTag}`,
                    "--balance-similar-node-groups",
                    "--skip-nodes-with-system-pods=false",
                    "--skip-nodes-with-local-storage=false",
                    "--expander=least-waste",
                  ],
                  env: [{ name: "AWS_REGION", value: ca.region }],
                  resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "600Mi" } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
              ],
            },
          },
        },
      },
    },
  ];
  return docs;
}
