import { Command } from "commander";
import { afterEach, beforeEach, vi } from "vitest";
import { register } from "../../src/cli/commands/cost.js";

/**
 * `mlplat cost` run in-process through its commander registration, with stdout and stderr
 * captured per test and MLPLAT_TODAY pinned; `out` and `err` read what the last run printed.
 */
export function costCli(today: string): { run: (...args: string[]) => Promise<void>; readonly out: string; readonly err: string } {
  let out = "";
  let err = "";
  beforeEach(() => {
    out = "";
    err = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
    process.env.MLPLAT_TODAY = today;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.MLPLAT_TODAY;
  });
  return {
    run: async (...args: string[]) => {
      const program = new Command("mlplat").exitOverride();
      register(program);
      await program.parseAsync(["node", "mlplat", "cost", ...args]);
    },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
