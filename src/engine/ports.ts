import type { KubectlRunner } from "../kubectl/runner.js";
import type { PlatformModel } from "../model/platform.js";
import type { CommandRunner } from "../quota/preflight.js";
import type { RegistryImages } from "../registry-images/registry-images.js";
import type { TerraformRunner } from "../terraform/runner.js";
import type { Extension } from "../synth/extension.js";

/**
 * What the engine needs from the rest of mlplat, passed in rather than imported, so unit tests
 * drive every command path with a fake synth and a recording runner, and the synth backend can
 * change without touching the engine.
 */
export interface SynthOptions {
  readonly env?: string;
  readonly outDir?: string;
  readonly stateDir?: string;
  readonly offline: boolean;
  /** The command running, named to a concurrent run that finds the output locked. */
  readonly command?: string;
  /** Keep the output's and stacks' locks until the result's `release` (the engine commands do). */
  readonly holdLock?: boolean;
  /** Endpoints to leave out of this synth (deploy's image phase, src/engine/image-phase.ts). */
  readonly deferEndpoints?: readonly string[];
  /** `--extension FILE`, read and checked by the command: merged into each stack by synth. */
  readonly extension?: Extension;
}

export interface SynthedStack {
  /** `<name>-<env>`. */
  readonly name: string;
  /** Absolute folder holding the stack's cdk.tf.json. */
  readonly dir: string;
}

export interface SynthResult {
  readonly outDir: string;
  readonly stacks: readonly SynthedStack[];
  /** Releases the locks held since synth (`holdLock`); every engine command calls it when done. */
  readonly release?: () => void;
  /** The model synthesized (the real synth returns it); the Kubernetes and image phases need it and skip without it. */
  readonly model?: PlatformModel;
}

/** The lead's `synthesizeBlueprint` (src/synth/synthesize.ts) has this shape. */
export type SynthFn = (file: string, options: SynthOptions) => Promise<SynthResult>;

/** Progress of one step on one stack: a spinner on a TTY, plain lines elsewhere. */
export interface Progress {
  step<T>(step: string, stack: string, work: () => Promise<T>): Promise<T>;
}

export interface Ui {
  /** Human-readable results: stdout, or stderr when stdout is reserved for `--json`. */
  print(text: string): void;
  /**
   * Asks for a typed "yes". Present only when a person can answer (stdin and stderr are a
   * TTY); the engine refuses to apply without it unless auto-approved.
   */
  confirm?: (question: string) => Promise<boolean>;
}

export interface EngineDeps {
  readonly synth: SynthFn;
  readonly runner: TerraformRunner;
  readonly progress: Progress;
  readonly ui: Ui;
  /** The cluster, for deploy's and destroy's Kubernetes phase (src/engine/kubernetes-phase.ts). */
  readonly kubectl?: KubectlRunner;
  /** Image existence checks, for deploy's image phase (src/engine/image-phase.ts). */
  readonly images?: RegistryImages;
  /** The clouds' CLIs for the quota preflight (src/engine/quota-phase.ts), working in a stack folder. */
  readonly cloudCli?: (stackDir: string) => CommandRunner;
  /** Waits between the steps of a traffic rollout (src/engine/traffic-rollout.ts); the real timer when absent. */
  readonly clock?: Clock;
}

/** Waits for a traffic rollout's bakes; tests pass a fake that returns at once or stops the run. */
export interface Clock {
  sleep(ms: number): Promise<void>;
}

/** Options every engine command shares. */
export interface CommonOptions {
  readonly env?: string;
  readonly outDir?: string;
  readonly stateDir?: string;
  /** Terraform JSON merged into the synthesized stacks (plan, deploy, destroy: `--extension`). */
  readonly extension?: Extension;
}
