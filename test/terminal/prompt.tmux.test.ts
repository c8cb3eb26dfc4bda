import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";

/**
 * The deploy prompt in a real terminal: tmux runs the built CLI in a pseudo-terminal, send-keys
 * types the answer, capture-pane reads the screen. terraform is a FAKE (MLPLAT_TERRAFORM) that
 * plans one new bucket and records whether apply was called; no cloud is involved.
 */
const TMUX = spawnSync("tmux", ["-V"]).status === 0;
if (!TMUX) process.stderr.write("\n!!! TERMINAL TIER SKIPPED: tmux not found; the deploy prompt was NOT tested in a terminal.\n\n");
const work = mkdtempSync(join(tmpdir(), "mlplat-tmux-"));
const socket = join(work, "tmux.sock");
afterAll(() => {
  spawnSync("tmux", ["-S", socket, "kill-server"]);
  rmSync(work, { recursive: true, force: true });
});

const FAKE_TERRAFORM = `#!/bin/sh
cmd="$1"
echo "$@" >> "${work}/terraform.calls"
case "$cmd" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  plan)
    for a in "$@"; do case "$a" in -out=*) printf 'PLAN' > "\${a#-out=}" ;; esac; done
    echo '{"type":"version","terraform":"1.11.4","ui":"1.2"}'
    echo '{"type":"planned_change","change":{"resource":{"addr":"aws_s3_bucket.storage_logs","module":"","resource":"aws_s3_bucket.storage_logs","implied_provider":"aws","resource_type":"aws_s3_bucket","resource_name":"storage_logs","resource_key":null},"action":"create"}}'
    echo '{"type":"change_summary","changes":{"add":1,"change":0,"import":0,"remove":0,"operation":"plan"}}' ;;
  apply) echo APPLIED >> "${work}/applied" ;;
  show) echo '{"format_version":"1.0","terraform_version":"1.11.4"}' ;;
  output) echo '{}' ;;
esac
exit 0
`;

function screen(session: string): string {
  return spawnSync("tmux", ["-S", socket, "capture-pane", "-p", "-t", session], { encoding: "utf8" }).stdout;
}

async function until(session: string, text: RegExp, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(session);
    if (text.test(s) || Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!TMUX)("deploy's confirmation in a real terminal (tmux, FAKE terraform)", () => {
  it('"no" cancels: nothing applied, a plain message, exit 0', async () => {
    const tf = join(work, "terraform");
    writeFileSync(tf, FAKE_TERRAFORM);
    chmodSync(tf, 0o755);
    writeFileSync(
      join(work, "platform.yaml"),
      readFileSync("blueprints/aws-sagemaker-scoring.yaml", "utf8").replace(/^kind: Platform$/m, "kind: Platform"),
    );
    const cmd = `cd ${work} && MLPLAT_TERRAFORM=${tf} NO_COLOR=1 ${process.execPath} ${BIN} deploy platform.yaml --skip-kubernetes --ignore-quota; echo "EXIT=$?"`;
    const start = spawnSync("tmux", ["-S", socket, "new-session", "-d", "-s", "no", "-x", "160", "-y", "50", "env", "-u", "CI", "sh", "-c", `${cmd}; sleep 30`]);
    expect(start.status).toBe(0);
    const prompt = await until("no", /Only "yes" applies/);
    expect(prompt).toContain('Only "yes" applies');
    spawnSync("tmux", ["-S", socket, "send-keys", "-t", "no", "no", "Enter"]);
    const after = await until("no", /EXIT=\d+/);
    expect(after).toContain("Deploy cancelled: nothing was applied.");
    expect(after).toContain("EXIT=0");
    expect(after).not.toMatch(/error \[MLP_DEPLOY_DECLINED\]/);
    expect(existsSync(join(work, "applied"))).toBe(false);
    // The spinner's line is cleared before the synth warnings print: each starts its own line.
    expect(after).toMatch(/^platform\.yaml:\d+:\d+ warning MLP_/m);
    expect(after).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏][^\n]*warning MLP_/);
  });
});
