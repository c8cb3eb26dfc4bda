/**
 * The port between the deploy engine and a Kubernetes cluster, shaped like the terraform one
 * (src/terraform/runner.ts): the engine only talks to this interface. `KubectlCli`
 * (src/kubectl/kubectl-cli.ts) drives the `kubectl` binary and the cloud's CLI for credentials;
 * tests drive it over recorded kubectl outputs (no API server can run on a CI machine without
 * Docker). Every method works in one stack folder (`cdktf.out/stacks/<stack>/`), with the
 * cluster credentials in that folder's `kubeconfig`, never the user's ~/.kube/config.
 */
export interface KubectlRunner {
  /**
   * Fetches the cluster's credentials the cloud's way (`command`, from
   * src/kubectl/credentials.ts) into `<dir>/kubeconfig`, mode 0600.
   */
  credentials(dir: string, command: CredentialsCommand): Promise<void>;
  /** `kubectl apply --server-side --field-manager=mlplat -f <file>…`, files relative to `dir`, in order. */
  apply(dir: string, files: readonly string[]): Promise<void>;
  /** `kubectl rollout status <kind>/<name> -n <namespace> --timeout=<s>s`. */
  rolloutStatus(dir: string, workload: WorkloadRef, timeoutSeconds: number): Promise<void>;
  /** `kubectl get deployments -n <namespace> -l <selector> -o json`, read down to replica counts. */
  deployments(dir: string, namespace: string, selector: string): Promise<DeploymentStatus[]>;
  /**
   * `kubectl wait --for=condition=Established crd/<name>… --timeout=<s>s`: the CRDs of the
   * add-ons (Argo Rollouts) are served before objects of their kinds are applied.
   */
  waitEstablished(dir: string, crds: readonly string[], timeoutSeconds: number): Promise<void>;
  /** `kubectl get rollouts.argoproj.io -n <namespace> -l <selector> -o json`, read down to what deploy and status report. */
  rollouts(dir: string, namespace: string, selector: string): Promise<RolloutStatus[]>;
  /** `kubectl delete -f <file>… --ignore-not-found --wait --timeout=<s>s`. */
  delete(dir: string, files: readonly string[], timeoutSeconds: number): Promise<void>;
  /**
   * `kubectl get <resource>,… -n <namespace> -l <selector> -o json`, read down to each object's
   * identity and labels (deploy's prune of removed endpoints, src/engine/kubernetes-prune.ts).
   * With `optional`, a resource type the server does not serve (a CRD not installed) lists as none.
   */
  list(dir: string, namespace: string, resources: readonly string[], selector: string, options?: { readonly optional?: boolean }): Promise<ClusterObject[]>;
  /** `kubectl delete -n <namespace> --ignore-not-found --wait --timeout=<s>s <resource>/<name>…`, in the order given. */
  deleteObjects(dir: string, namespace: string, refs: readonly string[], timeoutSeconds: number): Promise<void>;
}

/** An object as `kubectl get -o json` lists it: what prune needs to decide and to name it. */
export interface ClusterObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A command that writes a kubeconfig: the cloud CLI and its argument array. */
export interface CredentialsCommand {
  readonly tool: "aws" | "gcloud" | "az" | "kubelogin";
  readonly args: readonly string[];
  /** Extra environment (gcloud writes to `$KUBECONFIG`). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface WorkloadRef {
  readonly kind: "Deployment" | "DaemonSet" | "StatefulSet";
  readonly name: string;
  readonly namespace: string;
}

export interface DeploymentStatus {
  readonly name: string;
  /** The `mlplat.io/endpoint` label. */
  readonly endpoint?: string;
  /** `spec.replicas`. */
  readonly desired: number;
  /** `status.availableReplicas` (absent = 0). */
  readonly available: number;
}

/** An Argo Rollouts `Rollout` as deploy and `mlplat status` report it. */
export interface RolloutStatus {
  readonly name: string;
  /** The `mlplat.io/endpoint` label. */
  readonly endpoint?: string;
  /** `spec.replicas` (absent = 1, Argo's default). */
  readonly desired: number;
  /** `status.availableReplicas` (absent = 0). */
  readonly available: number;
  /** `status.updatedReplicas`: pods of the newest revision (the canary while a rollout is in progress). */
  readonly updated: number;
  /** `status.phase`: Healthy, Progressing, Paused or Degraded (absent before the controller saw it). */
  readonly phase?: string;
  /** `status.message`, e.g. why it is degraded or paused. */
  readonly message?: string;
  /** `status.currentStepIndex`: steps done (equal to `steps` once the rollout completed). */
  readonly step?: number;
  /** The number of canary steps in the spec. */
  readonly steps: number;
  /** `status.abort`: the rollout was aborted (traffic back on the stable revision). */
  readonly aborted: boolean;
  /** `status.stableRS` and `status.currentPodHash`: differ while a new revision rolls out. */
  readonly stableRevision?: string;
  readonly currentRevision?: string;
}

/** The field manager of every server-side apply mlplat makes. */
export const FIELD_MANAGER = "mlplat";
/** The log every kubectl and credentials step appends to, in each stack folder. */
export const KUBECTL_LOG_FILE = "kubectl.log";
/** The kubeconfig mlplat writes and uses, in each stack folder. */
export const KUBECONFIG_FILE = "kubeconfig";
