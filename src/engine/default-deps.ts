import { createInterface } from "node:readline/promises";
import { ProcessTerraformRunner } from "../terraform/process-runner.js";
import type { EngineDeps, SynthFn, Ui } from "./ports.js";
import { createProgress, wantLiveProgress } from "./progress.js";

export interface DefaultDepsOptions {
  readonly json: boolean;
  readonly verbose: boolean;
  /**
   * With `--json`, where human text goes: `stderr` for commands that ask before acting (the
   * person confirming must see the plan), `none` for read-only ones.
   */
  readonly humanWithJson: "stderr" | "none";
}

// The lead's synth module (src/synth/synthesize.ts), imported lazily: it loads cdktf.
const SYNTH_MODULE = "../synth/synthesize.js";

/** The real ports: the lead's synth, the terraform binary, the terminal. */
export async function defaultDeps(options: DefaultDepsOptions): Promise<EngineDeps> {
  // Resolving terraform first fails fast, before a synth that can take seconds.
  const runner = new ProcessTerraformRunner({ verbose: options.verbose });
  const { synthesizeBlueprint } = (await import(SYNTH_MODULE)) as { synthesizeBlueprint: SynthFn };
  return {
    runner,
    synth: synthesizeBlueprint,
    progress: createProgress({ live: wantLiveProgress(options.verbose) }),
    ui: terminalUi(options),
  };
}

function terminalUi(options: DefaultDepsOptions): Ui {
  const print = !options.json
    ? (text: string) => process.stdout.write(text + "\n")
    : options.humanWithJson === "stderr"
      ? (text: string) => process.stderr.write(text + "\n")
      : () => undefined;
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    print,
    confirm: interactive
      ? async (question: string) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return (await rl.question(`\n${question}`)).trim() === "yes";
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}
