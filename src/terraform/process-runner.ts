import { spawn } from "node:child_process";
import { closeSync, createWriteStream, type WriteStream } from "node:fs";
import { basename, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { openStackLog } from "../output/stack-files.js";
import { EXIT, MlplatError, TerraformError } from "../util/errors.js";
import { hintFor, meaningfulLines, stripAnsi, uiMessageText } from "./failure.js";
import { sortPlannedChanges } from "./plan-stream.js";
import { remoteRunUrl } from "./remote-run.js";
import { LOG_FILE, type InitOptions, type PlanOptions, type RemotePlan, type TerraformOutput, type TerraformRunner } from "./runner.js";
import { findExecutable } from "../util/executable.js";

export interface ProcessRunnerOptions {
  /**
   * Environment for terraform. The user's own is passed through whole, so TF_CLI_CONFIG_FILE,
   * TF_PLUGIN_CACHE_DIR, TF_LOG, TF_VAR_*, cloud credentials and proxies behave as they do when
   * running terraform by hand.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** @default false; true echoes terraform's full output to `echo` as it runs. */
  readonly verbose?: boolean;
  /** @default process.stderr (stdout stays clean for `--json`) */
  readonly echo?: NodeJS.WritableStream;
}

/**
 * Finds the terraform binary: `MLPLAT_TERRAFORM` (a path, or a command name looked up on PATH,
 * so `MLPLAT_TERRAFORM=tofu` works), else `terraform` on PATH.
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.MLPLAT_TERRAFORM?.trim() || "terraform";
  const found = findExecutable(wanted, env);
  if (found) return found;
  throw new MlplatError(
    "MLP_TERRAFORM_NOT_FOUND",
    env.MLPLAT_TERRAFORM ? `MLPLAT_TERRAFORM is set to "${env.MLPLAT_TERRAFORM}", which is not an executable file.` : "terraform was not found on PATH.",
    {
      hint:
        "mlplat drives the terraform binary (1.5 or later). Install it from https://developer.hashicorp.com/terraform/install " +
        "(macOS: `brew install hashicorp/tap/terraform`; Debian/Ubuntu: HashiCorp's apt repository), " +
        "or set MLPLAT_TERRAFORM to the binary's path.",
    },
  );
}



/** Only this much stderr is kept in memory for the error message; the log has all of it. */
const STDERR_TAIL_BYTES = 64 * 1024;

/** The machine-readable UI messages `plan` returns (src/terraform/plan-stream.ts reads them); the rest only go to the log. */
const KEPT_MESSAGES = new Set(["version", "planned_change", "change_summary", "outputs", "diagnostic"]);

/**
 * What a step does with terraform's stdout: `log` writes it to the log (and echoes it with
 * verbose), `capture` keeps it whole for the caller (JSON), `ui-stream` reads it as a
 * machine-readable UI stream (`-json`, one message per line): the messages are kept for the
 * caller, their human text goes to the log and the echo, and error diagnostics (on stdout in
 * this mode) make up the failure message with the stderr. `log-keep` is `log` that also keeps
 * the text for the caller (a remote run's output, which names the run).
 */
type StdoutMode = "log" | "log-keep" | "capture" | "ui-stream";

interface RunResult {
  readonly stdout: string;
  readonly messages: unknown[];
}

/**
 * Spawns terraform with argument arrays (never a shell) in a stack directory. Each step appends
 * a header and its whole output to `<stack>/terraform.log`; failures become `TerraformError`
 * (exit 3) carrying the last meaningful stderr lines, a hint and the log path.
 *
 * Ctrl-C: terraform runs in its own process group, so a terminal's SIGINT reaches mlplat only,
 * and mlplat forwards it once. Terraform then stops gracefully, saves state and releases its
 * lock; had it received the terminal's SIGINT and ours, it would take them as two interrupts and
 * exit immediately, which is what can lose state. A second Ctrl-C is forwarded too, on purpose.
 */
export class ProcessTerraformRunner implements TerraformRunner {
  readonly binary: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly verbose: boolean;
  private readonly echo: NodeJS.WritableStream;
  private readonly color: boolean;

  constructor(options: ProcessRunnerOptions = {}) {
    const env = options.env ?? process.env;
    this.binary = findTerraform(env);
    // TF_IN_AUTOMATION only trims "run terraform apply next" advice that does not apply here.
    // CHECKPOINT_DISABLE: no version check, so terraform writes nothing to ~/.terraform.d
    // (its checkpoint cache and signature) unless the user asks for it.
    // TF_DATA_DIR is always the stack's own `.terraform`: one folder shared by several stacks
    // would mix their backends and providers, and would put them outside the output.
    this.env = { TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...env, TF_DATA_DIR: ".terraform" };
    this.verbose = options.verbose ?? false;
    this.echo = options.echo ?? process.stderr;
    this.color = this.verbose && (this.echo as { isTTY?: boolean }).isTTY === true && !("NO_COLOR" in env) && env.CI === undefined;
  }

  async init(dir: string, options: InitOptions = {}): Promise<void> {
    await this.run(dir, "init", ["init", "-input=false", ...(options.reconfigure ? ["-reconfigure"] : [])]);
  }

  async plan(dir: string, options: PlanOptions): Promise<unknown[]> {
    const { messages } = await this.run(dir, "plan", planArgs(options, ["-json"]), "ui-stream");
    return sortPlannedChanges(messages.filter((m) => KEPT_MESSAGES.has((m as { type?: string }).type ?? "")));
  }

  async planRemote(dir: string, options: PlanOptions): Promise<RemotePlan> {
    const { stdout } = await this.run(dir, "plan", planArgs(options, []), "log-keep");
    const runUrl = remoteRunUrl(stdout);
    return runUrl ? { runUrl } : {};
  }

  async showPlan(dir: string, planFile: string): Promise<unknown> {
    return parseJsonOutput((await this.run(dir, "show", ["show", "-json", planFile], "capture")).stdout, "show -json", dir);
  }

  async showState(dir: string): Promise<unknown> {
    return parseJsonOutput((await this.run(dir, "show", ["show", "-json"], "capture")).stdout, "show -json", dir);
  }

  async apply(dir: string, planFile: string): Promise<void> {
    await this.run(dir, "apply", ["apply", "-input=false", planFile]);
  }

  async output(dir: string): Promise<Record<string, TerraformOutput>> {
    const raw = parseJsonOutput((await this.run(dir, "output", ["output", "-json"], "capture")).stdout, "output -json", dir);
    if (raw !== null && (typeof raw !== "object" || Array.isArray(raw))) throw notJson("output -json", dir, JSON.stringify(raw));
    return (raw ?? {}) as Record<string, TerraformOutput>;
  }

  /** Runs one terraform command; resolves with its stdout when `capture`, its parsed messages when `ui-stream`. */
  private run(dir: string, step: string, argv: string[], mode: StdoutMode = "log"): Promise<RunResult> {
    const args = this.color ? argv : [...argv.slice(0, 1), "-no-color", ...argv.slice(1)];
    const logPath = join(dir, LOG_FILE);
    const log = openLog(logPath);
    log.write(`\n===== ${new Date().toISOString()} terraform ${args.join(" ")} =====\n`);

    return new Promise<RunResult>((resolvePromise, reject) => {
      const child = spawn(this.binary, args, { cwd: dir, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      const out: Buffer[] = [];
      const messages: unknown[] = [];
      let errTail = "";
      let diagnostics = "";
      let interrupted: NodeJS.Signals | undefined;

      // ui-stream: whole lines only (a chunk can end mid-line, or mid-character).
      const decoder = new StringDecoder("utf8");
      let partial = "";
      const streamLine = (line: string) => {
        if (line.trim() === "") return;
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          // Not a UI message (a crash trace, a wrapper's own output): keep it as it is.
          log.write(stripAnsi(line) + "\n");
          if (this.verbose) this.echo.write(line + "\n");
          return;
        }
        messages.push(message);
        const text = uiMessageText(message);
        if (text === undefined) return;
        log.write(text + "\n");
        if (this.verbose) this.echo.write(text + "\n");
        const m = message as { type?: unknown; diagnostic?: { severity?: unknown } };
        if (m.type === "diagnostic" && m.diagnostic?.severity === "error") diagnostics = (diagnostics + text + "\n\n").slice(-STDERR_TAIL_BYTES);
      };

      const forward = (signal: NodeJS.Signals) => {
        // Acknowledged at once: terraform may take seconds to stop, and silence reads as a hang.
        const tty = (this.echo as { isTTY?: boolean }).isTTY === true;
        this.echo.write(
          `${tty ? "\r\u001b[2K" : "\n"}${interrupted ? "interrupting again: terraform stops now, without finishing its current call" : "interrupting… (waiting for terraform to stop safely)"}\n`,
        );
        interrupted = signal;
        if (child.exitCode === null) child.kill(signal);
      };
      process.on("SIGINT", forward);
      process.on("SIGTERM", forward);
      const cleanup = () => {
        process.off("SIGINT", forward);
        process.off("SIGTERM", forward);
      };

      child.stdout.on("data", (chunk: Buffer) => {
        if (mode === "capture") out.push(chunk);
        else if (mode === "ui-stream") {
          const lines = (partial + decoder.write(chunk)).split("\n");
          partial = lines.pop()!;
          for (const line of lines) streamLine(line);
        } else {
          if (mode === "log-keep") out.push(chunk);
          log.write(stripAnsi(chunk.toString("utf8")));
          if (this.verbose) this.echo.write(chunk);
        }
      });
      child.stderr.on("data", (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        log.write(stripAnsi(text));
        if (this.verbose) this.echo.write(chunk);
        errTail = (errTail + text).slice(-STDERR_TAIL_BYTES);
      });

      const finish = (err: Error | undefined, result: RunResult = { stdout: "", messages: [] }) => {
        cleanup();
        log.end(() => (err ? reject(err) : resolvePromise(result)));
      };

      child.on("error", (err: NodeJS.ErrnoException) => {
        finish(
          err.code === "ENOENT"
            ? new MlplatError("MLP_TERRAFORM_NOT_FOUND", `terraform could not be started: ${this.binary} does not exist.`, {
                hint: "install terraform (https://developer.hashicorp.com/terraform/install) or set MLPLAT_TERRAFORM to its path.",
              })
            : new TerraformError(`terraform ${step} could not be started: ${err.message}`, { logFile: logPath, cause: err }),
        );
      });

      child.on("close", (code, signal) => {
        const stdout = Buffer.concat(out).toString("utf8");
        if (mode === "capture") log.write(`(${stdout.length} bytes of JSON read by mlplat)\n`);
        if (mode === "ui-stream") streamLine(partial + decoder.end());
        if (code === 0 && !interrupted) return finish(undefined, { stdout, messages });
        const stack = basename(dir);
        // With -json, terraform's error diagnostics are on stdout; stderr has what came before its UI started.
        // A remote run (log-keep) streams the engine's errors on stdout, and stderr only says the run failed.
        const failure = (mode === "log-keep" ? stdout.slice(-STDERR_TAIL_BYTES) : "") + diagnostics + errTail;
        const lines = meaningfulLines(failure);
        const hint = hintFor(failure, dir);
        if (interrupted) {
          // Exit 130 as a shell expects after Ctrl-C (128 + SIGINT), not terraform's failure code.
          return finish(
            new MlplatError("MLP_INTERRUPTED", `terraform ${step} was interrupted (${interrupted}) in stack ${stack}; terraform saved its state and released its lock.`, {
              exitCode: EXIT.interrupted,
              details: `  log: ${logPath}`,
              hint: "run the command again when ready: it plans afresh from the state terraform saved.",
            }),
          );
        }
        const message = `terraform ${step} failed in stack ${stack} (${signal ? `killed by ${signal}` : `exit ${code}`}).`;
        finish(
          new TerraformError(message, {
            logFile: logPath,
            details: [...lines.map((l) => `  ${l}`), `  log: ${logPath}`].join("\n"),
            hint: hint?.hint,
            failureKind: hint?.kind,
            uiMessages: messages,
          }),
        );
      });
    });
  }
}

function planArgs(options: PlanOptions, view: string[]): string[] {
  if (options.targets && options.targets.length === 0) {
    throw new Error("plan with an empty target list would plan everything; the caller must skip the plan instead");
  }
  const args = ["plan", "-input=false", ...view, `-out=${options.out}`];
  if (options.refresh === false) args.push("-refresh=false");
  if (options.destroy) args.push("-destroy");
  for (const t of options.targets ?? []) args.push(`-target=${t}`);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push(`-var=${name}=${value}`);
  return args;
}

/**
 * The stack's terraform.log, opened for appending without following a link (MLP_OUT_LINK when
 * it is one). A log that cannot be written otherwise (full disk, read-only folder) must not
 * take the run down: terraform's own result decides success, and the error message keeps the
 * stderr tail; the log then writes nowhere.
 */
function openLog(path: string): WriteStream | NullLog {
  let fd: number;
  try {
    fd = openStackLog(path);
  } catch (err) {
    if (err instanceof MlplatError) throw err;
    return new NullLog();
  }
  const log = createWriteStream("", { fd, autoClose: true });
  log.on("error", () => {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  });
  return log;
}

class NullLog {
  write(_chunk: unknown): boolean {
    return true;
  }
  end(cb?: () => void): void {
    cb?.();
  }
}

function parseJsonOutput(stdout: string, command: string, dir: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    throw notJson(command, dir, stdout);
  }
}

function notJson(command: string, dir: string, stdout: string): MlplatError {
  const first = stdout.split("\n").find((l) => l.trim() !== "")?.trim() ?? "(nothing)";
  const shown = first.length > 120 ? `${first.slice(0, 120)}…` : first;
  return new MlplatError("MLP_TERRAFORM_NOT_JSON", `terraform ${command} in stack ${basename(dir)} printed text that is not terraform's JSON: ${stripAnsi(shown)}`, {
    hint:
      `mlplat reads terraform's JSON output. Check that MLPLAT_TERRAFORM (or terraform on PATH) is terraform 1.5 or later, not a wrapper that prints other text; ` +
      `\`terraform ${command}\` in ${dir} shows what it prints. Its whole output is in ${join(dir, LOG_FILE)}.`,
  });
}
