import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { quotaPreflight } from "../../src/engine/quota-phase.js";
import type { EngineDeps } from "../../src/engine/ports.js";
import type { CommandRunner } from "../../src/quota/preflight.js";

/** The preflight as deploy and plan run it, with the cloud CLIs replayed from test/quota/recorded. */
function harness(answers: Record<string, string> | "fail") {
  const printed: string[] = [];
  const calls: { dir: string; line: string }[] = [];
  const cloudCli = (dir: string): CommandRunner => async (program, args) => {
    const line = [program, ...args].join(" ");
    calls.push({ dir, line });
    if (answers === "fail") throw new Error("Unable to locate credentials");
    const hit = Object.entries(answers).find(([prefix]) => line.startsWith(prefix));
    if (!hit) throw new Error(`no answer for ${line}`);
    return hit[1];
  };
  const deps = {
    ui: { print: (t: string) => printed.push(t) },
    progress: { step: <T>(_s: string, _n: string, work: () => Promise<T>) => work() },
    cloudCli,
  } as unknown as EngineDeps;
  return { deps, printed, calls };
}
const recorded = (f: string) => readFileSync(`test/quota/recorded/${f}`, "utf8");
const AWS = {
  "aws service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A": recorded("aws-get-service-quota-L-1216C47A.json"),
  "aws service-quotas get-service-quota --service-code ec2 --quota-code L-DB2E81BA": recorded("aws-get-service-quota-L-DB2E81BA.json"),
  "aws service-quotas list-service-quotas --service-code sagemaker": recorded("aws-list-service-quotas-sagemaker.json"),
};
const model = () => loadBlueprintOrThrow("blueprints/llm-serving.yaml", { env: "aws", today: "2026-11-25" }).model;

describe("deploy's quota preflight (recorded cloud CLI output)", () => {
  it("refuses a deploy whose SageMaker GPU quota is below the endpoint's min, before anything is planned, listing every quota", async () => {
    const h = harness(AWS);
    const err = await quotaPreflight(h.deps, model(), { offline: false, refuse: true, stackDir: "/out/stacks/x" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "MLP_QUOTA_BELOW_MIN", exitCode: 1 });
    expect(h.calls.every((c) => c.dir === "/out/stacks/x")).toBe(true);
    expect(h.printed[0]!.split("\n")).toEqual([
      "Quotas:",
      "  ! L-1216C47A in us-east-1: limit 5 is below the 6 vCPUs needed at max: autoscaling will stall at the limit.",
      "  ! L-DB2E81BA in us-east-1: limit 8 is below the 16 vCPUs needed at max: autoscaling will stall at the limit.",
      expect.stringMatching(/^ {2}✗ ml\.g4dn\.xlarge for endpoint usage in us-east-1: limit 0, but embed needs 1 instance at min/),
    ]);
  });

  it("--ignore-quota goes on, saying what will not come; plan only reports", async () => {
    const ignored = harness(AWS);
    const checks = await quotaPreflight(ignored.deps, model(), { offline: false, refuse: true, ignoreQuota: true, stackDir: "/s" });
    expect(checks.map((c) => c.verdict)).toEqual(["below-max", "below-max", "below-min"]);
    expect(ignored.printed[1]).toContain("--ignore-quota: deploying below the quota");
    const plan = harness(AWS);
    await expect(quotaPreflight(plan.deps, model(), { offline: false, refuse: false, stackDir: "/s" })).resolves.toHaveLength(3);
  });

  it("a CLI without credentials leaves the quotas unknown: warnings, no refusal", async () => {
    const h = harness("fail");
    const checks = await quotaPreflight(h.deps, model(), { offline: false, refuse: true, stackDir: "/s" });
    expect(checks.every((c) => c.verdict === "unknown")).toBe(true);
    expect(h.printed[0]).toContain("the limit could not be read");
  });

  it("--offline makes no call and says so", async () => {
    const h = harness(AWS);
    expect(await quotaPreflight(h.deps, model(), { offline: true, refuse: true, stackDir: "/s" })).toEqual([]);
    expect(h.calls).toEqual([]);
    expect(h.printed).toEqual(["Quota preflight skipped (--offline): `mlplat quota` lists the 3 quotas this platform needs."]);
  });
});
