import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineDeps, Progress, SynthFn, SynthOptions } from "../../src/engine/ports.js";
import type { InitOptions, PlanOptions, TerraformOutput, TerraformRunner } from "../../src/terraform/runner.js";

export type Call =
  | { method: "init"; stack: string; options?: InitOptions }
  | { method: "plan"; stack: string; options: PlanOptions }
  | { method: "showState"; stack: string }
  | { method: "apply"; stack: string; planFile: string }
  | { method: "output"; stack: string };

type Change = [address: string, action: string];

/**
 * The messages of a `terraform plan -json` as the runner returns them (JSON-parsed lines, the
 * ones mlplat reads plus noise), for the given planned changes and root output actions. The
 * change_summary counts as terraform's do: a replace is one add and one remove, data sources
 * never count, no-op resources get no planned_change.
 */
export function planStream(changes: Change[], outputs: Record<string, string> = {}): unknown[] {
  const at = { "@level": "info", "@module": "terraform.ui", "@timestamp": "2026-11-25T15:58:44.799232Z" };
  const managed = changes.filter(([address]) => !address.startsWith("data."));
  const count = (...actions: string[]) => managed.filter(([, a]) => actions.includes(a)).length;
  const [add, change, remove] = [count("create", "replace"), count("update"), count("delete", "replace")];
  return [
    { ...at, "@message": "Terraform 1.11.4", type: "version", terraform: "1.11.4", ui: "1.2" },
    ...changes.map(([address, action]) => {
      const [type, name] = address.replace(/^data\./, "").split(".");
      return {
        ...at,
        "@message": `${address}: Plan to ${action}`,
        type: "planned_change",
        change: {
          resource: { addr: address, module: "", resource: address, implied_provider: "aws", resource_type: type, resource_name: name, resource_key: null },
          action,
        },
      };
    }),
    { ...at, "@message": `Plan: ${add} to add, ${change} to change, ${remove} to destroy.`, type: "change_summary", changes: { add, change, import: 0, remove, operation: "plan" } },
    ...(Object.keys(outputs).length
      ? [{ ...at, "@message": `Outputs: ${Object.keys(outputs).length}`, type: "outputs", outputs: Object.fromEntries(Object.entries(outputs).map(([k, action]) => [k, { sensitive: false, action }])) }]
      : []),
  ];
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
 * folder name: plan streams (planStream), states, outputs. `plans` may be a function of the
 * plan options (destroy plans depend on targets).
 *
 * Like terraform, `plan` writes its saved plan file (`options.out` in the stack folder: the
 * plan's messages as JSON, plus a serial). `apply` reads the file it is given and records as
 * `planFile` the name of the saved plan whose bytes those are (`mlplat.tfplan`), or
 * `<unreviewed bytes>` when they match no plan this runner wrote; `appliedFiles` has the names
 * actually passed.
 */
export class RecordingRunner implements TerraformRunner {
  readonly calls: Call[] = [];
  plans: Record<string, unknown[] | ((o: PlanOptions) => unknown[])> = {};
  states: Record<string, unknown> = {};
  outputs: Record<string, Record<string, TerraformOutput>> = {};
  failOn?: { method: Call["method"]; error: Error };
  readonly appliedFiles: string[] = [];
  private readonly written = new Map<string, string>();
  private serial = 0;

  private record(call: Call): void {
    this.calls.push(call);
    if (this.failOn?.method === call.method) throw this.failOn.error;
  }
  async init(dir: string, options?: InitOptions) {
    this.record({ method: "init", stack: name(dir), options });
  }
  async plan(dir: string, options: PlanOptions) {
    this.record({ method: "plan", stack: name(dir), options });
    const p = this.plans[name(dir)] ?? planStream([]);
    const messages = typeof p === "function" ? p(options) : p;
    const bytes = JSON.stringify({ serial: ++this.serial, messages });
    writeFileSync(join(dir, options.out), bytes);
    this.written.set(`${dir}\0${bytes}`, options.out);
    return messages;
  }
  async showState(dir: string) {
    this.record({ method: "showState", stack: name(dir) });
    return this.states[name(dir)] ?? stateJson([]);
  }
  async apply(dir: string, planFile: string) {
    this.appliedFiles.push(planFile);
    const bytes = readFileSync(join(dir, planFile), "utf8");
    this.record({ method: "apply", stack: name(dir), planFile: this.written.get(`${dir}\0${bytes}`) ?? "<unreviewed bytes>" });
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

/**
 * A synth that writes the given cdk.tf.json per stack into a fresh temp folder and records its
 * options; `released` counts the calls of each result's `release` (the real synth's lock).
 */
export function fakeSynth(configs: Record<string, unknown>): SynthFn & { calls: { file: string; options: SynthOptions }[]; outDir: string; released: number } {
  const outDir = mkdtempSync(join(tmpdir(), "mlplat-engine-"));
  const calls: { file: string; options: SynthOptions }[] = [];
  const state = { released: 0 };
  const fn = async (file: string, options: SynthOptions) => {
    calls.push({ file, options });
    const stacks = Object.entries(configs).map(([stack, config]) => {
      const dir = join(outDir, "stacks", stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
      return { name: stack, dir };
    });
    return { outDir, stacks, release: () => void state.released++ };
  };
  const synth = Object.assign(fn, { calls, outDir, released: 0 });
  Object.defineProperty(synth, "released", { get: () => state.released });
  return synth;
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
