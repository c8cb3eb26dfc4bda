import type { Construct } from "constructs";
import type { Cloud, ImageRef, PlatformModel, SynthContext, Taint } from "../model/platform.js";

/**
 * What a cloud contributes to a synth. The resolver is pure (no cdktf import): it turns the
 * cloud-neutral model into flat, already-resolved construct props. The stack module is loaded
 * lazily, so only the target cloud's provider submodules are ever imported.
 */
export interface CloudTarget<Props> {
  readonly cloud: Cloud;
  /** Cloud-specific names, defaults and lookups. Pure and deterministic. */
  resolve(model: PlatformModel, ctx: SynthContext): Props;
  /** Loads `stacks/<cloud>/` and returns the function that adds the platform stack to the app. */
  loadStack(): Promise<StackFactory<Props>>;
}

/** Adds one TerraformStack named `id` to `scope` (a cdktf App). */
export type StackFactory<Props> = (scope: Construct, id: string, props: Props) => void;

/** Files written beside a stack's cdk.tf.json (Kubernetes manifests), relative path → content. */
export type ExtraFiles = Readonly<Record<string, string>>;

/**
 * What the Kubernetes manifests written beside a stack (`<stack>/k8s/`) need to know about the
 * cloud: resolved by the cloud's target from the same props the stack is built from.
 */
export interface KubernetesPlatform {
  /** The cluster's name on the cloud. */
  readonly clusterName: string;
  /** Full image URI in the cloud registry (`<acct>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`), or the URI given. */
  imageUri(ref: ImageRef): string;
  /** Taints the cloud itself puts on spot nodes (AKS: kubernetes.azure.com/scalesetpriority=spot:NoSchedule). */
  readonly spotTaints: readonly Taint[];
  /** Labels the cloud itself puts on spot nodes, for reference. */
  readonly spotLabels: Readonly<Record<string, string>>;
  /** Whether mlplat must install the NVIDIA device plugin (EKS, AKS; GKE manages its own). */
  readonly devicePlugin: boolean;
  /** EKS: the cluster-autoscaler's IRSA role and settings; undefined where the cloud autoscales pools itself. */
  readonly clusterAutoscaler?: { readonly roleArn: string; readonly region: string; readonly kubernetesVersion: string };
  /** Service account annotations for an endpoint's workload identity, if any. */
  workloadIdentity?(endpoint: string): Readonly<Record<string, string>>;
}
