import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden, goldenName, goldenPath, ROOT, UPDATING, type GoldenCase } from "./golden.js";

/** A test run compares goldens and never writes one (only `npm run goldens` does). */
describe("expectGolden", () => {
  const missing: GoldenCase = { blueprint: "blueprints/no-such-blueprint.yaml", env: "dev", cloud: "aws" };

  it("fails on a missing golden naming the command that creates it, and writes nothing", () => {
    expect(UPDATING).toBe(false);
    expect(goldenName(missing)).toBe("no-such-blueprint-dev");
    expect(goldenPath(missing)).toBe("test/aws/golden/no-such-blueprint-dev.cdk.tf.json");
    expect(() => expectGolden(missing, "{}")).toThrow(
      "missing golden file test/aws/golden/no-such-blueprint-dev.cdk.tf.json for blueprints/no-such-blueprint.yaml --env dev: run `npm run goldens` to create it",
    );
    expect(existsSync(join(ROOT, goldenPath(missing)))).toBe(false);
  });

  it("fails on a golden that differs, naming the file", () => {
    const g: GoldenCase = { blueprint: "test/fixtures/spec-example.yaml", env: "dev", cloud: "aws" };
    expect(() => expectGolden(g, JSON.stringify({ resource: {} }))).toThrow("test/aws/golden/spec-example-dev.cdk.tf.json differs");
  });
});
