import { createHash } from "node:crypto";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1";
import { describe, expect, it } from "vitest";
import { ARGO_ROLLOUTS_CRD_NAMES, ARGO_ROLLOUTS_SOURCE } from "../../src/k8s/argo-rollouts.js";
import { kubernetesManifests } from "../../src/k8s/manifests.js";
import { kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { ROLLOUT_PROGRESS_DEADLINE_SECONDS } from "../../src/k8s/rollout.js";
import { ARGO_ROLLOUTS_IMAGE } from "../../src/k8s/versions.js";
import { CLOUDS, type Cloud } from "../../src/model/platform.js";
import { resolveFixture } from "./fixtures.js";
import { documents, findDoc, validateObject, type Obj } from "./kube.js";

/** The fixture's two kubernetes endpoints, the GPU one with `rollout`. */
function endpoints(rollout: string): string {
  return `      - name: llm
        runtime: kubernetes
        image: serving:1.0.0
        gpu: { type: T4, count: 1 }
        autoscaling: { min: 1, max: 4 }
${rollout ? `        rollout: ${rollout}\n` : ""}      - name: ranker
        runtime: kubernetes
        image: ghcr.io/acme/ranker:2.1
        autoscaling: { min: 2, max: 6 }`;
}

function files(cloud: Cloud, rollout: string): Record<string, string> {
  const { model, props } = resolveFixture(cloud, { endpoints: endpoints(rollout) });
  return kubernetesManifests(model, kubernetesPlatform(model, props));
}

const CANARY = "{ strategy: canary, canaryPercent: 10, bakeMinutes: 15 }";
const cache = new Map<string, Record<string, string>>();
const cached = (cloud: Cloud, rollout: string) => cache.get(cloud + rollout) ?? (cache.set(cloud + rollout, files(cloud, rollout)), cache.get(cloud + rollout)!);

/** Validates a Rollout against the argo-rollouts v1alpha1 schema (@kubernetes-models/argo-rollouts); throws when invalid. */
function validateRollout(obj: Obj): void {
  new Rollout(obj as ConstructorParameters<typeof Rollout>[0]).validate();
}

describe.each(CLOUDS)("Argo Rollouts for runtime kubernetes on %s", (cloud) => {
  it("a canary endpoint gets a Rollout referencing its Deployment, valid against the Argo Rollouts types, with setWeight/pause steps", () => {
    const docs = documents(cached(cloud, CANARY)["k8s/llm.yaml"]!);
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "Deployment", "Rollout", "Service", "HorizontalPodAutoscaler"]);
    const r = findDoc(docs, "Rollout", "llm");
    expect(() => validateRollout(r)).not.toThrow();
    expect(r.apiVersion).toBe("argoproj.io/v1alpha1");
    expect(r.metadata.namespace).toBe("mlplat-serving");
    expect(r.spec.workloadRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "llm", scaleDown: "progressively" });
    expect(r.spec.selector.matchLabels).toEqual(findDoc(docs, "Deployment").spec.selector.matchLabels);
    expect(r.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: "15m" } }, { setWeight: 100 }, { pause: { duration: "15m" } }]);
    // Aborts on pods that never become ready; no replicas (the HPA owns them); no traffic router.
    expect(r.spec.progressDeadlineAbort).toBe(true);
    expect(r.spec.progressDeadlineSeconds).toBe(ROLLOUT_PROGRESS_DEADLINE_SECONDS);
    expect(r.spec.replicas).toBeUndefined();
    expect(r.spec.template).toBeUndefined();
    expect(r.spec.strategy.canary.trafficRouting).toBeUndefined();
    expect(r.spec.strategy.canary.maxUnavailable).toBe(0);
    // Readiness is what the abort watches: the pod template keeps its readiness probe.
    expect(findDoc(docs, "Deployment").spec.template.spec.containers[0].readinessProbe).toEqual({ tcpSocket: { port: "http" }, periodSeconds: 5, failureThreshold: 3 });
  });

  it("the HPA scales the Rollout, not the Deployment", () => {
    const docs = documents(cached(cloud, CANARY)["k8s/llm.yaml"]!);
    const hpa = findDoc(docs, "HorizontalPodAutoscaler", "llm");
    expect(() => validateObject(hpa)).not.toThrow();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "llm" });
    // The endpoint without rollout keeps its Deployment target.
    const ranker = findDoc(documents(cached(cloud, CANARY)["k8s/ranker.yaml"]!), "HorizontalPodAutoscaler");
    expect(ranker.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "ranker" });
    expect(documents(cached(cloud, CANARY)["k8s/ranker.yaml"]!).map((d) => d.kind)).not.toContain("Rollout");
  });

  it("vendors the controller and CRDs into k8s/platform/argo-rollouts.yaml, listed in the kustomization", () => {
    const f = cached(cloud, CANARY);
    const docs = documents(f["k8s/platform/argo-rollouts.yaml"]!);
    expect(f["k8s/kustomization.yaml"]).toContain("- platform/argo-rollouts.yaml");
    expect(docs[0]).toMatchObject({ kind: "Namespace", metadata: { name: "argo-rollouts" } });
    const crds = docs.filter((d) => d.kind === "CustomResourceDefinition");
    expect(crds.map((c) => c.metadata.name)).toEqual([...ARGO_ROLLOUTS_CRD_NAMES]);
    for (const crd of crds) expect(() => new CustomResourceDefinition(crd as never).validate(), crd.metadata.name).not.toThrow();
    for (const d of docs.filter((x) => x.kind !== "CustomResourceDefinition")) expect(() => validateObject(d), `${d.kind} ${d.metadata.name}`).not.toThrow();
    // The CRDs come before anything that could use them, within the file and in the apply order.
    expect(docs.findIndex((d) => d.kind === "CustomResourceDefinition")).toBeLessThan(docs.findIndex((d) => d.kind === "Deployment"));
    const controller = findDoc(docs, "Deployment", "argo-rollouts");
    expect(controller.metadata.namespace).toBe("argo-rollouts");
    expect(controller.spec.template.spec.containers[0].image).toBe(ARGO_ROLLOUTS_IMAGE);
    expect(controller.spec.template.spec.nodeSelector).toEqual({ "mlplat.io/pool": "system" });
    expect(findDoc(docs, "ClusterRoleBinding", "argo-rollouts").subjects).toEqual([{ kind: "ServiceAccount", name: "argo-rollouts", namespace: "argo-rollouts" }]);
  });

  it("writes no Rollout and no controller without a gradual rollout (absent or allAtOnce)", () => {
    for (const rollout of ["", "{ strategy: allAtOnce }"]) {
      const f = cached(cloud, rollout);
      expect(Object.keys(f)).not.toContain("k8s/platform/argo-rollouts.yaml");
      const docs = documents(f["k8s/llm.yaml"]!);
      expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler"]);
      expect(findDoc(docs, "HorizontalPodAutoscaler").spec.scaleTargetRef.kind).toBe("Deployment");
    }
  });
});

