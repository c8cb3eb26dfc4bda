import { describe, expect, it } from "vitest";
import { parseShownPlan } from "../../src/terraform/shown-plan.js";
import type { MlplatError } from "../../src/util/errors.js";

/**
 * parseShownPlan on hand-written `terraform show -json` plans (format 1.2, the shape of
 * https://developer.hashicorp.com/terraform/internals/json-format): the actions real plans in
 * test/terraform/shown-plan.test.ts do not produce (a data source read, a create-before-destroy
 * replace, an import) and the shapes mlplat refuses with MLP_TERRAFORM_JSON (exit 3), never a crash.
 */
const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => {
  const [type, name] = address.replace(/^data\./, "").split(".");
  return { address, mode: address.startsWith("data.") ? "data" : "managed", type, name, change: { actions, ...extra } };
};
const plan = (resource_changes: unknown[], format_version = "1.2") => ({ format_version, resource_changes, output_changes: {} });
const refusal = (json: unknown) => {
  try {
    parseShownPlan(json, "the run");
  } catch (e) {
    return e as MlplatError;
  }
  throw new Error("parseShownPlan accepted it");
};

describe("parseShownPlan", () => {
  it("reads a data source read, a create-before-destroy replace and an import; no-ops are left out", () => {
    const shown = parseShownPlan(
      plan([
        change("data.aws_iam_policy_document.trust", ["read"]),
        change("aws_s3_bucket.models", ["create", "delete"]),
        change("aws_s3_bucket.logs", ["no-op"], { importing: { id: "fraud-logs" } }),
        change("aws_s3_bucket.data", ["no-op"]),
      ]),
      "the run",
    );
    expect(shown.resources.map((r) => [r.address, r.action]).sort()).toEqual([
      ["aws_s3_bucket.logs", "import"],
      ["aws_s3_bucket.models", "replace"],
      ["data.aws_iam_policy_document.trust", "read"],
    ]);
  });

  it("refuses what it cannot read with MLP_TERRAFORM_JSON (exit 3): another shape, another major format version, an unknown combination of actions", () => {
    for (const json of [{ resource_changes: "nope" }, plan([], "2.0"), plan([change("aws_s3_bucket.models", ["create", "forget"])])]) {
      const err = refusal(json);
      expect(err.code).toBe("MLP_TERRAFORM_JSON");
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe("terraform's plan JSON from the run has an unexpected shape.");
    }
    expect(refusal(plan([], "2.0")).details).toBe("JSON format version 2.0; mlplat reads version 1.x.");
    expect(refusal(plan([], "11.0")).code).toBe("MLP_TERRAFORM_JSON");
  });
});
