import { describe, expect, it } from "vitest";
import { costCli } from "./cost-cli.js";

/** `mlplat cost` shows a "during a rollout" line per endpoint with `rollout`, apart from the totals. */
const cli = costCli("2026-12-07");
const run = cli.run;

describe("mlplat cost during a rollout", () => {
  it("prints one line per rolled-out endpoint after the totals, saying it is not in them", async () => {
    await run("blueprints/safe-rollout.yaml");
    const total = cli.out.search(/^total\s/m);
    const during = cli.out.indexOf("during a rollout (extra capacity beside the serving one; NOT in the monthly totals):");
    expect(total).toBeGreaterThan(0);
    expect(during).toBeGreaterThan(total);
    expect(cli.out).toContain(
      "during a rollout: scorer (SageMaker canary 10% → 100%): +2–6 ml.m5.xlarge instances for 50 min (2 bakes × 10 min + up to 30 min provisioning the new fleet) = 0.46–1.38 USD/h, 0.38–1.15 USD per rollout",
    );
    expect(cli.out).toContain(
      "during a rollout: ranker (SageMaker linear 25% → 50% → 75% → 100%): +2–4 ml.c5.xlarge instances for 50 min (4 bakes × 5 min + up to 30 min provisioning the new fleet) = 0.41–0.82 USD/h, 0.34–0.68 USD per rollout",
    );
    // The totals row is the monthly estimate alone (the README and header figures).
    expect(cli.out).toMatch(/^total\s+732\.19\s+1,701\.63$/m);
  });

  it("puts the same lines under `rollouts` in --json, beside unchanged totals", async () => {
    await run("blueprints/safe-rollout.yaml", "--json");
    const report = JSON.parse(cli.out);
    expect(report.rollouts.map((r: { endpoint: string; perRolloutUsd: unknown }) => [r.endpoint, r.perRolloutUsd])).toEqual([
      ["scorer", { min: 0.38, max: 1.15 }],
      ["ranker", { min: 0.34, max: 0.68 }],
    ]);
    expect([report.totalMinMonthlyUsd, report.totalMaxMonthlyUsd]).toEqual([732.19, 1701.63]);
  });

  it("has no rollout section for a blueprint without rollouts", async () => {
    await run("blueprints/aws-sagemaker-scoring.yaml");
    expect(cli.out).not.toContain("during a rollout");
  });
});
