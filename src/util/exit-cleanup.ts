/**
 * Work that must run however the process ends: temporary folders removed, locks released.
 * Cleanups are synchronous (an `exit` listener cannot wait) and run once, newest first.
 *
 * On SIGINT, SIGTERM or SIGHUP: when nothing else listens (no terraform child that the process
 * runner must stop gracefully, src/terraform/process-runner.ts), the cleanups run and the process
 * exits as a shell expects (128 + the signal number). While terraform runs, the runner forwards
 * the signal and the command ends through its error path, whose `process.exit` runs the cleanups.
 */
type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let installed = false;

const SIGNALS: readonly [NodeJS.Signals, number][] = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
];

/** Registers `fn` to run at exit; returns a function that unregisters it (call it once the work is done). */
export function onExit(fn: Cleanup): () => void {
  install();
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

/** Runs every registered cleanup now (newest first); a failing one does not stop the others. */
export function runCleanups(): void {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // Best effort: the process is ending; one cleanup must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runCleanups);
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      runCleanups();
      process.exit(code);
    });
  }
}
