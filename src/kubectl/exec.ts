import { spawn } from "node:child_process";
import { closeSync, constants, createWriteStream, openSync } from "node:fs";
import { MlplatError } from "../util/errors.js";
import { findExecutable } from "../util/executable.js";

/**
 * The lowest port under the Kubernetes layer: run one command-line tool (kubectl, or the
 * cloud's own CLI for credentials and image checks) with an argument array, never a shell,
 * and hand back what it printed. `ProcessToolExec` spawns the real binaries; tests replay
 * recorded outputs through a fake, so the argument arrays and the error mapping above this
 * port (src/kubectl/kubectl-cli.ts, src/registry-images/) are the code that runs in production.
 */
export interface ToolExec {
  run(request: ToolRequest): Promise<ToolResult>;
}

/** The tools mlplat drives besides terraform. */
export type ToolName = "kubectl" | "aws" | "gcloud" | "az" | "kubelogin";

export interface ToolRequest {
  readonly tool: ToolName;
  readonly args: readonly string[];
  /** Working directory: the stack folder. */
  readonly cwd: string;
  /** Appended to (header, then every byte of stdout and stderr); opened with O_NOFOLLOW. */
  readonly logFile: string;
  /** Added to the environment (e.g. `KUBECONFIG` for gcloud). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * @default false; true keeps stdout out of the log (it is JSON mlplat reads, or a
   * credential); its size is logged instead.
   */
  readonly quietStdout?: boolean;
}

export interface ToolResult {
  /** Exit code; null when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when mlplat forwarded SIGINT/SIGTERM to the tool. */
  readonly interrupted?: NodeJS.Signals;
}

/** What to install when a tool is missing; `MLPLAT_KUBECTL` overrides kubectl. */
const INSTALL: Record<ToolName, string> = {
  kubectl: "install kubectl (https://kubernetes.io/docs/tasks/tools/) or set MLPLAT_KUBECTL to its path; `--skip-kubernetes` leaves k8s/ to GitOps instead.",
  aws: "install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html); mlplat uses it for `aws eks update-kubeconfig` and `aws ecr describe-images`.",
  gcloud: "install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install) with the gke-gcloud-auth-plugin component; mlplat uses it for cluster credentials and `gcloud artifacts docker images describe`.",
  kubelogin: "install kubelogin (`az aks install-cli`, https://azure.github.io/kubelogin/install.html): AKS clusters with Entra ID need it for kubectl.",
  az: "install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli) and kubelogin (`az aks install-cli`); mlplat uses it for `az aks get-credentials` and `az acr manifest show`.",
};

/**
 * Finds a tool: for kubectl `MLPLAT_KUBECTL` (a path, or a command name looked up on PATH),
 * else the tool's name on PATH. Throws MLP_KUBECTL_NOT_FOUND / MLP_CLOUD_CLI_NOT_FOUND (exit 1).
 */
export function findTool(tool: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  const override = tool === "kubectl" ? env.MLPLAT_KUBECTL?.trim() : undefined;
  const wanted = override || tool;
  const found = findExecutable(wanted, env);
  if (found) return found;
  const code = tool === "kubectl" ? "MLP_KUBECTL_NOT_FOUND" : "MLP_CLOUD_CLI_NOT_FOUND";
  const message = override ? `MLPLAT_KUBECTL is set to "${override}", which is not an executable file.` : `${tool} was not found on PATH.`;
  throw new MlplatError(code, message, { hint: INSTALL[tool] });
}



/** Only this much stdout/stderr is kept in memory; the log has all of it. */
const MAX_KEPT = 8 * 1024 * 1024;

/**
 * Opens a log for appending without following a symbolic link (O_NOFOLLOW: a link planted in
 * the stack folder cannot redirect the log, which holds cluster names and tool output, into
 * another file). A log that cannot be opened is not fatal: the tool's result decides.
 */
export function openLog(path: string): NodeJS.WritableStream | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch {
    return undefined;
  }
  const stream = createWriteStream("", { fd, autoClose: true });
  stream.on("error", () => {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  });
  return stream;
}

/**
 * Spawns the real tools. Like the terraform runner: each tool runs in its own process group,
 * so a terminal's Ctrl-C reaches mlplat only, and mlplat forwards it once (kubectl stops, the
 * API server keeps whatever it already accepted); the result then carries `interrupted`.
 */
export class ProcessToolExec implements ToolExec {
  private readonly env: NodeJS.ProcessEnv;
  private readonly verbose: boolean;
  private readonly echo: NodeJS.WritableStream;

  constructor(options: { env?: NodeJS.ProcessEnv; verbose?: boolean; echo?: NodeJS.WritableStream } = {}) {
    this.env = options.env ?? process.env;
    this.verbose = options.verbose ?? false;
    this.echo = options.echo ?? process.stderr;
  }

  run(request: ToolRequest): Promise<ToolResult> {
    const binary = findTool(request.tool, this.env);
    const log = openLog(request.logFile);
    log?.write(`\n===== ${new Date().toISOString()} ${request.tool} ${request.args.join(" ")} =====\n`);
    return new Promise<ToolResult>((resolvePromise, reject) => {
      const child = spawn(binary, [...request.args], {
        cwd: request.cwd,
        env: { ...this.env, ...request.env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      let interrupted: NodeJS.Signals | undefined;
      const forward = (signal: NodeJS.Signals) => {
        interrupted = signal;
        if (child.exitCode === null) child.kill(signal);
      };
      process.on("SIGINT", forward);
      process.on("SIGTERM", forward);
      const done = (fn: () => void) => {
        process.off("SIGINT", forward);
        process.off("SIGTERM", forward);
        if (log) log.end(fn);
        else fn();
      };
      child.stdout.on("data", (chunk: Buffer) => {
        stdout = (stdout + chunk.toString("utf8")).slice(-MAX_KEPT);
        if (!request.quietStdout) {
          log?.write(chunk);
          if (this.verbose) this.echo.write(chunk);
        }
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-MAX_KEPT);
        log?.write(chunk);
        if (this.verbose) this.echo.write(chunk);
      });
      child.on("error", (err) => done(() => reject(new MlplatError("MLP_KUBECTL_FAILED", `${request.tool} could not be started: ${err.message}`, { exitCode: 3, cause: err }))));
      child.on("close", (code) => {
        if (request.quietStdout) log?.write(`(${stdout.length} bytes of output read by mlplat)\n`);
        log?.write(`(exit ${code ?? "by signal"})\n`);
        done(() => resolvePromise({ code, stdout, stderr, interrupted }));
      });
    });
  }
}
