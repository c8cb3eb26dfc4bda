/**
 * Typed errors. Every failure a user can cause or fix is an `MlplatError` with a stable code,
 * a hint and an exit code; the CLI's one handler (src/cli/handle-error.ts) renders them and is
 * the only caller of `process.exit`. Anything else that escapes is an internal error (exit 70).
 */
export const EXIT = {
  ok: 0,
  /** User or config error, including a refused deploy. */
  user: 1,
  /** `plan --detailed-exitcode`: the plan has changes. */
  changes: 2,
  /** Terraform failed. */
  terraform: 3,
  /** A bug in mlplat. */
  internal: 70,
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface MlplatErrorOptions {
  readonly hint?: string;
  readonly exitCode?: ExitCode;
  /** Extra lines printed after the message (already formatted diagnostics, stderr tails). */
  readonly details?: string;
  readonly cause?: unknown;
  /** Blueprint field the error is about, when it is about one (reported at its line by validate). */
  readonly path?: readonly (string | number)[];
}

export class MlplatError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: ExitCode;
  readonly details?: string;
  readonly path?: readonly (string | number)[];

  constructor(code: string, message: string, options: MlplatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlplatError";
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.user;
    this.details = options.details;
    this.path = options.path;
  }
}

export interface TerraformErrorOptions extends MlplatErrorOptions {
  readonly logFile?: string;
  /** What kind of failure terraform's output shows (src/terraform/failure.ts: hintFor), when recognised. */
  readonly failureKind?: string;
  /** The machine-readable UI messages of a `-json` run up to the failure (planned changes, diagnostics). */
  readonly uiMessages?: readonly unknown[];
}

/** Terraform exited non-zero: exit 3, with the log path and the last meaningful stderr lines. */
export class TerraformError extends MlplatError {
  readonly logFile?: string;
  readonly failureKind?: string;
  readonly uiMessages: readonly unknown[];
  constructor(message: string, options: TerraformErrorOptions = {}) {
    super("MLP_TERRAFORM_FAILED", message, { ...options, exitCode: EXIT.terraform });
    this.name = "TerraformError";
    this.logFile = options.logFile;
    this.failureKind = options.failureKind;
    this.uiMessages = options.uiMessages ?? [];
  }
}
