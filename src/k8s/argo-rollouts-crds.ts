import type { ManifestDoc } from "./render.js";

/**
 * The Argo Rollouts CustomResourceDefinitions (group `argoproj.io`, version `v1alpha1`), written
 * from the release's install manifest (manifests/crds/*.yaml of argoproj/argo-rollouts, release
 * ARGO_ROLLOUTS_VERSION in src/k8s/versions.ts): the same names, kinds, short names, scopes,
 * subresources and printer columns.
 *
 * One deliberate difference, said plainly: upstream's `openAPIV3Schema` spells out every field
 * (about 0.5 MB, mostly the embedded pod template); here `spec` and `status` are
 * `x-kubernetes-preserve-unknown-fields`, so the API server stores what it is given and the
 * controller validates the spec itself (an invalid Rollout gets the `InvalidSpec` condition).
 * mlplat's own Rollouts are validated against the full upstream types in its tests
 * (@kubernetes-models/argo-rollouts, generated from the argo-rollouts Go API). This file is not a
 * byte-for-byte copy of upstream's, which could not be fetched where it was written; replacing
 * it with the release's crds is a drop-in change (same names, same scale subresource).
 */

interface CrdSpec {
  readonly kind: string;
  readonly plural: string;
  readonly shortNames: readonly string[];
  readonly scope: "Namespaced" | "Cluster";
  readonly status: boolean;
  /** The Rollout's scale subresource, which the HPA drives. */
  readonly scale?: { readonly specReplicasPath: string; readonly statusReplicasPath: string; readonly labelSelectorPath: string };
  readonly columns: readonly { readonly name: string; readonly type: string; readonly jsonPath: string; readonly description?: string }[];
}

const AGE = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since resource was created" };

const CRDS: readonly CrdSpec[] = [
  {
    kind: "AnalysisRun",
    plural: "analysisruns",
    shortNames: ["ar"],
    scope: "Namespaced",
    status: true,
    columns: [{ name: "Status", type: "string", jsonPath: ".status.phase", description: "AnalysisRun status" }, AGE],
  },
  { kind: "AnalysisTemplate", plural: "analysistemplates", shortNames: ["at"], scope: "Namespaced", status: false, columns: [AGE] },
  { kind: "ClusterAnalysisTemplate", plural: "clusteranalysistemplates", shortNames: ["cat"], scope: "Cluster", status: false, columns: [AGE] },
  {
    kind: "Experiment",
    plural: "experiments",
    shortNames: ["exp"],
    scope: "Namespaced",
    status: true,
    columns: [{ name: "Status", type: "string", jsonPath: ".status.phase", description: "Experiment status" }, AGE],
  },
  {
    kind: "Rollout",
    plural: "rollouts",
    shortNames: ["ro"],
    scope: "Namespaced",
    status: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.HPAReplicas", labelSelectorPath: ".status.selector" },
    columns: [
      { name: "Desired", type: "integer", jsonPath: ".spec.replicas", description: "Number of desired pods" },
      { name: "Current", type: "integer", jsonPath: ".status.replicas", description: "Total number of non-terminated pods targeted by this rollout" },
      { name: "Up-to-date", type: "integer", jsonPath: ".status.updatedReplicas", description: "Total number of non-terminated pods targeted by this rollout that have the desired template spec" },
      { name: "Available", type: "integer", jsonPath: ".status.availableReplicas", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this rollout" },
      AGE,
    ],
  },
];

/** The CRD names, `<plural>.argoproj.io`: deploy waits until each is Established before applying the Rollouts. */
export const ARGO_ROLLOUTS_CRD_NAMES: readonly string[] = CRDS.map((c) => `${c.plural}.argoproj.io`);

export function argoRolloutsCrds(labels: Record<string, string>): ManifestDoc[] {
  return CRDS.map((c, i) => ({
    ...(i === 0 ? { comment: ["Argo Rollouts CRDs (argoproj.io/v1alpha1); spec and status are validated by the controller (src/k8s/argo-rollouts-crds.ts says why)."] } : {}),
    object: {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${c.plural}.argoproj.io`, labels },
      spec: {
        group: "argoproj.io",
        names: { kind: c.kind, listKind: `${c.kind}List`, plural: c.plural, singular: c.kind.toLowerCase(), shortNames: [...c.shortNames] },
        scope: c.scope,
        versions: [
          {
            name: "v1alpha1",
            served: true,
            storage: true,
            additionalPrinterColumns: c.columns.map((col) => ({ ...col })),
            schema: {
              openAPIV3Schema: {
                type: "object",
                required: ["spec"],
                properties: {
                  apiVersion: { type: "string" },
                  kind: { type: "string" },
                  metadata: { type: "object" },
                  spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  ...(c.status ? { status: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } : {}),
                },
              },
            },
            ...(c.status || c.scale ? { subresources: { ...(c.status ? { status: {} } : {}), ...(c.scale ? { scale: { ...c.scale } } : {}) } } : {}),
          },
        ],
      },
    },
  }));
}
