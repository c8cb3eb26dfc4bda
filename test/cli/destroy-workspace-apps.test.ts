import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * The built CLI's destroy on data-science-team (AWS workspaces) with a FAKE terraform
 * (MLPLAT_TERRAFORM: `show -json` answers a state holding the domain, every call recorded) and a
 * FAKE aws on PATH answering with the CLI v2-shaped files of test/fixtures/aws-cli/: Studio apps
 * left by users stop the destroy before any plan, with exit 1, the list and the fix.
 */
const FIXTURES = resolve("test/fixtures/aws-cli");

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-ws-destroy-"));
  copyFileSync(resolve("blueprints/data-science-team.yaml"), join(dir, "platform.yaml"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const state = JSON.stringify({
    format_version: "1.0",
    terraform_version: "1.11.4",
    values: { root_module: { resources: [{ address: "aws_sagemaker_domain.workspaces", mode: "managed", type: "aws_sagemaker_domain", name: "workspaces", values: {} }] } },
  });
  writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "$@" >> "${dir}/terraform.calls"\nif [ "$1" = "show" ]; then echo '${state}'; fi\nexit 0\n`);
  writeFileSync(
    join(bin, "aws"),
    `#!/bin/sh\necho "$@" >> "${dir}/aws.calls"\ncase "$2" in\n  list-domains) cat "${FIXTURES}/sagemaker-list-domains.json" ;;\n  list-apps) cat "${FIXTURES}/sagemaker-list-apps.json" ;;\n  list-spaces) cat "${FIXTURES}/sagemaker-list-spaces.json" ;;\n  *) exit 9 ;;\nesac\n`,
  );
  chmodSync(join(bin, "terraform"), 0o755);
  chmodSync(join(bin, "aws"), 0o755);
  return { dir, env: { MLPLAT_TERRAFORM: join(bin, "terraform"), PATH: `${bin}:${process.env.PATH}` } };
}

describe("mlplat destroy (built CLI) with SageMaker Studio apps left in the workspaces domain", () => {
  it("exits 1 with MLP_WORKSPACE_APPS, the apps and spaces listed and the fix, before any plan or deletion", () => {
    const { dir, env } = setup();
    const r = mlplat(["destroy", "platform.yaml", "--auto-approve"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error [MLP_WORKSPACE_APPS] Stack ds-team-default: 4 SageMaker Studio apps and spaces created outside Terraform block deleting the workspaces domain; nothing was destroyed.",
    );
    expect(r.stderr).toContain("    app JupyterLab/default in space bob-gpu (InService)");
    expect(r.stderr).toContain("hint: Run mlplat destroy again with --delete-workspace-apps");
    expect(hasStackTrace(r.stderr)).toBe(false);
    const tf = readFileSync(join(dir, "terraform.calls"), "utf8");
    expect(tf).not.toMatch(/^plan|^apply|^destroy/m);
    expect(readFileSync(join(dir, "aws.calls"), "utf8").split("\n").filter(Boolean)).toEqual([
      "sagemaker list-domains --region us-east-1 --output json",
      "sagemaker list-apps --domain-id-equals d-xyzab1c2d3e4 --region us-east-1 --output json",
      "sagemaker list-spaces --domain-id-equals d-xyzab1c2d3e4 --region us-east-1 --output json",
    ]);
    expect(existsSync(join(dir, ".mlplat", "state", "ds-team-default.tfstate"))).toBe(false);
  });

  it("lists --delete-workspace-apps in destroy --help", () => {
    const r = mlplat(["destroy", "--help"]);
    expect(r.stdout).toContain("--delete-workspace-apps");
  });
});
