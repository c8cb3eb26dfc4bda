import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * `mlplat rollback` through the built CLI (npm run build), on gcp-platform with a canary rollout
 * on its Cloud Run endpoint: the refusals that come before any terraform run.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-rollback-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const blueprint = join(work, "platform.yaml");
writeFileSync(
  blueprint,
  readFileSync("blueprints/gcp-platform.yaml", "utf8").replace(
    "        alarms: { latencyP99Ms: 300, errorRatePercent: 1 }\n",
    "        alarms: { latencyP99Ms: 300, errorRatePercent: 1 }\n        rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 10, rollbackOnAlarms: false }\n",
  ),
);
const common = ["--out", join(work, "out"), "--state-dir", join(work, "state")];

describe("mlplat rollback", () => {
  it("is listed in the help with its arguments", () => {
    const r = mlplat(["rollback", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: mlplat rollback [options] <file> <endpoint>");
  });

  it("rejects an endpoint the blueprint does not have, naming the ones it has (exit 1)", () => {
    const r = mlplat(["rollback", blueprint, "ranker", "--auto-approve", ...common], { cwd: work });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("MLP_ROLLBACK_UNKNOWN_ENDPOINT");
    expect(r.stderr).toContain(`${blueprint} has no endpoint named ranker.`);
    expect(r.stderr).toContain("endpoints: scorer.");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("rejects a rollback when no rollout of the endpoint was recorded (exit 1, nothing applied)", () => {
    const r = mlplat(["rollback", blueprint, "scorer", "--auto-approve", ...common], { cwd: work });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("MLP_ROLLBACK_NO_PREVIOUS");
    expect(r.stderr).toContain(`No rollout of endpoint scorer is recorded in ${join(work, "state")}`);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("asks for --auto-approve without a terminal", () => {
    const r = mlplat(["rollback", blueprint, "scorer", ...common], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MLP_NEEDS_APPROVAL");
  });
});
