import { describe, expect, it } from "vitest";
import { hintFor } from "../../src/terraform/failure.js";
import { remoteRunUrl, tokenVariable } from "../../src/terraform/remote-run.js";

/** The failures of HCP Terraform runs, by the messages of terraform's cloud backend (internal/cloud/*.go). */
describe("remote runs: hints and the run URL", () => {
  const hint = (s: string) => hintFor(s, "/out/stacks/fraud-prod");

  it("names the fix for each failure a CLI-driven run has", () => {
    expect(hint("Error: Saved plan is already applied\n\nThe given plan file was already successfully applied")).toMatchObject({ kind: "stale-plan", hint: expect.stringContaining("(saved plan is already applied)") });
    expect(hint("Error: Saved plans not allowed for workspaces with a VCS connection")).toMatchObject({ kind: "remote", hint: expect.stringContaining("spec.state.workspace") });
    expect(hint("Error: Required token could not be found\n\nRun the following command to generate a token for app.terraform.io:\n    terraform login")).toMatchObject({
      kind: "credentials",
      hint: expect.stringContaining("TF_TOKEN_app_terraform_io"),
    });
    expect(hint("Error: Insufficient rights to generate a plan")).toMatchObject({ kind: "remote", hint: expect.stringContaining("admin access") });
    expect(hint("couldn't read unredacted JSON plan data for cloud run run-abc; make sure you've run `terraform login` and that you have admin permissions on the workspace")).toMatchObject({ kind: "remote" });
    expect(hint('Error: Currently selected workspace "fraud-prod" does not exist')).toMatchObject({ kind: "remote", hint: expect.stringContaining("terraform workspace new <stack>") });
    expect(hint('Error: organization "acme" at host app.terraform.io not found.')).toMatchObject({ kind: "remote", hint: expect.stringContaining("spec.state.organization") });
  });

  it("terraform before 1.6 cannot save a cloud run's plan: says which version is needed", () => {
    // terraform 1.5's cloud backend (internal/cloud/backend_plan.go): saved cloud plans came in 1.6.
    const h = hint('Error: Saving a generated plan is currently not supported\n\nTerraform Cloud does not support saving the generated execution plan locally at this time.');
    expect(h).toMatchObject({ kind: "remote", hint: expect.stringContaining("terraform 1.6 or later") });
  });

  it("leaves other clouds' authorization errors to their own hints", () => {
    expect(hint("Error: creating EC2 Instance: UnauthorizedOperation: You are not authorized to perform this operation.")?.kind).not.toBe("credentials");
  });

  it("reads the last run URL terraform printed, with or without color codes; none in a local-execution workspace", () => {
    const colored = "\u001b[0m\u001b[1m\u001b[33mTo view this run in a browser, visit:\u001b[0m\n\u001b[33mhttps://tfe.acme.example/app/acme-ml/fraud-prod/runs/run-abcDEF123\u001b[0m\n";
    expect(remoteRunUrl(colored)).toBe("https://tfe.acme.example/app/acme-ml/fraud-prod/runs/run-abcDEF123");
    expect(remoteRunUrl("Plan: 1 to add, 0 to change, 0 to destroy.\n")).toBeUndefined();
  });

  it("the token variable terraform reads for a host: dots as _, dashes as __", () => {
    expect(tokenVariable("app.terraform.io")).toBe("TF_TOKEN_app_terraform_io");
    expect(tokenVariable("tfe.acme-corp.example")).toBe("TF_TOKEN_tfe_acme__corp_example");
  });
});
