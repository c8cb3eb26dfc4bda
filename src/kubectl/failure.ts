import { MlplatError } from "../util/errors.js";

/**
 * kubectl and credentials failures as typed errors (exit 3, like a failed terraform step): the
 * last meaningful stderr lines, the log path, and a hint for the failures people hit most.
 */
export class KubectlError extends MlplatError {
  readonly logFile: string;
  constructor(code: string, message: string, options: { logFile: string; details?: string; hint?: string }) {
    super(code, message, { exitCode: 3, details: options.details, hint: options.hint });
    this.name = "KubectlError";
    this.logFile = options.logFile;
  }
}

/** The last non-blank lines of a tool's stderr, indented, and the log path. */
export function tailDetails(stderr: string, logFile: string, max = 12): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  const tail = lines.length > max ? lines.slice(-max) : lines;
  return [...tail.map((l) => `  ${l}`), `  log: ${logFile}`].join("\n");
}

/** A hint for a kubectl failure that is not a conflict or a timeout (those have their own codes). */
export function kubectlHint(stderr: string): string | undefined {
  if (/Unauthorized|You must be logged in|forbidden|AccessDenied|does not have .* permission/i.test(stderr)) {
    return "the identity mlplat runs as is not allowed on the cluster. It must be a cluster admin (spec.cluster.admins, or the identity that created the cluster); check `kubectl auth can-i '*' '*'` with the kubeconfig in the stack folder.";
  }
  if (/no such host|i\/o timeout|connection refused|Unable to connect to the server|dial tcp|TLS handshake timeout|context deadline exceeded/i.test(stderr)) {
    return "kubectl could not reach the cluster API. A private cluster is reachable only from its access path: AWS/Azure from a network in network.adminCidrs (VPN, peering, a runner in the VNet/VPC), GKE through its DNS endpoint. Run deploy from there, or pass --skip-kubernetes and apply k8s/ through GitOps.";
  }
  if (/executable .* not found|exec plugin|gke-gcloud-auth-plugin|kubelogin/i.test(stderr)) {
    return "the kubeconfig's credential plugin is missing: GKE needs gke-gcloud-auth-plugin (`gcloud components install gke-gcloud-auth-plugin`), AKS with Entra ID needs kubelogin (`az aks install-cli`), EKS needs the aws CLI.";
  }
  return undefined;
}

/**
 * A server-side apply conflict: another field manager owns a field mlplat sets. kubectl prints
 * `Apply failed with N conflict(s): conflict with "<manager>" …: <field>`.
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
 */
export function isApplyConflict(stderr: string): boolean {
  return /Apply failed with \d+ conflicts?/i.test(stderr);
}

/** `kubectl rollout status --timeout` gave up. */
export function isRolloutTimeout(stderr: string): boolean {
  return /timed out waiting for the condition|exceeded its progress deadline/i.test(stderr);
}

/**
 * kubectl's answer for a resource type the API server does not serve, e.g. a CRD that is not
 * installed: `error: the server doesn't have a resource type "rollouts"`.
 */
export function isUnknownResourceType(stderr: string): boolean {
  return /the server doesn't have a resource type/i.test(stderr);
}

/** The managers named in a conflict message (`conflict with "kube-controller-manager"`). */
export function conflictManagers(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/conflicts? with "([^"]+)"/g)].map((m) => m[1]!))];
}
