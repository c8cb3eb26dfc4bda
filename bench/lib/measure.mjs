/**
 * Timing and peak memory of child processes. Wall time is measured around the spawn; peak
 * memory is the maximum resident set size reported by GNU time (`/usr/bin/time -v`), which
 * covers the process and its largest waited-for child. Without GNU time, every Node process in
 * the tree reports its own `process.resourceUsage().maxRSS` through a preloaded hook
 * (rss-hook.mjs) and the largest is kept; non-Node processes (terraform) then have no figure.
 * CPU time (user + system, the process and its waited-for children) is recorded beside wall
 * time: on a machine shared with other work it moves much less than wall time does.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const GNU_TIME = "/usr/bin/time";

/** Whether GNU time with `-v` works here (busybox `time` has no -v). */
export function detectGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

export class Runner {
  constructor({ tmp, gnuTime }) {
    this.tmp = tmp;
    this.gnuTime = gnuTime;
    this.rssFile = join(tmp, "rss.txt");
    this.hook = new URL("./rss-hook.mjs", import.meta.url);
  }

  /**
   * Runs one step; returns { ms, rssKB, code, stdout, stderr }. Throws when the exit code is not
   * in `okCodes`, with the end of stderr, so a broken command never produces a number.
   */
  step({ cmd, args = [], cwd, env = {}, okCodes = [0], label = cmd }) {
    rmSync(this.rssFile, { force: true });
    const fullEnv = { ...process.env, ...env };
    let file = cmd;
    let argv = args;
    if (this.gnuTime) {
      file = GNU_TIME;
      argv = ["-v", "-o", this.rssFile, cmd, ...args];
    } else {
      fullEnv.NODE_OPTIONS = `${fullEnv.NODE_OPTIONS ?? ""} --import=${pathToFileURL(this.hook.pathname).href}`.trim();
      fullEnv.BENCH_RSS_FILE = this.rssFile;
    }
    const t0 = performance.now();
    const r = spawnSync(file, argv, { cwd, env: fullEnv, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - t0;
    if (r.error) throw new Error(`${label}: ${r.error.message}`);
    if (!okCodes.includes(r.status)) {
      const tail = (r.stderr || r.stdout || "").trim().split("\n").slice(-12).join("\n");
      throw new Error(`${label} exited ${r.status}:\n${tail}`);
    }
    return { ms, ...this.readUsage(), code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** `{ rssKB, cpuMs }`: peak resident set and user + system CPU time of the process tree. */
  readUsage() {
    if (!existsSync(this.rssFile)) return {};
    const text = readFileSync(this.rssFile, "utf8");
    if (this.gnuTime) {
      const num = (re) => Number(text.match(re)?.[1] ?? NaN);
      const rssKB = num(/Maximum resident set size \(kbytes\): (\d+)/);
      const cpuMs = (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000;
      return { rssKB: Number.isNaN(rssKB) ? undefined : rssKB, cpuMs: Number.isNaN(cpuMs) ? undefined : cpuMs };
    }
    const lines = text.split("\n").filter(Boolean).map((l) => l.split(" ").map(Number));
    if (!lines.length) return {};
    return { rssKB: Math.max(...lines.map(([kb]) => kb)), cpuMs: lines.reduce((sum, [, us]) => sum + us / 1000, 0) };
  }
}

/**
 * A variant is something to time: `steps()` returns the commands of one run (timed as a sum,
 * peak memory as the max), `prepare(round)` does untimed set-up (fresh folders).
 */
export function runVariant(runner, variant, round) {
  variant.prepare?.(round);
  let ms = 0;
  let rssKB;
  let cpuMs;
  for (const s of variant.steps(round)) {
    const r = runner.step(s);
    ms += r.ms;
    if (r.rssKB !== undefined) rssKB = Math.max(rssKB ?? 0, r.rssKB);
    if (r.cpuMs !== undefined) cpuMs = (cpuMs ?? 0) + r.cpuMs;
    s.after?.(r);
  }
  return { ms, rssKB, cpuMs };
}

/**
 * Runs the variants interleaved (A B C, A B C, …) so that load from other processes on a
 * shared machine falls on all of them alike, after `warmup` untimed rounds. A variant with
 * `runs` smaller than `rounds` takes part in the first `runs` rounds only.
 */
export function measureInterleaved(runner, variants, { rounds, warmup = 0, log = () => {} }) {
  for (let w = 0; w < warmup; w++) for (const v of variants) if (v.warmup !== false) runVariant(runner, v, -1 - w);
  const samples = new Map(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) {
      if (round >= (v.runs ?? rounds)) continue;
      const s = runVariant(runner, v, round);
      samples.get(v.name).push(s);
      log(`  ${v.name.padEnd(44)} run ${round + 1}: ${fmtMs(s.ms)}${s.cpuMs !== undefined ? ` (CPU ${fmtMs(s.cpuMs)})` : ""}${s.rssKB ? `, ${fmtMB(s.rssKB)}` : ""}`);
    }
  }
  return Object.fromEntries([...samples].map(([name, s]) => [name, summarize(s)]));
}

export function median(values) {
  const v = values.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function summarize(samples) {
  const ms = samples.map((s) => s.ms);
  return {
    runs: samples.length,
    ms: median(ms),
    min: Math.min(...ms),
    max: Math.max(...ms),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    rssKB: median(samples.map((s) => s.rssKB)),
  };
}

export const fmtMs = (ms) => (ms === undefined ? "—" : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
export const fmtMB = (kb) => (kb === undefined ? "—" : `${(kb / 1024).toFixed(0)} MB`);
