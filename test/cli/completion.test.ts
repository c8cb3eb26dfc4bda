import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, mlplat } from "../helpers/cli.js";

/**
 * Completion scripts run in the real shells: bash sources the script and calls its function with
 * COMP_WORDS set as readline would; `mlplat` on PATH is the built CLI.
 */
const bin = mkdtempSync(join(tmpdir(), "mlplat-complete-"));
writeFileSync(join(bin, "mlplat"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
chmodSync(join(bin, "mlplat"), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function bashComplete(words: string[]): string[] {
  const script = mlplat(["completion", "bash"]).stdout;
  const line = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _mlplat; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", line], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return r.stdout.split("\n").filter(Boolean);
}

describe("mlplat completion", () => {
  it("bash: commands, a command's options, the blueprint's environments and the template names", () => {
    expect(bashComplete(["mlplat", "de"])).toEqual(["deploy", "destroy"]);
    expect(bashComplete(["mlplat", "quota", "--"])).toEqual(["--env", "--json", "--help"]);
    expect(bashComplete(["mlplat", "plan", "blueprints/llm-serving.yaml", "--env", ""])).toEqual(["dev", "prod", "aws", "gcp", "azure"]);
    expect(bashComplete(["mlplat", "init", "x", "--template", "gcp-"])).toEqual(["gcp-gke-t4-l4", "gcp-platform"]);
  });

  it("zsh: a compdef function with each command's options and the dynamic lists (no zsh here to run it)", () => {
    const s = mlplat(["completion", "zsh"]).stdout;
    expect(s.startsWith("#compdef mlplat\n")).toBe(true);
    expect(s).toMatch(/^ {4}quota\) opts=\(--env -e --json --help\) ;;$/m);
    expect(s).toContain('compadd -- ${(f)"$(mlplat __complete templates 2>/dev/null)"}');
  });

  it("fish: one line per long option of each command, and the dynamic lists", () => {
    const s = mlplat(["completion", "fish"]).stdout;
    expect(s).toContain('complete -c mlplat -n "__fish_seen_subcommand_from deploy" -l auto-approve');
    expect(s).toContain('complete -c mlplat -l env -s e -x -a "(mlplat __complete envs (__mlplat_blueprint) 2>/dev/null)"');
  });

  it("refuses an unknown shell with exit 1", () => {
    const r = mlplat(["completion", "tcsh"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [MLP_UNKNOWN_SHELL] no completion for the shell "tcsh".');
  });
});

describe("mlplat __complete (what the scripts call)", () => {
  it("reads the blueprint like validate does: a device or FIFO answers nothing, at once", () => {
    const started = Date.now();
    const r = mlplat(["__complete", "envs", "/dev/zero"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
