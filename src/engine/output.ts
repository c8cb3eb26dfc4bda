import type { CommonOptions, EngineDeps } from "./ports.js";
import { initStep, synthStep } from "./stack-plan.js";

export interface OutputReport {
  readonly stacks: { name: string; outputs: Record<string, unknown>; sensitive: string[] }[];
}

/** `mlplat output`: each stack's terraform outputs (endpoints, registry URLs, bucket names…). */
export async function runOutput(file: string, options: CommonOptions, deps: EngineDeps): Promise<OutputReport> {
  const synth = await synthStep(deps, file, { ...options, offline: false, command: "output" });
  try {
    const stacks: OutputReport["stacks"] = [];
    for (const stack of synth.stacks) {
      await initStep(deps, stack, false);
      const raw = await deps.runner.output(stack.dir);
      const names = Object.keys(raw).sort();
      const outputs = Object.fromEntries(names.map((n) => [n, raw[n].value]));
      const sensitive = names.filter((n) => raw[n].sensitive);
      stacks.push({ name: stack.name, outputs, sensitive });
      deps.ui.print(renderOutputs(stack.name, outputs, sensitive));
    }
    return { stacks };
  } finally {
    synth.release?.();
  }
}

/** `name = value` per output; sensitive values hidden (they are in `--json`, as with terraform). */
export function renderOutputs(stack: string, outputs: Record<string, unknown>, sensitive: readonly string[]): string {
  const names = Object.keys(outputs);
  if (names.length === 0) return `Stack ${stack}: no outputs (not deployed yet?).`;
  const width = Math.max(...names.map((n) => n.length));
  const lines = [`Stack ${stack}:`];
  for (const n of names) {
    const v = outputs[n];
    const shown = sensitive.includes(n) ? "(sensitive)" : typeof v === "string" ? v : JSON.stringify(v);
    lines.push(`  ${n.padEnd(width)} = ${shown}`);
  }
  return lines.join("\n");
}
