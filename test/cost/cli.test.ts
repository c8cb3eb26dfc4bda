import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { costCli } from "./cost-cli.js";
import { MlplatError } from "../../src/util/errors.js";
import { vmPrice } from "../helpers/shared-prices.js";

const dir = mkdtempSync(join(tmpdir(), "mlplat-cost-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A spot L4 pool of max 4 and a budget the max exceeds. */
const BLUEPRINT = `apiVersion: mlplat/v1
kind: Platform
metadata:
  name: fraud
  owner: risk-ml@example.com
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  cluster:
    version: "1.34"
    nodePools:
      - name: infer
        gpu: { type: L4, count: 1 }
        spot: true
        max: 4
  budget:
    monthlyUsd: 500
    emails: [finance@example.com]
environments:
  rich:
    spec:
      budget: { monthlyUsd: 100000 }
`;
const file = join(dir, "platform.yaml");
writeFileSync(file, BLUEPRINT);

const cli = costCli("2026-11-25");
const run = cli.run;

describe("mlplat cost", () => {
  it("prints JSON only on stdout with --json: a spot L4 pool of max 4 costs 0 at min and 4 × spot × 730 at max", async () => {
    await run(file, "--json");
    const report = JSON.parse(cli.out);
    const infer = report.items.find((i: { name: string }) => i.name === "infer");
    expect(infer).toMatchObject({ kind: "node-pool", instanceType: "g6.xlarge", spot: true, count: 4, minMonthlyUsd: 0 });
    // The spot price from ../shared/data/gpus.csv, not the report's own hourlyUsd.
    expect(infer.hourlyUsd).toBe(vmPrice("aws", "g6.xlarge").spot);
    expect(infer.maxMonthlyUsd).toBeCloseTo(4 * vmPrice("aws", "g6.xlarge").spot! * 730, 1);
    expect(report).toMatchObject({ currency: "USD", budgetMonthlyUsd: 500, overBudget: true });
  });

  it("prints a table and totals, and warns when the max exceeds the budget", async () => {
    await run(file);
    expect(cli.out).toMatch(/^fraud-default on aws us-east-1: monthly estimate/);
    expect(cli.out).toMatch(/node-pool\s+infer\s+g6\.xlarge \(spot\)\s+4\s+0\.349\s+0\.00\s+1,019\.08/);
    expect(cli.out).toMatch(/^total\s+[\d,.]+\s+[\d,.]+$/m);
    expect(cli.out).toContain("OVER BUDGET at max");
    expect(cli.err).toMatch(/warning the max estimate [\d,.]+ USD a month exceeds budget\.monthlyUsd 500\.00 USD/);
  });

  it("throws an over-budget error (exit 1) with --fail-over-budget", async () => {
    const e = await run(file, "--fail-over-budget", "--json").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlplatError);
    expect((e as MlplatError).code).toBe("MLP_OVER_BUDGET");
    expect((e as MlplatError).exitCode).toBe(1);
  });

  it("applies --env before estimating", async () => {
    await run(file, "--env", "rich", "--json", "--fail-over-budget");
    expect(JSON.parse(cli.out)).toMatchObject({ budgetMonthlyUsd: 100000, overBudget: false });
  });

  it("fails on an invalid blueprint with the loader's error", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, BLUEPRINT.replace("type: L4", "type: L5"));
    const e = await run(bad, "--json").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlplatError);
    expect(cli.out).toBe("");
  });
});
