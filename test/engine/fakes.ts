import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineDeps, Progress, SynthFn, SynthOptions } from "../../src/engine/ports.js";
import type { InitOptions, PlanOptions, TerraformOutput, TerraformRunner } from "../../src/terraform/runner.js";

export type Call =
  | { method: "init"; stack: string; options?: InitOptions }
  | { method: "plan"; stack: string; options: PlanOptions }
  | { method: "showPlan"; stack: string; planFile: string }
  | { method: "showState"; stack: string }
  | { method: "apply"; stack: string; planFile: string }
  | { method: "output"; stack: string };

type Change = [address: string, actions: string[]];

/** A plan JSON as `terraform show -json` prints it, reduced to what mlplat reads (plus noise). */
export function planJson(changes: Change[], outputs: Record<string, string[]> = {}): unknown {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: changes.map(([address, actions]) => {
      const data = address.startsWith("data.");
      const [type, name] = address.replace(/^data\./, "").split(".");
      return { address, mode: data ? "data" : "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", change: { actions, before: null, after: {} } };
    }),
    output_changes: Object.fromEntries(Object.entries(outputs).map(([k, actions]) => [k, { actions, before: null, after: "x" }])),
    configuration: { ignored: true },
  };
}

export function stateJson(resources: { address: string; depends_on?: string[] }[]): unknown {
  if (resources.length === 0) return { format_version: "1.0" };
  return {
    format_version: "1.0",
    terraform_version: "1.11.4",
    values: {
      outputs: {},
      root_module: {
        resources: resources.map((r) => {
          const data = r.address.startsWith("data.");
          const [type, name] = r.address.replace(/^data\./, "").replace(/\[.*\]$/, "").split(".");
          return { address: r.address, mode: data ? "data" : "managed", type, name, values: {}, ...(r.depends_on ? { depends_on: r.depends_on } : {}) };
        }),
      },
    },
  };
}

/**
 * A TerraformRunner that records every call and answers from canned JSON, keyed by stack
 * folder name. `plans` may be a function of the plan options (destroy plans depend on targets).
 */
export class RecordingRunner implements TerraformRunner {
  readonly calls: Call[] = [];
  plans: Record<string, unknown | ((o: PlanOptions) => unknown)> = {};
  states: Record<string, unknown> = {};
  outputs: Record<string, Record<string, TerraformOutput>> = {};
  failOn?: { method: Call["method"]; error: Error };
  private lastPlan = new Map<string, PlanOptions>();

  private record(call: Call): void {
    this.calls.push(call);
    if (this.failOn?.method === call.method) throw this.failOn.error;
  }
  async init(dir: string, options?: InitOptions) {
    this.record({ method: "init", stack: name(dir), options });
  }
  async plan(dir: string, options: PlanOptions) {
    this.record({ method: "plan", stack: name(dir), options });
    this.lastPlan.set(dir, options);
  }
  async showPlan(dir: string, planFile: string) {
    this.record({ method: "showPlan", stack: name(dir), planFile });
    const p = this.plans[name(dir)] ?? planJson([]);
    return typeof p === "function" ? (p as (o: PlanOptions) => unknown)(this.lastPlan.get(dir)!) : p;
  }
  async showState(dir: string) {
    this.record({ method: "showState", stack: name(dir) });
    return this.states[name(dir)] ?? stateJson([]);
  }
  async apply(dir: string, planFile: string) {
    this.record({ method: "apply", stack: name(dir), planFile });
  }
  async output(dir: string) {
    this.record({ method: "output", stack: name(dir) });
    return this.outputs[name(dir)] ?? {};
  }
  methods(): string[] {
    return this.calls.map((c) => `${c.method} ${c.stack}`);
  }
}

function name(dir: string): string {
  return dir.split("/").pop()!;
}

/** A synth that writes the given cdk.tf.json per stack into a fresh temp folder and records its options. */
export function fakeSynth(configs: Record<string, unknown>): SynthFn & { calls: { file: string; options: SynthOptions }[]; outDir: string } {
  const outDir = mkdtempSync(join(tmpdir(), "mlplat-engine-"));
  const calls: { file: string; options: SynthOptions }[] = [];
  const fn = async (file: string, options: SynthOptions) => {
    calls.push({ file, options });
    const stacks = Object.entries(configs).map(([stack, config]) => {
      const dir = join(outDir, "stacks", stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
      return { name: stack, dir };
    });
    return { outDir, stacks };
  };
  return Object.assign(fn, { calls, outDir });
}

export interface Harness {
  deps: EngineDeps;
  runner: RecordingRunner;
  printed: string[];
  questions: string[];
  synth: ReturnType<typeof fakeSynth>;
  /** Progress steps in order, `step stack`. */
  steps: string[];
}

/** Engine deps over the fakes. `answer` undefined: no terminal (confirm absent). */
export function harness(configs: Record<string, unknown>, answer?: boolean): Harness {
  const runner = new RecordingRunner();
  const printed: string[] = [];
  const questions: string[] = [];
  const synth = fakeSynth(configs);
  const steps: string[] = [];
  const progress: Progress = {
    async step(step, stack, work) {
      steps.push(`${step} ${stack}`);
      return work();
    },
  };
  return {
    runner,
    printed,
    questions,
    synth,
    steps,
    deps: {
      runner,
      synth,
      progress,
      ui: {
        print: (t) => printed.push(t),
        confirm:
          answer === undefined
            ? undefined
            : async (q) => {
                questions.push(q);
                return answer;
              },
      },
    },
  };
}

/** A cdk.tf.json with the given resources; `protect` ones get prevent_destroy. */
export function config(resources: string[], protect: string[] = []): unknown {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const address of resources) {
    const [type, name] = address.split(".");
    (resource[type] ??= {})[name] = { bucket: name, ...(protect.includes(address) ? { lifecycle: { prevent_destroy: true } } : {}) };
  }
  return { terraform: { backend: { local: { path: "x.tfstate" } } }, resource };
}
