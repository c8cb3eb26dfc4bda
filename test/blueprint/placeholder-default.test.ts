import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { placeholderKind } from "../../src/blueprint/interpolate.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

/** A documentation placeholder still in use as an `${env:X:-default}` default is a warning at validate (issue 15, item 6). */
const work = mkdtempSync(join(tmpdir(), "mlplat-placeholder-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const file = join(work, "platform.yaml");
writeFileSync(file, readFileSync("blueprints/aws-sagemaker-scoring.yaml", "utf8"));
const line = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("accountId")) + 1;
const today = "2026-11-25";
const placeholders = (vars: NodeJS.ProcessEnv, opts: { strict?: boolean; f?: string } = {}) =>
  loadBlueprint(opts.f ?? file, { vars, today, strict: opts.strict }).diagnostics.filter((d) => d.code === "MLP_PLACEHOLDER_DEFAULT");

describe("placeholder defaults", () => {
  it("warns at the field when the variable is unset and the default is AWS's example account id, with the fix", () => {
    const [d, ...rest] = placeholders({});
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: "warning",
      path: ["spec", "aws", "accountId"],
      line,
      message: "AWS_ACCOUNT_ID is not set, so this value is its default, an AWS documentation example account id (a placeholder); an online plan or deploy would use it.",
      hint: "export AWS_ACCOUNT_ID=<the real value> before plan or deploy (offline commands do not need it), or write the real value as the default.",
    });
  });

  it("says nothing once the variable is set, or for a default that is a real value", () => {
    expect(placeholders({ AWS_ACCOUNT_ID: "210987654321" })).toEqual([]);
    const real = join(work, "real.yaml");
    writeFileSync(real, readFileSync(file, "utf8").replace("123456789012", "210987654321"));
    expect(placeholders({}, { f: real })).toEqual([]);
  });

  it("says nothing about another cloud's settings, which this environment does not use", () => {
    const multi = join(work, "multi.yaml");
    writeFileSync(multi, readFileSync("blueprints/batch-training.yaml", "utf8"));
    const cloudOf = (env?: string) => loadBlueprint(multi, { vars: {}, today, env }).model?.cloud;
    const paths = (env?: string) => loadBlueprint(multi, { vars: {}, today, env }).diagnostics.filter((d) => d.code === "MLP_PLACEHOLDER_DEFAULT").map((d) => d.path.join("."));
    expect(cloudOf()).toBe("aws");
    expect(paths()).toEqual(["spec.aws.accountId"]);
    expect(cloudOf("gcp")).toBe("gcp");
    expect(paths("gcp")).toEqual(["spec.gcp.billingAccount"]);
  });

  it("stays a warning under --strict: the blueprint is right once the job sets the variable", () => {
    expect(placeholders({}, { strict: true }).map((d) => d.severity)).toEqual(["warning"]);
  });

  it("knows the clouds' documentation placeholders and nothing else", () => {
    for (const v of ["123456789012", "111122223333", "000000000000", "00000000-0000-0000-0000-000000000000", "000000-000000-000000", "my-project", "your-project-id", "PROJECT_ID"]) {
      expect(placeholderKind(v), v).toBeDefined();
    }
    for (const v of ["210987654321", "batch-training-demo", "3f2b1c4d-0000-4000-8000-1234567890ab", "eu-west-1", "0", "ml-platform@example.com"]) {
      expect(placeholderKind(v), v).toBeUndefined();
    }
  });
});
