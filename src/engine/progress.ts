import type { Progress } from "./ports.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  /** A live spinner line; false for plain lines (CI, not a TTY, `--verbose`). */
  readonly live: boolean;
  readonly now?: () => number;
}

/**
 * One line per step and stack with the elapsed time. Live mode redraws a spinner in place;
 * plain mode prints a line when a step starts (so a 20-minute apply in CI is not silent) and
 * one when it ends.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  return {
    async step<T>(step: string, stack: string, work: () => Promise<T>): Promise<T> {
      const label = `${step} ${stack}`;
      const start = now();
      let timer: NodeJS.Timeout | undefined;
      if (options.live) {
        let i = 0;
        const draw = () => stream.write(`\r\u001b[2K${FRAMES[i++ % FRAMES.length]} ${label} ${formatElapsed(now() - start)}`);
        draw();
        timer = setInterval(draw, 100);
        timer.unref();
      } else {
        stream.write(`… ${label}\n`);
      }
      const end = (mark: string) => {
        if (timer) clearInterval(timer);
        stream.write(`${options.live ? "\r\u001b[2K" : ""}${mark} ${label} (${formatElapsed(now() - start)})\n`);
      };
      try {
        const result = await work();
        end("✓");
        return result;
      } catch (err) {
        end("✗");
        throw err;
      }
    },
  };
}

/** Live only on an interactive terminal, never in CI, never while terraform's output streams. */
export function wantLiveProgress(verbose: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
  return stream.isTTY === true && process.env.CI === undefined && !verbose && process.env.TERM !== "dumb";
}