describe("Argo Rollouts steps and the vendored manifest", () => {
  it("linear steps add stepPercent until 100, a bake after each", () => {
    const r = findDoc(documents(cached("aws", "{ strategy: linear, stepPercent: 30, bakeMinutes: 5 }")["k8s/llm.yaml"]!), "Rollout");
    expect(() => validateRollout(r)).not.toThrow();
    expect(r.spec.strategy.canary.steps).toEqual([30, 60, 90, 100].flatMap((w) => [{ setWeight: w }, { pause: { duration: "5m" } }]));
  });

  it("the Rollout validator rejects a malformed step (the check above can fail)", () => {
    const r = findDoc(documents(cached("aws", CANARY)["k8s/llm.yaml"]!), "Rollout");
    const bad = { ...r, spec: { ...r.spec, strategy: { canary: { steps: [{ setWeight: "ten" }] } } } };
    expect(() => validateRollout(bad)).toThrow(/setWeight must be integer/);
  });

  it("the Rollout CRD's scale subresource is the one the HPA drives (spec.replicas, status.HPAReplicas, status.selector)", () => {
    const crd = findDoc(documents(cached("gcp", CANARY)["k8s/platform/argo-rollouts.yaml"]!), "CustomResourceDefinition", "rollouts.argoproj.io");
    expect(crd.spec.names).toMatchObject({ kind: "Rollout", plural: "rollouts", shortNames: ["ro"] });
    expect(crd.spec.versions[0].subresources).toEqual({
      status: {},
      scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.HPAReplicas", labelSelectorPath: ".status.selector" },
    });
  });

  it("pins the release and the bytes of the rendered manifest (sha256): any change to it is a reviewed change", () => {
    expect(ARGO_ROLLOUTS_IMAGE).toBe("quay.io/argoproj/argo-rollouts:v1.9.1");
    expect(ARGO_ROLLOUTS_SOURCE).toBe("https://github.com/argoproj/argo-rollouts/releases/download/v1.9.1/install.yaml");
    const text = cached("aws", CANARY)["k8s/platform/argo-rollouts.yaml"]!;
    expect(text).toContain(`# Written from ${ARGO_ROLLOUTS_SOURCE}`);
    expect(createHash("sha256").update(text).digest("hex")).toBe("ee0ef245301b35eb7f49ea63973f350974b3f8236f3e2005c38f08dc67f1ac78");
  });
});
