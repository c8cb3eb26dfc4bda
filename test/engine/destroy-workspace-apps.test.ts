import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDestroy } from "../../src/engine/destroy.js";
import type { PlanOptions } from "../../src/terraform/runner.js";
import type { CommandRunner } from "../../src/quota/preflight.js";
import { harness, planStream, stateJson } from "./fakes.js";

/**
 * destroy with a SageMaker workspaces domain: Studio apps and spaces (created outside Terraform)
 * block its deletion. The aws CLI is a recording fake answering with files in the CLI v2's
 * output shape (test/fixtures/aws-cli/); after deletions it answers "nothing left".
 */
const STACK = "ds-team-default";
const DOMAIN = "aws_sagemaker_domain.workspaces";
const PROFILE = "aws_sagemaker_user_profile.workspaces_bob";
const BUCKET = "aws_s3_bucket.storage_datasets";
const fixture = (f: string) => readFileSync(join("test/fixtures/aws-cli", f), "utf8");

const CONFIG = {
  provider: { aws: [{ region: "us-east-1" }] },
  terraform: { backend: { local: { path: "x.tfstate" } } },
  resource: {
    aws_sagemaker_domain: { workspaces: { domain_name: "ds-team-default-workspaces" } },
    aws_sagemaker_user_profile: { workspaces_bob: { user_profile_name: "bob" } },
    aws_s3_bucket: { storage_datasets: { bucket: "x" } },
  },
};

function fakeAws(opts: { empty?: boolean; fail?: string } = {}) {
  const calls: string[] = [];
  let deleted = false;
  const run: CommandRunner = async (program, args) => {
    calls.push([program, ...args].join(" "));
    if (opts.fail && args[1] === opts.fail) throw new Error("An error occurred (ExpiredTokenException) when calling the ListDomains operation: The security token included in the request is expired");
    if (args[1] === "list-domains") return fixture("sagemaker-list-domains.json");
    if (args[1] === "list-apps") return opts.empty || deleted ? '{"Apps": []}' : fixture("sagemaker-list-apps.json");
    if (args[1] === "list-spaces") return opts.empty || deleted ? '{"Spaces": []}' : fixture("sagemaker-list-spaces.json");
    if (args[1] === "delete-app" || args[1] === "delete-space") {
      deleted = true;
      return "";
    }
    throw new Error(`unexpected aws ${args.join(" ")}`);
  };
  return { calls, run };
}

function setup(answer?: boolean, aws = fakeAws()) {
  const h = harness({ [STACK]: CONFIG }, answer);
  h.runner.states[STACK] = stateJson([{ address: DOMAIN }, { address: PROFILE, depends_on: [DOMAIN] }, { address: BUCKET }]);
  h.runner.plans[STACK] = (o: PlanOptions) => planStream((o.targets ?? [DOMAIN, PROFILE, BUCKET]).map((a) => [a, "delete"] as [string, string]));
  const sleeps: number[] = [];
  const deps = { ...h.deps, cloudCli: () => aws.run, clock: { sleep: async (ms: number) => void sleeps.push(ms) } };
  return { h, deps, aws, sleeps };
}

