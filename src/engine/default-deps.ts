import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { ProcessToolExec, type ToolName } from "../kubectl/exec.js";
import { KubectlCli } from "../kubectl/kubectl-cli.js";
import { CliRegistryImages } from "../registry-images/registry-images.js";
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
  /** @default false; an `--offline` run: terraform gets stand-in cloud credentials (offlineEnv). */
  readonly offline?: boolean;
}

/**
 * The environment of an `--offline` run. The AWS provider wants some credentials even when its
 * skip_* flags keep it from calling AWS, so it gets static stand-ins, and every other source
 * (profiles, SSO, session tokens, instance metadata) is switched off: offline must need no
 * credentials and must never use real ones, which could refresh tokens over the network.
 */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const k of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
    delete out[k];
  }
  return {
    ...out,
    AWS_ACCESS_KEY_ID: "AKIAMLPLATOFFLINE000",
    AWS_SECRET_ACCESS_KEY: "mlplat-offline-plan-no-real-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** The real ports: the lead's synth, the terraform binary, the terminal. */
export async function defaultDeps(options: DefaultDepsOptions): Promise<EngineDeps> {
  // Resolving terraform first fails fast, before a synth that can take seconds.
  const runner = new ProcessTerraformRunner({ verbose: options.verbose, env: options.offline ? offlineEnv(process.env) : process.env });
  // Lazily: the synth module loads cdktf and the provider bindings.
  const { synthesizeBlueprint } = await import("../synth/synthesize.js");
  const { renderDiagnostics } = await import("../cli/diagnostics-output.js");
  const synth: SynthFn = async (file, o) => {
    const result = await synthesizeBlueprint(file, o);
    // Warnings go to stderr even with --json: stdout is the result, and they matter to whoever reads the log.
    // They print while the synth step's spinner is drawn: clear its line first (the spinner
    // redraws below them), or the first diagnostic starts mid-line after "⠙ synth … 0.2s".
    if (result.warnings.length > 0) process.stderr.write(clearSpinnerLine() + renderDiagnostics(result.warnings) + "\n");
    return result;
  };
  // kubectl and the cloud CLIs are looked up when first run: only deploys and destroys of
  // platforms with a cluster or platform-registry endpoints need them.
  const tools = new ProcessToolExec({ verbose: options.verbose });
  return {
    runner,
    synth,
    kubectl: new KubectlCli(tools),
    images: new CliRegistryImages(tools),
    cloudCli: (stackDir) => async (program, args) => {
      const r = await tools.run({ tool: program as ToolName, args, cwd: stackDir, logFile: join(stackDir, "quota.log"), quietStdout: true });
      if (r.code !== 0) throw new Error(r.stderr.trim() || `${program} exited ${r.code}`);
      return r.stdout;
    },
    progress: createProgress({ live: wantLiveProgress(options.verbose) }),
    ui: terminalUi(options),
  };
}

/** `\r` + erase line on a terminal, where a progress spinner may be mid-line; nothing elsewhere. */
function clearSpinnerLine(): string {
  return process.stderr.isTTY === true ? "\r\u001b[2K" : "";
}

function terminalUi(options: DefaultDepsOptions): Ui {
  const print = !options.json
    ? (text: string) => {
        process.stderr.write(clearSpinnerLine());
        process.stdout.write(text + "\n");
      }
    : options.humanWithJson === "stderr"
      ? (text: string) => process.stderr.write(clearSpinnerLine() + text + "\n")
      : () => undefined;
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    print,
    confirm: interactive
      ? async (question: string) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          // Ctrl-C or Ctrl-D at the prompt is a "no"; without this, readline would just pause
          // stdin and the process would end with exit 0 as if nothing had been asked.
          const abort = new AbortController();
          rl.on("SIGINT", () => abort.abort());
          rl.on("close", () => abort.abort());
          try {
            return (await rl.question(`\n${question}`, { signal: abort.signal })).trim() === "yes";
          } catch {
            process.stderr.write("\n");
            return false;
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}
