import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hasStackTrace, mlplat } from "../helpers/cli.js";
import { blueprintWorkspace, tree } from "../helpers/fs-tree.js";

/**
 * Concurrent runs on the built CLI: the output folder (and each stack's state) is locked for the
 * whole command; a second run exits 1 at once naming the holder, and deletes nothing. A lock
 * whose process is gone is taken over. Signals during synth leave no temporary folder.
 */

/** A stand-in terraform that waits in `init` until `<ws>/go` exists, then fails (so the run ends with exit 3). */
function slowTerraform(ws: string): string {
  const bin = join(ws, "fake-terraform");
  writeFileSync(bin, `#!/bin/bash\ntouch "${ws}/in-terraform"\nfor i in $(seq 1 300); do [ -e "${ws}/go" ] && break; sleep 0.1; done\necho "fake terraform stops here" >&2\nexit 1\n`);
  chmodSync(bin, 0o755);
  return bin;
}

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: "true", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

function lockFile(path: string, pid: number, command: string): void {
  writeFileSync(path, JSON.stringify({ pid, host: hostname(), command, started: new Date().toISOString(), token: "0123456789abcdef" }) + "\n");
}

const leftovers = (ws: string) => readdirSync(ws).filter((n) => /\.(tmp|old)-|\.lock$/.test(n));

describe("concurrent runs", () => {
  it("a second synth or plan on an output in use by a plan exits 1 naming the pid, and deletes nothing", async () => {
    const ws = blueprintWorkspace();
    const terraform = slowTerraform(ws);
    const first = start(["plan", "platform.yaml", "--offline"], ws, { MLPLAT_TERRAFORM: terraform });
    await until("the first plan to reach terraform", () => existsSync(join(ws, "in-terraform")));
    // terraform.log is the first run's, still being written: compared by name only.
    const snapshot = () => Object.fromEntries(Object.entries(tree(join(ws, "cdktf.out"))).map(([k, v]) => [k, k.endsWith("terraform.log") ? "<log>" : v]));
    const before = snapshot();
    expect(Object.keys(before)).toContain("stacks/fraud-default/cdk.tf.json");

    for (const args of [
      ["synth", "platform.yaml", "--env", "dev", "--offline"],
      ["plan", "platform.yaml", "--env", "dev", "--offline"],
    ]) {
      const second = mlplat(args, { cwd: ws, env: { MLPLAT_TERRAFORM: terraform } });
      expect(second.code).toBe(1);
      expect(hasStackTrace(second.stderr)).toBe(false);
      expect(second.stderr.replace(ws, "<ws>")).toContain(
        `error [MLP_OUT_IN_USE] <ws>/cdktf.out is in use by mlplat (pid ${first.child.pid}, plan).\n` +
          `hint: wait for that run to finish, or use another --out folder. If no mlplat run is active (it was killed on another machine), remove the lock file ${ws}/cdktf.out.lock and run again.\n`,
      );
      // The first run's stack folder is still there, as it was; nothing of the second run's env.
      expect(snapshot()).toEqual(before);
    }

    writeFileSync(join(ws, "go"), "");
    const r = await first.done;
    expect(r.code).toBe(3);
    expect(leftovers(ws)).toEqual([]);
    // Released: the next run takes the output.
    expect(mlplat(["synth", "platform.yaml", "--env", "dev", "--offline"], { cwd: ws }).code).toBe(0);
  });

  it("refuses while a live process holds the output's lock, and takes over a lock whose process is gone", () => {
    const ws = blueprintWorkspace();
    lockFile(join(ws, "cdktf.out.lock"), process.pid, "deploy");
    const r = mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cdktf.out is in use by mlplat (pid ${process.pid}, deploy).`);
    expect(existsSync(join(ws, "cdktf.out"))).toBe(false);

    lockFile(join(ws, "cdktf.out.lock"), deadPid(), "deploy");
    const again = mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws });
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(ws, "cdktf.out", "stacks", "fraud-default", "cdk.tf.json"))).toBe(true);
    expect(leftovers(ws)).toEqual([]);
  });

  it("never deletes a file at the lock's name that is not an mlplat lock, however old", () => {
    const ws = blueprintWorkspace();
    writeFileSync(join(ws, "cdktf.out.lock"), "my notes about the lock screen\n");
    utimesSync(join(ws, "cdktf.out.lock"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const r = mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[MLP_OUT_IN_USE] ${ws}/cdktf.out is in use by mlplat (a run that is starting, or ${ws}/cdktf.out.lock is not mlplat's).`);
    expect(readFileSync(join(ws, "cdktf.out.lock"), "utf8")).toBe("my notes about the lock screen\n");
  });

  it("locks each stack in the state folder, so two outputs cannot plan one stack's state at once", () => {
    const ws = blueprintWorkspace();
    mkdirSync(join(ws, ".mlplat", "state"), { recursive: true });
    lockFile(join(ws, ".mlplat", "state", "fraud-default.lock"), process.pid, "deploy");
    const r = mlplat(["plan", "platform.yaml", "--offline", "--out", "other"], { cwd: ws, env: { MLPLAT_TERRAFORM: "/bin/false" } });
    expect(r.code).toBe(1);
    expect(r.stderr.replaceAll(ws, "<ws>")).toContain(
      `error [MLP_OUT_IN_USE] stack fraud-default (state folder <ws>/.mlplat/state) is in use by mlplat (pid ${process.pid}, deploy).`,
    );
    // Refused before synth replaced anything, and the output's own lock was released.
    expect(existsSync(join(ws, "other"))).toBe(false);
    expect(leftovers(ws)).toEqual([]);
  });

  it("removes temporary folders left by a killed run (its pid gone) before the next synth", () => {
    const ws = blueprintWorkspace();
    const pid = deadPid();
    mkdirSync(join(ws, `cdktf.out.tmp-${pid}-0badcafe`, "stacks"), { recursive: true });
    mkdirSync(join(ws, `cdktf.out.old-${pid}-0badcafe`));
    // Not ours by shape: kept.
    mkdirSync(join(ws, "cdktf.out.tmp-mine"));
    expect(mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws }).code).toBe(0);
    expect(readdirSync(ws).sort()).toEqual(["cdktf.out", "cdktf.out.tmp-mine", "platform.yaml"]);
  });
});

