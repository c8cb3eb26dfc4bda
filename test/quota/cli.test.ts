import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

describe("mlplat quota (built CLI)", () => {
  it("prints every quota with min, max, peak, what needs it, and how to request more", () => {
    const r = mlplat(["quota", "blueprints/llm-serving.yaml", "--env", "aws"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("llm-serving-aws on aws us-east-1: quotas needed");
    expect(r.stdout).toMatch(/us-east-1\s+L-DB2E81BA Running On-Demand G and VT instances\s+vCPU\s+4\s+16\s+16\s+llm/);
    expect(r.stdout).toMatch(/ml\.g4dn\.xlarge for endpoint usage \(0 on new accounts\)\s+instance\s+1\s+2\s+4\s+embed/);
    expect(r.stdout).toContain(
      "cli:     aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-DB2E81BA --desired-value 16 --region us-east-1",
    );
  });

  it("--json has the documented shape, one item per quota and region", () => {
    const r = mlplat(["quota", "blueprints/batch-training.yaml", "-e", "gcp", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { items: Record<string, unknown>[] };
    expect(json.items[0]).toMatchObject({
      cloud: "gcp",
      region: "global",
      quota: { code: "GPUS_ALL_REGIONS", name: "GPUs (all regions)" },
      unit: "GPU",
      spot: true,
      requiredAtMin: 0,
      requiredAtMax: 32,
      from: ["a100", "h100"],
    });
    const keys = json.items.map((i) => `${i.region as string}|${(i.quota as { code: string }).code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("an invalid blueprint exits 1 without a stack trace", () => {
    const r = mlplat(["quota", "test/fixtures/invalid/bad-platform-name.yaml"]);
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
