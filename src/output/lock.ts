import { closeSync, constants, lstatSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { MlplatError } from "../util/errors.js";
import { onExit } from "../util/exit-cleanup.js";

/**
 * An exclusive lock held for a whole command: a lock file created with O_CREAT|O_EXCL (atomic on
 * every local file system), holding the owner's pid, host, command and a random token.
 *
 * Why not a library: `proper-lockfile` (mkdir + mtime refresh) does not record who holds the
 * lock, and the message people need is "in use by mlplat (pid N, deploy)"; its staleness is a
 * timer that a deploy waiting minutes at its confirmation would have to keep refreshing. A pid is
 * exact on one host: a lock whose process is gone (killed, crashed) is stale and taken over.
 * A lock from another host (a shared network folder) is never taken over: the hint says how to
 * remove it by hand.
 *
 * A second run does not wait: it exits 1 at once. A deploy can hold the lock for minutes at its
 * prompt, and a run that queued silently behind it would then plan against a changed output.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly started: string;
  readonly token: string;
}

export interface Lock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Idempotent; also runs at process exit. */
  release(): void;
}

const WRITE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
/** A lock file still empty or half-written after this long belongs to a process that died writing it. */
const PARTIAL_STALE_MS = 10_000;

/**
 * Takes the lock `file` for `command`; `subject` names what it protects in the refusal
 * (`<out> is in use by mlplat (pid N, plan)`). The caller has created the lock file's folder.
 */
export function acquireLock(file: string, subject: string, command: string): Lock {
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, started: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, WRITE_FLAGS, 0o644);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ELOOP") throw lockIoError(file, subject, err);
      const held = readOwner(file, subject);
      if (held.kind === "stale") {
        breakStale(file, held.text);
        continue;
      }
      throw inUse(file, subject, held.owner);
    }
    try {
      writeSync(fd, JSON.stringify(owner) + "\n");
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      unregister();
      try {
        const now = readOwner(file, subject);
        if (now.kind === "held" && now.owner?.token === owner.token) unlinkSync(file);
      } catch {
        // Releasing must never hide the command's own result or error; a lock file that was
        // replaced meanwhile (by a link, by hand) is not ours to remove.
      }
    };
    const unregister = onExit(release);
    return { file, release };
  }
  throw new MlplatError("MLP_OUT_IN_USE", `${subject} is in use by mlplat (its lock ${file} keeps changing hands).`, {
    hint: "another mlplat run is starting on the same folder; wait for it to finish and run again.",
  });
}

type Held = { kind: "held"; owner?: LockOwner } | { kind: "stale"; text: string };

function readOwner(file: string, subject: string): Held {
  let text: string;
  try {
    if (lstatSync(file).isSymbolicLink()) {
      throw new MlplatError("MLP_OUT_LINK", `${file} is a symbolic link; mlplat's lock file for ${subject} must be a plain file, and mlplat never follows links there.`, {
        hint: `remove the link (rm ${file}) and run again.`,
      });
    }
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof MlplatError) throw err;
    // Gone between our open and this read: the holder released it; take it on the next attempt.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "stale", text: "" };
    throw lockIoError(file, subject, err);
  }
  const owner = parseOwner(text);
  if (!owner) {
    // Empty or cut short: a run died between creating and writing it (ours start `{"pid":`).
    // Anything else is not ours to delete: it stays, and the run is refused.
    const partial = text === "" || text.startsWith('{"pid":');
    const age = Date.now() - safeMtime(file);
    return partial && age > PARTIAL_STALE_MS ? { kind: "stale", text } : { kind: "held" };
  }
  if (owner.host === hostname() && !isAlive(owner.pid)) return { kind: "stale", text };
  return { kind: "held", owner };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === "number" && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === "string" && typeof o.command === "string" && typeof o.token === "string") {
      return o as LockOwner;
    }
  } catch {
    // A half-written or foreign file: judged by its age.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, run by another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function safeMtime(file: string): number {
  try {
    return lstatSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Removes a stale lock, but only while it still holds what we judged stale: two runs that both
 * find the same dead owner take a second, short-lived O_EXCL mutex (`<lock>.break`), so one of
 * them cannot delete the fresh lock the other has just written.
 */
function breakStale(file: string, staleText: string): void {
  const mutex = `${file}.break`;
  let fd: number;
  try {
    fd = openSync(mutex, WRITE_FLAGS, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    // Another run is breaking it right now; a mutex left by a run killed mid-break is removed when old.
    if (Date.now() - safeMtime(mutex) > PARTIAL_STALE_MS) unlinkQuiet(mutex);
    sleepMs(50);
    return;
  }
  closeSync(fd);
  try {
    let now: string | undefined;
    try {
      now = readFileSync(file, "utf8");
    } catch {
      now = undefined;
    }
    if (now === staleText) unlinkQuiet(file);
  } finally {
    unlinkQuiet(mutex);
  }
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function inUse(file: string, subject: string, owner: LockOwner | undefined): MlplatError {
  const who = owner ? `pid ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ""}, ${owner.command}` : `a run that is starting, or ${file} is not mlplat's`;
  return new MlplatError("MLP_OUT_IN_USE", `${subject} is in use by mlplat (${who}).`, {
    hint:
      `wait for that run to finish, or use another --out folder. If no mlplat run is active (it was killed on another machine), ` +
      `remove the lock file ${file} and run again.`,
  });
}

function lockIoError(file: string, subject: string, err: unknown): MlplatError {
  return new MlplatError("MLP_OUT_UNWRITABLE", `could not create the lock file ${file} for ${subject}: ${(err as Error).message}`, {
    hint: "check that the folder exists and is writable, and that the --out name is not too long.",
    cause: err,
  });
}
