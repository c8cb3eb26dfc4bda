import { describe, expect, it } from "vitest";
import { CLUSTER_AUTOSCALER_VERSIONS, NVIDIA_DEVICE_PLUGIN_IMAGE, clusterAutoscalerImage } from "../../src/k8s/versions.js";
import { kubernetesManifests } from "../../src/k8s/manifests.js";
import { KUBERNETES_PLATFORMS, kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { EKS_ADDON_VERSIONS } from "../../src/targets/aws/index.js";
import type { KubernetesPlatform } from "../../src/targets/target.js";
import { CLOUDS, type Cloud } from "../../src/model/platform.js";
import { MlplatError } from "../../src/util/errors.js";
import { resolveFixture, type FixtureOptions } from "./fixtures.js";
import { documents, findDoc, validateObject, type Obj } from "./kube.js";

function manifests(cloud: Cloud, opts: FixtureOptions = {}) {
  const { model, props } = resolveFixture(cloud, opts);
  const platform = kubernetesPlatform(model, props);
  return { model, props: props as any, platform, files: kubernetesManifests(model, platform) };
}

const cache = new Map<Cloud, ReturnType<typeof manifests>>();
const fixture = (cloud: Cloud) => cache.get(cloud) ?? (cache.set(cloud, manifests(cloud)), cache.get(cloud)!);
const podSpec = (d: Obj) => d.spec.template.spec;
const container = (d: Obj) => podSpec(d).containers[0];

describe.each(CLOUDS)("manifests on %s", (cloud) => {
  it("writes only valid Kubernetes objects", () => {
    const { files } = fixture(cloud);
    let count = 0;
    for (const [path, text] of Object.entries(files)) {
      if (path === "k8s/kustomization.yaml") continue;
      for (const doc of documents(text)) {
        expect(() => validateObject(doc), `${path}: ${doc.kind} ${doc.metadata?.name}`).not.toThrow();
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(9);
  });

  it("schedules the GPU endpoint on its pool with GPU limits, the GPU taint and the pool's taints tolerated", () => {
    const { files } = fixture(cloud);
    const d = findDoc(documents(files["k8s/llm.yaml"]!), "Deployment", "llm");
    expect(d.metadata.namespace).toBe("mlplat-serving");
    expect(podSpec(d).nodeSelector).toEqual({ "mlplat.io/pool": "gpu-spot" });
    expect(container(d).resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(podSpec(d).tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    expect(podSpec(d).tolerations).toContainEqual({ key: "team", operator: "Equal", value: "risk", effect: "NoSchedule" });
  });

  it("sizes the container from the model and exposes port 8080 with probes on it", () => {
    const { files, model } = fixture(cloud);
    const e = model.endpoints.find((x) => x.name === "llm")!;
    const c = container(findDoc(documents(files["k8s/llm.yaml"]!), "Deployment"));
    expect(c.resources.requests).toMatchObject({ cpu: String(e.cpu), memory: `${e.memoryGiB}Gi` });
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) expect(c[probe].tcpSocket.port).toBe("http");
  });

  it("runs the endpoints locked down: non-root, no privilege escalation, RuntimeDefault seccomp, no capabilities", () => {
    const { files } = fixture(cloud);
    for (const name of ["llm", "ranker"]) {
      const d = findDoc(documents(files[`k8s/${name}.yaml`]!), "Deployment");
      expect(podSpec(d).securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(container(d).securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(podSpec(d).automountServiceAccountToken).toBe(false);
    }
  });

  it("puts the CPU endpoint on the CPU pool without GPU limits or GPU toleration", () => {
    const { files } = fixture(cloud);
    const d = findDoc(documents(files["k8s/ranker.yaml"]!), "Deployment", "ranker");
    expect(podSpec(d).nodeSelector).toEqual({ "mlplat.io/pool": "cpu" });
    expect(container(d).resources.limits).toEqual({ memory: "2Gi" });
    expect(podSpec(d).tolerations).toEqual([]);
    expect(container(d).image).toBe("ghcr.io/acme/ranker:2.1");
  });

  it("labels every endpoint object with its name, the stack and the endpoint, and selects pods by them", () => {
    const { files } = fixture(cloud);
    const docs = documents(files["k8s/llm.yaml"]!);
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler"]);
    for (const d of docs) {
      expect(d.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "llm", "app.kubernetes.io/part-of": "kube-default", "mlplat.io/endpoint": "llm" });
    }
    const svc = findDoc(docs, "Service");
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.selector).toEqual(findDoc(docs, "Deployment").spec.selector.matchLabels);
    expect(findDoc(docs, "Deployment").spec.template.metadata.labels).toMatchObject(svc.spec.selector);
  });

  it("writes the serving namespace with the restricted pod security standard", () => {
    const [ns] = documents(fixture(cloud).files["k8s/namespace.yaml"]!);
    expect(ns!.metadata.name).toBe("mlplat-serving");
    expect(ns!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(ns!.metadata.labels["pod-security.kubernetes.io/enforce-version"]).toBe("v1.34");
  });

  it("lists every manifest in a kustomization", () => {
    const { files } = fixture(cloud);
    const [k] = documents(files["k8s/kustomization.yaml"]!);
    expect(k!.resources.map((r: string) => `k8s/${r}`).sort()).toEqual(Object.keys(files).filter((p) => p !== "k8s/kustomization.yaml").sort());
  });

  it("is deterministic and names the generator and the stack in a header", () => {
    const again = manifests(cloud).files;
    expect(again).toEqual(fixture(cloud).files);
    for (const text of Object.values(again)) expect(text.startsWith("# Generated by mlplat from the blueprint stack kube-default.")).toBe(true);
    expect(Object.values(again).join("\n")).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it("writes nothing without a cluster", () => {
    const { model, props } = resolveFixture(cloud, { noCluster: true });
    expect(model.cluster).toBeUndefined();
    // No cluster props either: the platform is never built, and the manifests are none.
    expect(kubernetesManifests(model, {} as KubernetesPlatform)).toEqual({});
    expect((props as any).cluster).toBeUndefined();
  });
});

describe("file names", () => {
  it("throws when an endpoint's file would overwrite the namespace manifest", () => {
    // Validation refuses the name first (MLP_ENDPOINT_NAME_RESERVED); this guards models built
    // another way: rename a valid endpoint after resolution.
    const { model: valid, props } = resolveFixture("gcp", {
      endpoints: "      - name: chat\n        runtime: kubernetes\n        image: serving:1.0.0\n        autoscaling: { min: 1, max: 2 }",
    });
    const model = { ...valid, endpoints: valid.endpoints.map((e) => ({ ...e, name: "namespace" })) };
    let err: unknown;
    try {
      kubernetesManifests(model, kubernetesPlatform(model, props));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlplatError);
    expect((err as MlplatError).code).toBe("MLP_K8S_ENDPOINT_FILE");
    expect((err as MlplatError).message).toBe("serving.endpoints[namespace]: its manifest file k8s/namespace.yaml would overwrite a file mlplat writes.");
    expect((err as MlplatError).hint).toBe("rename the endpoint (`namespace` and `kustomization` are taken by mlplat's own files).");
  });
});

describe("images", () => {
  it("resolve to ECR on AWS", () => {
    const c = container(findDoc(documents(fixture("aws").files["k8s/llm.yaml"]!), "Deployment"));
    expect(c.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/kube-default/serving:1.0.0");
    expect(c.image).toBe(`${fixture("aws").props.registryUrls.serving}:1.0.0`);
  });

  it("resolve to Artifact Registry on GCP", () => {
    const c = container(findDoc(documents(fixture("gcp").files["k8s/llm.yaml"]!), "Deployment"));
    expect(c.image).toMatch(/^us-central1-docker\.pkg\.dev\/mlplat-k8s-test\/[a-z0-9-]+\/serving:1\.0\.0$/);
    expect(c.image).toBe(`${fixture("gcp").props.repositories[0].url}/serving:1.0.0`);
  });

  it("resolve to ACR on Azure", () => {
    const c = container(findDoc(documents(fixture("azure").files["k8s/llm.yaml"]!), "Deployment"));
    expect(c.image).toBe(`${fixture("azure").props.registry.loginServer}/serving:1.0.0`);
    expect(c.image).toMatch(/^[a-z0-9]+\.azurecr\.io\/serving:1\.0\.0$/);
  });
});

describe("a CPU endpoint on a cluster with only GPU pools", () => {
  it("runs on the GPU pool, tolerating its taints, without claiming a GPU", () => {
    const { files } = manifests("aws", {
      pools: "      - name: gpu\n        gpu: { type: T4, count: 1 }\n        max: 2",
      endpoints: "      - name: ranker\n        runtime: kubernetes\n        image: serving:1.0.0\n        autoscaling: { min: 1, max: 2 }",
    });
    const d = findDoc(documents(files["k8s/ranker.yaml"]!), "Deployment");
    expect(podSpec(d).nodeSelector).toEqual({ "mlplat.io/pool": "gpu" });
    expect(podSpec(d).tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(container(d).resources.limits["nvidia.com/gpu"]).toBeUndefined();
  });
});

describe("model artifact", () => {
  const env = (cloud: Cloud, file: string) => container(findDoc(documents(fixture(cloud).files[file]!), "Deployment")).env;

  it("is passed as MODEL_URI, in the cloud's own URI form, as the managed runtimes pass it", () => {
    const { props: aws } = fixture("aws");
    expect(env("aws", "k8s/llm.yaml")).toContainEqual({ name: "MODEL_URI", value: `s3://${aws.bucketNames.models}/llm/1.0.0/` });
    const { props: gcp } = fixture("gcp");
    expect(env("gcp", "k8s/llm.yaml")).toContainEqual({ name: "MODEL_URI", value: `gs://${gcp.buckets[0].name}/llm/1.0.0/` });
    const { props: az } = fixture("azure");
    expect(env("azure", "k8s/llm.yaml")).toContainEqual({
      name: "MODEL_URI",
      value: `https://${az.storage.accountName}.blob.core.windows.net/${az.storage.containers[0].name}/llm/1.0.0/`,
    });
  });

  it("is not set for an endpoint without a model", () => {
    for (const cloud of CLOUDS) expect(env(cloud, "k8s/ranker.yaml")).toEqual([{ name: "PORT", value: "8080" }]);
  });
});

describe("spot", () => {
  it("tolerates the AKS spot taint on an AKS spot pool, and only there", () => {
    const { files } = fixture("azure");
    const aksSpot = { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" };
    expect(podSpec(findDoc(documents(files["k8s/llm.yaml"]!), "Deployment")).tolerations).toContainEqual(aksSpot);
    expect(podSpec(findDoc(documents(files["k8s/ranker.yaml"]!), "Deployment")).tolerations).not.toContainEqual(aksSpot);
  });

  it("adds no spot toleration on EKS and GKE, which do not taint spot nodes", () => {
    for (const cloud of ["aws", "gcp"] as const) {
      const tolerations = podSpec(findDoc(documents(fixture(cloud).files["k8s/llm.yaml"]!), "Deployment")).tolerations;
      expect(tolerations.map((t: Obj) => t.key).sort()).toEqual(["nvidia.com/gpu", "team"]);
    }
  });

  it("declares the spot labels each cloud puts on spot nodes", () => {
    expect(fixture("aws").platform.spotLabels).toEqual({ "eks.amazonaws.com/capacityType": "SPOT" });
    expect(fixture("gcp").platform.spotLabels).toEqual({ "cloud.google.com/gke-spot": "true" });
    expect(fixture("azure").platform.spotLabels).toEqual({ "kubernetes.azure.com/scalesetpriority": "spot" });
  });
});

describe("autoscaling", () => {
  it("leaves the replica count to the HPA (no replicas field, so a later server-side apply never conflicts with it); a min 0 endpoint says how to park and wake it", () => {
    const text = fixture("aws").files["k8s/llm.yaml"]!;
    const docs = documents(text);
    expect(findDoc(docs, "Deployment").spec).not.toHaveProperty("replicas");
    expect(text).toContain("kubectl -n mlplat-serving scale deployment/llm --replicas=0");
    const hpa = findDoc(docs, "HorizontalPodAutoscaler");
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm" } });
    expect(text).toContain("kubectl -n mlplat-serving scale deployment/llm --replicas=1");
    expect(text).toContain("KEDA ScaledObject (minReplicaCount: 0)");
  });

  it("scales on 70% CPU and explains how to switch to the target concurrency as a custom metric", () => {
    const text = fixture("gcp").files["k8s/llm.yaml"]!;
    expect(findDoc(documents(text), "HorizontalPodAutoscaler").spec.metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
    ]);
    expect(text).toContain("autoscaling.targetConcurrency (4)");
    expect(text).toContain('target: { type: AverageValue, averageValue: "4" }');
  });

  it("runs min replicas from the start when min is 1 or more, without the scale-from-zero note", () => {
    const text = fixture("azure").files["k8s/ranker.yaml"]!;
    const docs = documents(text);
    expect(findDoc(docs, "Deployment").spec).not.toHaveProperty("replicas");
    expect(findDoc(docs, "HorizontalPodAutoscaler").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(text).not.toContain("KEDA");
    expect(text).not.toContain("targetConcurrency");
  });
});

describe("NVIDIA device plugin", () => {
  const daemonSet = (cloud: Cloud) => findDoc(documents(fixture(cloud).files["k8s/platform/nvidia-device-plugin.yaml"]!), "DaemonSet");

  it("is written for EKS and AKS, not for GKE which manages its own", () => {
    expect(fixture("aws").files["k8s/platform/nvidia-device-plugin.yaml"]).toBeDefined();
    expect(fixture("azure").files["k8s/platform/nvidia-device-plugin.yaml"]).toBeDefined();
    expect(fixture("gcp").files["k8s/platform/nvidia-device-plugin.yaml"]).toBeUndefined();
    expect(KUBERNETES_PLATFORMS.gcp).toBeTypeOf("function");
    expect(fixture("gcp").platform.devicePlugin).toBe(false);
  });

  it("runs the pinned image in kube-system on GPU pools only", () => {
    const ds = daemonSet("aws");
    expect(ds.metadata.namespace).toBe("kube-system");
    expect(container(ds).image).toBe(NVIDIA_DEVICE_PLUGIN_IMAGE);
    expect(NVIDIA_DEVICE_PLUGIN_IMAGE).toMatch(/^nvcr\.io\/nvidia\/k8s-device-plugin:v0\.17\.\d+$/);
    expect(podSpec(ds).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "mlplat.io/pool", operator: "In", values: ["gpu-spot"] }] },
    ]);
  });

  it("tolerates the GPU taint, CriticalAddonsOnly, the GPU pools' own taints and the AKS spot taint", () => {
    const t = podSpec(daemonSet("azure")).tolerations;
    expect(t).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    expect(t).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" });
    expect(t).toContainEqual({ key: "team", operator: "Equal", value: "risk", effect: "NoSchedule" });
    expect(t).toContainEqual({ key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" });
  });

  it("is not written when the cluster has no GPU pool", () => {
    const { files } = manifests("azure", {
      pools: "      - name: cpu\n        instanceType: Standard_D4s_v5\n        max: 3",
      endpoints: "      - name: ranker\n        runtime: kubernetes\n        image: serving:1.0.0\n        autoscaling: { min: 1, max: 2 }",
    });
    expect(Object.keys(files).sort()).toEqual(["k8s/kustomization.yaml", "k8s/namespace.yaml", "k8s/ranker.yaml"]);
  });
});

describe("cluster-autoscaler", () => {
  const docs = () => documents(fixture("aws").files["k8s/platform/cluster-autoscaler.yaml"]!);

  it("is written on EKS only", () => {
    expect(fixture("gcp").files["k8s/platform/cluster-autoscaler.yaml"]).toBeUndefined();
    expect(fixture("azure").files["k8s/platform/cluster-autoscaler.yaml"]).toBeUndefined();
    expect(docs().map((d) => d.kind)).toEqual(["ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "Deployment"]);
  });

  it("assumes the IRSA role the AWS stack creates, through its service account", () => {
    const sa = findDoc(docs(), "ServiceAccount", "cluster-autoscaler");
    const { props } = fixture("aws");
    expect(sa.metadata.namespace).toBe("kube-system");
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::123456789012:role/${props.cluster.clusterAutoscalerRoleName}`);
    expect(findDoc(docs(), "Deployment").spec.template.spec.serviceAccountName).toBe("cluster-autoscaler");
    for (const kind of ["ClusterRoleBinding", "RoleBinding"]) {
      expect(findDoc(docs(), kind).subjects).toEqual([{ kind: "ServiceAccount", name: "cluster-autoscaler", namespace: "kube-system" }]);
    }
  });

  it("discovers the cluster's node groups by tag, with the flags for GPU pools that scale from zero", () => {
    const d = findDoc(docs(), "Deployment");
    const c = container(d);
    const cluster = fixture("aws").props.cluster.clusterName;
    expect(c.command).toContain(`--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${cluster}`);
    for (const flag of ["--cloud-provider=aws", "--balance-similar-node-groups", "--skip-nodes-with-system-pods=false", "--expander=least-waste"]) expect(c.command).toContain(flag);
    expect(c.env).toEqual([{ name: "AWS_REGION", value: "us-east-1" }]);
    expect(podSpec(d).nodeSelector).toEqual({ "mlplat.io/pool": "system" });
    expect(podSpec(d).tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("runs the release matching the cluster's Kubernetes minor", () => {
    expect(container(findDoc(docs(), "Deployment")).image).toBe("registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5");
    expect(fixture("aws").platform.clusterAutoscaler).toEqual({ roleArn: expect.stringMatching(/^arn:aws:iam::123456789012:role\//), region: "us-east-1", kubernetesVersion: "1.34" });
  });

  it("has a pinned release for every Kubernetes version the AWS target accepts", () => {
    for (const v of Object.keys(EKS_ADDON_VERSIONS)) {
      expect(CLUSTER_AUTOSCALER_VERSIONS[v], `cluster-autoscaler pin for ${v}`).toMatch(new RegExp(`^v${v.replace(".", "\\.")}\\.\\d+$`));
    }
  });

  it("throws for a Kubernetes version without a pinned release, naming the ones there are", () => {
    const err = (() => {
      try {
        clusterAutoscalerImage("1.20");
      } catch (e) {
        return e as MlplatError;
      }
    })();
    expect(err).toBeInstanceOf(MlplatError);
    expect(err!.code).toBe("MLP_K8S_AUTOSCALER_VERSION");
    expect(err!.message).toContain("1.34");
  });
});

describe("workload identity", () => {
  it("annotates an EKS endpoint's service account with the IRSA role the AWS stack creates for its model", () => {
    const { files, props } = fixture("aws");
    const sa = findDoc(documents(files["k8s/llm.yaml"]!), "ServiceAccount", "llm");
    const role = props.kubernetesWorkloadRoles.find((r: Obj) => r.name === "llm");
    expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": role.roleArn });
    expect([sa.metadata.namespace, sa.metadata.name]).toEqual([role.namespace, role.serviceAccount]);
    expect(findDoc(documents(files["k8s/llm.yaml"]!), "Deployment").spec.template.spec.serviceAccountName).toBe(role.serviceAccount);
  });

  it("leaves the service account of an endpoint without a model unannotated", () => {
    expect(findDoc(documents(fixture("aws").files["k8s/ranker.yaml"]!), "ServiceAccount").metadata.annotations).toBeUndefined();
  });

  it("annotates the service account with whatever identity a platform gives", () => {
    const { model, platform } = fixture("gcp");
    const files = kubernetesManifests(model, { ...platform, workloadIdentity: (e) => ({ "iam.gke.io/gcp-service-account": `${e}@p.iam.gserviceaccount.com` }) });
    const sa = findDoc(documents(files["k8s/ranker.yaml"]!), "ServiceAccount", "ranker");
    expect(sa.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "ranker@p.iam.gserviceaccount.com" });
    expect(() => validateObject(sa)).not.toThrow();
  });
});
