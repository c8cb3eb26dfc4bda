/**
 * The port between the deploy engine and Terraform. The engine only ever talks to this
 * interface; `ProcessTerraformRunner` spawns the real binary, and unit tests use a recording
 * fake. Every method runs in one stack directory (`cdktf.out/stacks/<stack>/`, holding
 * `cdk.tf.json`) and throws `TerraformError` (exit 3) when terraform fails.
 *
 * There is no `destroy` method on purpose: mlplat destroys through `plan({ destroy: true })`
 * and `apply(planFile)`, so what a person confirms is exactly what runs, and protected
 * resources can be left out with `targets` (see src/engine/destroy.ts).
 */
export interface TerraformRunner {
  /** `terraform init -input=false [-reconfigure]`. */
  init(dir: string, options?: InitOptions): Promise<void>;
  /**
   * `terraform plan -input=false -json -out=<planFile> [-refresh=false] [-destroy] [-target=…]…`.
   * Resolves with the machine-readable UI messages that describe the saved plan (`version`,
   * `planned_change`, `change_summary`, `outputs`, `diagnostic`), each JSON-parsed, with the
   * planned changes in terraform's address order; src/terraform/plan-stream.ts reads them.
   */
  plan(dir: string, options: PlanOptions): Promise<unknown[]>;
  /**
   * A plan on HCP Terraform / Terraform Enterprise (a stack with a `cloud` block,
   * `spec.state.backend: hcp`): `terraform plan -input=false -out=<planFile> …` without `-json`,
   * because in the workspace's remote execution mode the run happens there and the CLI prints
   * the engine's rendering of it, not terraform's machine-readable stream. The saved plan is a
   * bookmark of that run (its ID and host), which `apply` confirms: the run reviewed is the run
   * applied, and the engine refuses it once another run has changed the state. What it changes
   * is then read with `showPlan` (the run's JSON plan). Resolves with the run's URL when the
   * output names one (local execution mode names none).
   */
  planRemote?(dir: string, options: PlanOptions): Promise<RemotePlan>;
  /**
   * `terraform show -json <planFile>`: the saved plan, parsed (for `replace_paths` and prior
   * values, which the plan's stream lacks). Optional: the disruption guard names forcing
   * attributes only when the runner can show a plan.
   */
  showPlan?(dir: string, planFile: string): Promise<unknown>;
  /** `terraform show -json`: the current state, parsed. */
  showState(dir: string): Promise<unknown>;
  /** `terraform apply -input=false <planFile>`: exactly the saved plan, nothing re-planned. */
  apply(dir: string, planFile: string): Promise<void>;
  /** `terraform output -json`, parsed: name → `{ value, type, sensitive }`. */
  output(dir: string): Promise<Record<string, TerraformOutput>>;
}

export interface InitOptions {
  /**
   * `-reconfigure`: take the configured backend as is, without migrating state from the one
   * `.terraform` remembers. Only for switches to or from an `--offline` run, whose local
   * backend is a stand-in; a real backend change must fail and be migrated on purpose.
   * @default false
   */
  readonly reconfigure?: boolean;
}

export interface PlanOptions {
  /** Plan file, relative to the stack directory. */
  readonly out: string;
  /** @default true; false adds `-refresh=false` (offline plans, `--no-refresh`). */
  readonly refresh?: boolean;
  /** @default false; a destroy plan. */
  readonly destroy?: boolean;
  /**
   * Resource addresses to restrict the plan to (`-target`). An empty list is refused: terraform
   * would read it as "everything", which for a destroy plan is the opposite of the intent.
   * @default - the whole configuration
   */
  readonly targets?: readonly string[];
  /**
   * Input variables (`-var=<name>=<value>`), each value in Terraform's syntax for the variable's
   * type (JSON is valid: `[{"revision":"r1","percent":10}]`). The saved plan carries them, so the
   * apply of that plan uses them too. Only the traffic rollout sets any (src/engine/traffic-rollout.ts).
   * @default - none: every variable takes its default
   */
  readonly vars?: Readonly<Record<string, string>>;
}

export interface RemotePlan {
  /** `https://<host>/app/<organization>/<workspace>/runs/run-…`, as terraform printed it. */
  readonly runUrl?: string;
}

export interface TerraformOutput {
  readonly value: unknown;
  readonly type?: unknown;
  readonly sensitive: boolean;
}

/** The plan file name mlplat writes in each stack directory. */
export const PLAN_FILE = "mlplat.tfplan";
/** The log every terraform step of a run appends to, in each stack directory. */
export const LOG_FILE = "terraform.log";
