import type { Construct } from "constructs";
import type { Cloud, PlatformModel, SynthContext } from "../model/platform.js";

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
