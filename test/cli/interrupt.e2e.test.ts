import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, hasStackTrace } from "../helpers/cli.js";

/**
 * Ctrl-C during plan on the built CLI (issue 15, item 10): SIGINT sent to mlplat, as a terminal
 * sends it to the foreground process group (terraform runs in its own group and gets it only
 * from mlplat). terraform is a FAKE whose plan traps INT, takes a second to "save state", then exits.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-interrupt-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
copyFileSync("blueprints/aws-sagemaker-scoring.yaml", join(work, "platform.yaml"));
const tf = join(work, "terraform");
writeFileSync(
  tf,
  `#!/bin/sh
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  plan)
    trap 'echo INT >> "${work}/signals"; sleep 1; echo saved > "${work}/saved"; exit 1' INT
    echo started > "${work}/started"
    i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done ;;
esac
exit 0
`,
);
chmodSync(tf, 0o755);

describe("Ctrl-C during plan", () => {
  it("acknowledges at once, lets terraform stop cleanly, and exits 130", async () => {
    const child = spawn(process.execPath, [BIN, "plan", "platform.yaml", "--offline"], {
      cwd: work,
      env: { ...process.env, CI: "true", NO_COLOR: "1", MLPLAT_TERRAFORM: tf },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    for (let i = 0; i < 600 && !existsSync(join(work, "started")); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(work, "started")), stderr).toBe(true);
    const sent = Date.now();
    child.kill("SIGINT");
    for (let i = 0; i < 40 && !stderr.includes("interrupting"); i++) await new Promise((r) => setTimeout(r, 25));
    // Seen well before terraform's one second of cleanup is over.
    expect(Date.now() - sent).toBeLessThan(900);
    expect(existsSync(join(work, "saved"))).toBe(false);
    expect(stderr).toContain("interrupting… (waiting for terraform to stop safely)");
    expect(await exited).toBe(130);
    expect(readFileSync(join(work, "signals"), "utf8")).toBe("INT\n");
    expect(readFileSync(join(work, "saved"), "utf8")).toBe("saved\n");
    expect(stderr).toContain("error [MLP_INTERRUPTED] terraform plan was interrupted (SIGINT) in stack scoring-default; terraform saved its state and released its lock.");
    expect(hasStackTrace(stderr)).toBe(false);
  }, 60_000);
});
