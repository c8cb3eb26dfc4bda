import { writeFileSync } from "node:fs";
import type { ToolExec, ToolRequest, ToolResult } from "../../src/kubectl/exec.js";

/**
 * RECORDED FAKE: no Kubernetes API server, no cloud. A `ToolExec` that answers each kubectl or
 * cloud-CLI call with a recorded response (exit code, stdout, stderr), so the real
 * `KubectlCli` / `CliRegistryImages` above it build their argument arrays and map the outputs
 * to typed errors exactly as they do against a cluster.
 *
 * Provenance, plainly: the responses below were written from the tools' own message formats
 * (kubectl's server-side-apply conflict and rollout texts, the AWS CLI's service exceptions,
 * gcloud's NOT_FOUND, ACR's MANIFEST_UNKNOWN), not captured from a live account: no cluster
 * or cloud credentials exist on the machines these tests run on.
 */
export const RECORDED = {
  applyPlatform: {
    code: 0,
    stdout:
      "serviceaccount/cluster-autoscaler serverside-applied\n" +
      "clusterrole.rbac.authorization.k8s.io/cluster-autoscaler serverside-applied\n" +
      "deployment.apps/cluster-autoscaler serverside-applied\n" +
      "daemonset.apps/nvidia-device-plugin-daemonset serverside-applied\n",
    stderr: "",
  },
  applyEndpoints: {
    code: 0,
    stdout: "namespace/mlplat-serving serverside-applied\nserviceaccount/chat serverside-applied\ndeployment.apps/chat serverside-applied\nservice/chat serverside-applied\n",
    stderr: "",
  },
  /** kubectl's text for a server-side apply conflict (the HPA owns .spec.replicas after a scale). */
  applyConflict: {
    code: 1,
    stdout: "namespace/mlplat-serving serverside-applied\nserviceaccount/chat serverside-applied\n",
    stderr:
      'error: Apply failed with 1 conflict: conflict with "kube-controller-manager" using apps/v1: .spec.replicas\n' +
      "Please review the fields above--they currently have other managers. Here\n" +
      "are the ways you can resolve this warning:\n" +
      "* If you intend to manage all of these fields, please re-run the apply\n" +
      "  command with the `--force-conflicts` flag.\n" +
      "* If you do not intend to manage all of the fields, please edit your\n" +
      "  manifest to remove references to the fields that should keep their\n" +
      "  current managers.\n" +
      "* You may co-own fields by updating your manifest to match the existing\n" +
      "  value; in this case, you'll become the manager if the other manager(s)\n" +
      "  stop managing the field (remove it from their configuration).\n" +
      "See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n",
  },
  rolloutDone: (kind: string, name: string) => ({
    code: 0,
    stdout: kind === "daemonset" ? `daemon set "${name}" successfully rolled out\n` : `deployment "${name}" successfully rolled out\n`,
    stderr: "",
  }),
  rolloutTimeout: {
    code: 1,
    stdout: 'Waiting for deployment "cluster-autoscaler" rollout to finish: 0 of 1 updated replicas are available...\n',
    stderr: "error: timed out waiting for the condition\n",
  },
  unreachable: {
    code: 1,
    stdout: "",
    stderr: 'E1206 21:40:12.123456   4242 memcache.go:265] couldn\'t get current server API group list: Get "https://ABCDEF.gr7.us-east-1.eks.amazonaws.com/api?timeout=32s": dial tcp 10.20.1.17:443: i/o timeout\nUnable to connect to the server: dial tcp 10.20.1.17:443: i/o timeout\n',
  },
  deployments: (items: { name: string; replicas: number; available?: number }[]) => ({
    code: 0,
    stdout: JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: items.map((d) => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: d.name, namespace: "mlplat-serving", labels: { "app.kubernetes.io/managed-by": "mlplat", "mlplat.io/endpoint": d.name } },
        spec: { replicas: d.replicas },
        status: d.available === undefined ? { replicas: d.replicas, unavailableReplicas: d.replicas } : { replicas: d.replicas, availableReplicas: d.available, readyReplicas: d.available },
      })),
    }),
    stderr: "",
  }),
  /** `kubectl wait --for=condition=Established crd/…`: one line per CRD. */
  crdsEstablished: (r: ToolRequest) => ({
    code: 0,
    stdout: r.args
      .filter((a) => a.startsWith("crd/"))
      .map((a) => `customresourcedefinition.apiextensions.k8s.io/${a.slice(4)} condition met\n`)
      .join(""),
    stderr: "",
  }),
  /** `kubectl get rollouts.argoproj.io -o json` of Argo Rollouts v1alpha1 objects (status fields as the controller writes them). */
  rollouts: (
    items: { name: string; replicas: number; available?: number; updated?: number; phase?: string; message?: string; step?: number; steps?: number; abort?: boolean; stable?: string; current?: string }[],
  ) => ({
    code: 0,
    stdout: JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: items.map((o) => ({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: { name: o.name, namespace: "mlplat-serving", labels: { "app.kubernetes.io/managed-by": "mlplat", "mlplat.io/endpoint": o.name } },
        spec: {
          replicas: o.replicas,
          workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: o.name, scaleDown: "progressively" },
          strategy: { canary: { steps: Array.from({ length: o.steps ?? 4 }, (_, i) => (i % 2 === 0 ? { setWeight: 10 } : { pause: { duration: "10m" } })) } },
        },
        status: {
          replicas: o.replicas,
          HPAReplicas: o.replicas,
          ...(o.available === undefined ? {} : { availableReplicas: o.available, readyReplicas: o.available }),
          updatedReplicas: o.updated ?? o.replicas,
          ...(o.phase ? { phase: o.phase } : {}),
          ...(o.message ? { message: o.message } : {}),
          ...(o.step === undefined ? {} : { currentStepIndex: o.step }),
          ...(o.abort ? { abort: true } : {}),
          stableRS: o.stable ?? "6d4f8b7c9",
          currentPodHash: o.current ?? o.stable ?? "6d4f8b7c9",
          selector: `app.kubernetes.io/name=${o.name},mlplat.io/endpoint=${o.name}`,
        },
      })),
    }),
    stderr: "",
  }),
  deleted: { code: 0, stdout: 'deployment.apps "chat" deleted\nnamespace "mlplat-serving" deleted\n', stderr: "" },
  /**
   * `kubectl get <resource>,… -n … -l … -o json` (deploy's prune listing): kubectl's `List` of the
   * given objects, each with its apiVersion, kind and metadata (the rest of each object trimmed:
   * prune reads nothing else). Written by hand in kubectl's JSON shape, not captured.
   */
  objects: (items: { apiVersion: string; kind: string; name: string; namespace?: string; labels?: Record<string, string> }[]) => ({
    code: 0,
    stdout: JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      metadata: { resourceVersion: "" },
      items: items.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: {
          name: o.name,
          namespace: o.namespace ?? "mlplat-serving",
          uid: "5f0c2a8e-1d7b-4c1e-9a53-0b6f2f1d9c41",
          resourceVersion: "48213",
          creationTimestamp: "2026-12-01T09:14:02Z",
          ...(o.labels ? { labels: o.labels } : {}),
        },
      })),
    }),
    stderr: "",
  }),
  /** kubectl on a cluster where a CRD is not installed (`kubectl get rollouts.argoproj.io` without Argo Rollouts). */
  unknownRolloutType: { code: 1, stdout: "", stderr: 'error: the server doesn\'t have a resource type "rollouts"\n' },
  /** `kubectl delete <resource>/<name>…` of prune. */
  objectsDeleted: (r: ToolRequest) => ({
    code: 0,
    stdout: r.args
      .filter((a) => /^[a-z.]+\/[a-z0-9-]+$/.test(a))
      .map((a) => `${a.split("/")[0]} "${a.split("/")[1]}" deleted\n`)
      .join(""),
    stderr: "",
  }),
  credentialsOk: { code: 0, stdout: "Added new context scoring-default to /stack/kubeconfig\n", stderr: "" },
  credentialsExpired: {
    code: 255,
    stdout: "",
    stderr: "\nAn error occurred (ExpiredTokenException) when calling the DescribeCluster operation: The security token included in the request is expired\n",
  },
  ecrImageFound: { code: 0, stdout: JSON.stringify({ imageDetails: [{ imageTags: ["1.8.0"], imageDigest: "sha256:4f1c" }] }), stderr: "" },
  ecrImageMissing: {
    code: 254,
    stdout: "",
    stderr:
      "\nAn error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:'null', imageTag:'1.8.0'} does not exist within the repository with name 'llm-serving-default/embeddings' in the registry with id '123456789012'\n",
  },
  ecrAccessDenied: {
    code: 254,
    stdout: "",
    stderr:
      "\nAn error occurred (AccessDeniedException) when calling the DescribeImages operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-east-1:123456789012:repository/llm-serving-default/embeddings\n",
  },
  gcloudImageMissing: {
    code: 1,
    stdout: "",
    stderr: "ERROR: (gcloud.artifacts.docker.images.describe) NOT_FOUND: Requested entity was not found.\n",
  },
  acrManifestMissing: {
    code: 1,
    stdout: "",
    stderr: "ERROR: (MANIFEST_UNKNOWN) manifest tagged by \"1.8.0\" is not found\n",
  },
} satisfies Record<string, ToolResult | ((...a: never[]) => ToolResult)>;

