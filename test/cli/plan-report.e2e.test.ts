import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/** `mlplat plan --report` on the built CLI: refused paths are refused before synth or terraform run. */
const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-plan-report-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
copyFileSync(join(root, "blueprints/realtime-scoring.yaml"), join(work, "platform.yaml"));

describe("mlplat plan --report", () => {
  it("refuses a report inside the output folder before anything runs (exit 1, MLP_REPORT_PATH)", () => {
    const r = mlplat(["plan", "platform.yaml", "--env", "aws", "--offline", "--report", "cdktf.out/plan.md"], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`MLP_REPORT_PATH`);
    expect(r.stderr).toContain(`--report cdktf.out/plan.md is inside the output folder ${join(work, "cdktf.out")}, which mlplat replaces as a whole on every synth.`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(join(work, "cdktf.out"))).toBe(false);
  });

  it("refuses to write through a link, leaving its target as it was", () => {
    writeFileSync(join(work, "notes.md"), "mine");
    symlinkSync(join(work, "notes.md"), join(work, "plan.md"));
    const r = mlplat(["plan", "platform.yaml", "--env", "aws", "--offline", "--report", "plan.md"], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--report plan.md is a symbolic link; mlplat only replaces a regular file there.");
    expect(readFileSync(join(work, "notes.md"), "utf8")).toBe("mine");
    expect(existsSync(join(work, "cdktf.out"))).toBe(false);
  });

  it("documents --report and the review list in plan --help", () => {
    const r = mlplat(["plan", "--help"]);
    expect(r.stdout).toContain("--report <file.md>");
    expect(r.stdout).toContain("$ mlplat plan platform.yaml --env prod --report plan.md");
  });
});