describe("destroy with SageMaker Studio apps in the workspaces domain", () => {
  it("stops before any plan or apply with MLP_WORKSPACE_APPS, listing the live apps and spaces and the fix", async () => {
    const { h, deps } = setup();
    const err = await runDestroy("p.yaml", { autoApprove: true }, deps).catch((e) => e);
    expect(err.code).toBe("MLP_WORKSPACE_APPS");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      [
        "Stack ds-team-default: 4 SageMaker Studio apps and spaces created outside Terraform block deleting the workspaces domain; nothing was destroyed.",
        "  Created in SageMaker Studio (outside Terraform), they block deleting domain ds-team-default-workspaces (d-xyzab1c2d3e4):",
        "    app JupyterLab/default in space bob-gpu (InService)",
        "    app JupyterServer/default in profile carol (Failed)",
        "    space bob-gpu (InService)",
        "    space alice-eda (InService)",
      ].join("\n"),
    );
    expect(err.hint).toContain("Run mlplat destroy again with --delete-workspace-apps to delete them");
    expect(h.runner.calls.map((c) => c.method)).toEqual(["init", "showState"]);
  });

  it("with --delete-workspace-apps deletes apps, waits, deletes spaces, then applies the destroy; says the home EFS stays", async () => {
    const { h, deps, aws } = setup();
    const report = await runDestroy("p.yaml", { autoApprove: true, deleteWorkspaceApps: true }, deps);
    expect(report.status).toBe("destroyed");
    expect(aws.calls.filter((c) => c.includes("delete-"))).toEqual([
      "aws sagemaker delete-app --domain-id d-xyzab1c2d3e4 --space-name bob-gpu --app-type JupyterLab --app-name default --region us-east-1",
      "aws sagemaker delete-app --domain-id d-xyzab1c2d3e4 --user-profile-name carol --app-type JupyterServer --app-name default --region us-east-1",
      "aws sagemaker delete-space --domain-id d-xyzab1c2d3e4 --space-name bob-gpu --region us-east-1",
      "aws sagemaker delete-space --domain-id d-xyzab1c2d3e4 --space-name alice-eda --region us-east-1",
    ]);
    const applyAt = h.runner.calls.findIndex((c) => c.method === "apply");
    expect(applyAt).toBeGreaterThan(0);
    expect(h.steps).toEqual(expect.arrayContaining([`list-studio-apps ${STACK}`, `delete-studio-apps ${STACK}`]));
    expect(h.steps.indexOf(`delete-studio-apps ${STACK}`)).toBeLessThan(h.steps.lastIndexOf(`apply ${STACK}`) === -1 ? Infinity : h.steps.lastIndexOf(`apply ${STACK}`));
    expect(h.printed).toContain("The workspaces' home EFS file system stays (the domain's retention policy is Retain): delete it in the EFS console when its files are no longer needed.");
    expect(h.printed.some((p) => p.startsWith("Stack ds-team-default: --delete-workspace-apps deletes these once the destroy is confirmed:"))).toBe(true);
  });

  it("asks at a terminal; 'yes' deletes them after the destroy is confirmed, 'no' refuses with the list", async () => {
    const yes = setup(true);
    await runDestroy("p.yaml", {}, yes.deps);
    expect(yes.h.questions[0]).toBe('Delete these Studio apps and spaces (unsaved work in them is lost) once the destroy is confirmed? Only "yes" deletes them: ');
    expect(yes.aws.calls.some((c) => c.includes("delete-space"))).toBe(true);

    const no = setup(false);
    const err = await runDestroy("p.yaml", {}, no.deps).catch((e) => e);
    expect(err.code).toBe("MLP_WORKSPACE_APPS");
    expect(no.aws.calls.some((c) => c.includes("delete-"))).toBe(false);
    expect(no.h.runner.calls.some((c) => c.method === "apply")).toBe(false);
  });

  it("goes straight on when the domain has no live apps or spaces", async () => {
    const { h, aws } = setup(undefined, fakeAws({ empty: true }));
    const deps = { ...h.deps, cloudCli: () => aws.run };
    const report = await runDestroy("p.yaml", { autoApprove: true }, deps);
    expect(report.status).toBe("destroyed");
    expect(aws.calls).toEqual([
      "aws sagemaker list-domains --region us-east-1 --output json",
      "aws sagemaker list-apps --domain-id-equals d-xyzab1c2d3e4 --region us-east-1 --output json",
      "aws sagemaker list-spaces --domain-id-equals d-xyzab1c2d3e4 --region us-east-1 --output json",
    ]);
  });

  it("stops with MLP_WORKSPACE_APPS_LIST (exit 3) when the aws CLI cannot list them", async () => {
    const { deps, h } = setup(undefined, fakeAws({ fail: "list-domains" }));
    const err = await runDestroy("p.yaml", { autoApprove: true, deleteWorkspaceApps: true }, deps).catch((e) => e);
    expect(err).toMatchObject({ code: "MLP_WORKSPACE_APPS_LIST", exitCode: 3 });
    expect(err.message).toBe(
      "could not list the SageMaker domains with the aws CLI: An error occurred (ExpiredTokenException) when calling the ListDomains operation: The security token included in the request is expired",
    );
    expect(h.runner.calls.some((c) => c.method === "apply")).toBe(false);
  });

  it("stops with MLP_WORKSPACE_APPS_TIMEOUT when SageMaker keeps them past the wait", async () => {
    const aws = fakeAws();
    const stuck: CommandRunner = async (p, a) => (a[1] === "delete-app" ? "" : aws.run(p, a));
    const { deps, h } = setup(undefined, { calls: aws.calls, run: stuck });
    const err = await runDestroy("p.yaml", { autoApprove: true, deleteWorkspaceApps: true }, deps).catch((e) => e);
    expect(err).toMatchObject({ code: "MLP_WORKSPACE_APPS_TIMEOUT", exitCode: 3 });
    expect(err.message).toBe("Stack ds-team-default: the Studio apps of domain ds-team-default-workspaces were still being deleted after 15 minutes; nothing was destroyed.");
    expect(h.runner.calls.some((c) => c.method === "apply")).toBe(false);
  });
});