type Rule = { readonly match: (r: ToolRequest) => boolean; readonly answer: ToolResult | ((r: ToolRequest) => ToolResult) };

/**
 * The recorded-response fake. Rules added later win; a call no rule answers fails the test.
 * Credentials calls that succeed write a stand-in kubeconfig where the real CLI would.
 */
export class RecordedExec implements ToolExec {
  readonly calls: ToolRequest[] = [];
  private readonly rules: Rule[] = [];

  constructor(defaults = true) {
    if (!defaults) return;
    this.on("aws", ["eks", "update-kubeconfig"], RECORDED.credentialsOk);
    this.on("gcloud", ["container", "clusters", "get-credentials"], RECORDED.credentialsOk);
    this.on("az", ["aks", "get-credentials"], RECORDED.credentialsOk);
    this.on("kubelogin", ["convert-kubeconfig"], RECORDED.credentialsOk);
    this.on("kubectl", ["apply"], (r) => (r.args.some((a) => a.startsWith("k8s/platform/")) ? RECORDED.applyPlatform : RECORDED.applyEndpoints));
    this.on("kubectl", ["rollout", "status"], (r) => {
      const [kind, name] = r.args[r.args.indexOf("status") + 1]!.split("/");
      return RECORDED.rolloutDone(kind!, name!);
    });
    this.on("kubectl", ["get", "deployments"], RECORDED.deployments([]));
    this.on("kubectl", ["wait", "--for=condition=Established"], RECORDED.crdsEstablished);
    this.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([]));
    this.on("kubectl", ["delete"], RECORDED.deleted);
    this.on("kubectl", ["get", "horizontalpodautoscalers.autoscaling,deployments.apps,services,serviceaccounts"], RECORDED.objects([]));
  }

  /** Answers calls of `tool` whose arguments contain `words` in order (kubectl's leading `--kubeconfig <file>` is skipped). */
  on(tool: ToolRequest["tool"], words: readonly string[], answer: Rule["answer"]): this {
    this.rules.unshift({ match: (r) => r.tool === tool && containsInOrder(r.args, words), answer });
    return this;
  }

  async run(request: ToolRequest): Promise<ToolResult> {
    this.calls.push(request);
    const rule = this.rules.find((r) => r.match(request));
    if (!rule) throw new Error(`recorded fake: no recorded response for ${request.tool} ${request.args.join(" ")}`);
    const result = typeof rule.answer === "function" ? rule.answer(request) : rule.answer;
    const kubeconfig = request.env?.KUBECONFIG;
    if (result.code === 0 && request.tool !== "kubectl" && kubeconfig && !/convert-kubeconfig/.test(request.args.join(" "))) {
      writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n# recorded fake\n");
    }
    return result;
  }

  /** Each call as `tool arg arg …`, kubectl's `--kubeconfig <path>` shortened to `--kubeconfig K`. */
  commands(): string[] {
    return this.calls.map((c) => [c.tool, ...c.args].join(" ").replace(/--kubeconfig \S+/g, "--kubeconfig K").replace(/--file \S+/g, "--file K"));
  }
}

function containsInOrder(args: readonly string[], words: readonly string[]): boolean {
  let i = 0;
  for (const a of args) if (a === words[i]) i += 1;
  return i === words.length;
}
