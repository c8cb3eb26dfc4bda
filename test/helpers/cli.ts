import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const BIN = resolve("bin/mlplat.js");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would: a child process, no TTY, CI set (no colour, no prompts). */
export function mlplat(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CI: "true", NO_COLOR: "1", MLPLAT_TODAY: "2026-11-25", ...opts.env },
    encoding: "utf8",
    input: opts.input ?? "",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace ever reaches a user for their own mistakes. */
export function hasStackTrace(s: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(s) || /\n\s+at file:/.test(s);
}