describe("signals during synth", () => {
  it.each(["SIGTERM"] as const)("%s while the next output is being written leaves no temporary folder and a complete output", async (signal) => {
    const ws = blueprintWorkspace();
    expect(mlplat(["synth", "platform.yaml", "--offline"], { cwd: ws }).code).toBe(0);
    const run = start(["synth", "platform.yaml", "--offline", "--env", "dev"], ws);
    // The signal goes while the next output is written; on a loaded machine the poll may miss
    // that window, and then it goes a little later (the assertions hold either way).
    await until("synth to start", () => existsSync(join(ws, "cdktf.out.lock")));
    await until("the temporary output folder", () => readdirSync(ws).some((n) => n.startsWith("cdktf.out.tmp-")), 8_000).catch(() => undefined);
    run.child.kill(signal);
    const r = await run.done;
    expect(hasStackTrace(r.stderr)).toBe(false);
    // Node runs the handler between steps: synth's file work is synchronous, so a signal that
    // lands while the next output is written is handled once it is swapped in (exit 128+n), or
    // not at all when the process ends first (exit 0). Never half-way: without the handler,
    // Node's default action killed the process there and left cdktf.out.tmp-* behind.
    expect([0, signal === "SIGTERM" ? 143 : 130]).toContain(r.code);
    expect(leftovers(ws)).toEqual([]);
    const marker = JSON.parse(readFileSync(join(ws, "cdktf.out", "mlplat.json"), "utf8")) as { stacks: string[] };
    expect(existsSync(join(ws, "cdktf.out", "stacks", marker.stacks[0], "cdk.tf.json"))).toBe(true);
  });

  it("SIGINT (Ctrl-C) as synth starts exits 130, or 0 when synth finished first, and leaves the lock released", async () => {
    const ws = blueprintWorkspace();
    const run = start(["synth", "platform.yaml", "--offline"], ws);
    await until("the lock", () => existsSync(join(ws, "cdktf.out.lock")));
    run.child.kill("SIGINT");
    const r = await run.done;
    expect([0, 130]).toContain(r.code);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(leftovers(ws)).toEqual([]);
  });
});
