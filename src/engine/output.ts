import { lstatSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readMarker } from "../output/marker.js";
import { resolveOutputPaths } from "../output/paths.js";
import { MlplatError } from "../util/errors.js";
import type { CommonOptions, EngineDeps, SynthResult, SynthedStack } from "./ports.js";
import { initStep, synthStep } from "./stack-plan.js";

export interface OutputReport {
  readonly stacks: { name: string; outputs: Record<string, unknown>; sensitive: string[] }[];
}

/**
 * `mlplat output`: each stack's terraform outputs (endpoints, registry URLs, bucket names…),
 * read-only. It reads state through `terraform output` only: where the output folder holds this
 * blueprint's last online synth with its stacks initialized, terraform runs there as it is (no
 * synth, no init, the saved plan kept); otherwise the stacks are synthesized and initialized in a
 * private temporary folder, removed afterwards (kept when terraform fails: its error names the
 * log there). Nothing deployed (no outputs in any stack's state) is MLP_NOT_DEPLOYED, exit 1.
 */
export async function runOutput(file: string, options: CommonOptions, deps: EngineDeps): Promise<OutputReport> {
  const env = options.env ?? "default";
  const reused = initializedStacks(resolveOutputPaths(file, options.outDir, options.stateDir).outDir, file, env);
  let synth: SynthResult | undefined;
  let temp: string | undefined;
  try {
    let stacks: readonly SynthedStack[] | undefined = reused;
    if (!stacks) {
      temp = mkdtempSync(join(tmpdir(), "mlplat-output-"));
      synth = await synthStep(deps, file, { ...options, outDir: join(temp, "out"), offline: false, command: "output" });
      stacks = synth.stacks;
    }
    const report: OutputReport["stacks"] = [];
    for (const stack of stacks ?? []) {
      if (!reused) await initStep(deps, stack, false);
      const raw = await deps.runner.output(stack.dir);
      const names = Object.keys(raw).sort();
      const outputs = Object.fromEntries(names.map((n) => [n, raw[n].value]));
      const sensitive = names.filter((n) => raw[n].sensitive);
      report.push({ name: stack.name, outputs, sensitive });
      if (names.length > 0) deps.ui.print(renderOutputs(stack.name, outputs, sensitive));
    }
    if (report.every((s) => Object.keys(s.outputs).length === 0)) {
      throw new MlplatError("MLP_NOT_DEPLOYED", `${report.map((s) => s.name).join(", ")} ${report.length === 1 ? "is" : "are"} not deployed: terraform finds no outputs in the state.`, {
        hint: `deploy with \`mlplat deploy ${file}${options.env ? ` --env ${options.env}` : ""}\`; if it is deployed, check --env, --state-dir and spec.state point at its state.`,
      });
    }
    if (temp) rmSync(temp, { recursive: true, force: true });
    return { stacks: report };
  } catch (err) {
    // A terraform failure names its log in the temporary folder: keep it for the user to read.
    if (temp && !(err instanceof MlplatError && KEEP_LOG_ON.has(err.code))) rmSync(temp, { recursive: true, force: true });
    throw err;
  } finally {
    synth?.release?.();
  }
}

/** Failures whose message names terraform's log in the temporary folder. */
const KEEP_LOG_ON: ReadonlySet<string> = new Set(["MLP_TERRAFORM_FAILED", "MLP_TERRAFORM_NOT_JSON"]);

/** The stacks of this blueprint's last online synth in `outDir`, when every one is initialized. */
export function initializedStacks(outDir: string, file: string, env: string): SynthedStack[] | undefined {
  const marker = readMarker(outDir);
  if (!marker || marker.offline || marker.env !== env || marker.blueprint !== basename(file)) return undefined;
  const stacks = marker.stacks.map((name) => ({ name, dir: join(outDir, "stacks", name) }));
  const initialized = (dir: string) => {
    try {
      return lstatSync(join(dir, ".terraform")).isDirectory() && lstatSync(join(dir, "cdk.tf.json")).isFile();
    } catch {
      return false;
    }
  };
  return stacks.every((s) => initialized(s.dir)) ? stacks : undefined;
}

/** `name = value` per output; sensitive values hidden (they are in `--json`, as with terraform). */
export function renderOutputs(stack: string, outputs: Record<string, unknown>, sensitive: readonly string[]): string {
  const names = Object.keys(outputs);
  const width = Math.max(...names.map((n) => n.length));
  const lines = [`Stack ${stack}:`];
  for (const n of names) {
    const v = outputs[n];
    const shown = sensitive.includes(n) ? "(sensitive)" : typeof v === "string" ? v : JSON.stringify(v);
    lines.push(`  ${n.padEnd(width)} = ${shown}`);
  }
  return lines.join("\n");
}
