import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mlplat } from "../helpers/cli.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * The CI examples are documentation people copy: they must at least parse, run the mlplat
 * commands the issue promises in the right pipelines, and those commands must work. validate and
 * cost run for real through the built CLI against a reference blueprint; plan runs too (offline)
 * when terraform and the AWS provider mirror are on the machine, and its JSON feeds the summary
 * script exactly as the CI jobs do.
 */
const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-examples-ci-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the pipelines' variables become in the test: a reference blueprint and one of its AWS environments. */
const VARS: Record<string, string> = { BLUEPRINT: "platform.yaml", MLPLAT_ENV: "aws" };
copyFileSync(join(root, "blueprints/realtime-scoring.yaml"), join(work, "platform.yaml"));

interface MlplatCall {
  readonly args: string[];
  /** `> file` after the command, if any. */
  readonly stdoutTo?: string;
}

/** Shell words of one simple command, with "$VAR" / ${VAR} expanded from VARS; stops at > | && || ;. */
function words(segment: string): { args: string[]; stdoutTo?: string } {
  const out: string[] = [];
  let stdoutTo: string | undefined;
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(>|\||&&|\|\||;)|([^\s"'>|;&]+)/g;
  let redirect = false;
  for (const m of segment.matchAll(re)) {
    if (m[3]) {
      if (m[3] === ">") {
        redirect = true;
        continue;
      }
      break;
    }
    const raw = m[1] ?? m[2] ?? m[4] ?? "";
    const value = m[2] !== undefined ? raw : raw.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, v: string) => VARS[v] ?? `$${v}`);
    if (redirect) {
      stdoutTo = value;
      redirect = false;
    } else out.push(value);
  }
  return { args: out, stdoutTo };
}

/** Every `npx mlplat …` invocation in a script (a string of lines, or GitLab's nested arrays). */
function mlplatCalls(script: unknown): MlplatCall[] {
  const lines = ([script].flat(10) as unknown[]).filter((s): s is string => typeof s === "string").flatMap((s) => s.split("\n"));
  const calls: MlplatCall[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(/npx mlplat\s+([^\n]*)/g)) {
      const { args, stdoutTo } = words(m[1]!);
      calls.push({ args, stdoutTo });
    }
  }
  return calls;
}

/** Runs an extracted call through the built CLI in the work folder, writing its redirect like the shell would. */
function run(call: MlplatCall, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = mlplat([...call.args, ...extra], { cwd: work, env });
  if (call.stdoutTo) writeFileSync(join(work, call.stdoutTo), r.stdout);
  return r;
}

const github = parse(readFileSync(join(root, "examples/github-actions/mlplat.yml"), "utf8")) as {
  on: Record<string, { branches?: string[] }>;
  env: Record<string, string>;
  jobs: Record<string, { if: string; steps: { name?: string; run?: string; uses?: string }[] }>;
};
const gitlab = parse(readFileSync(join(root, "examples/gitlab-ci/.gitlab-ci.yml"), "utf8"), { maxAliasCount: 100 }) as Record<string, any>;

const githubCalls = (job: string) => github.jobs[job]!.steps.flatMap((s) => mlplatCalls(s.run));
const gitlabCalls = (job: string) => mlplatCalls([gitlab[job].script]);
const verbs = (calls: MlplatCall[]) => calls.map((c) => c.args[0]);

describe("the GitHub Actions workflow", () => {
  it("triggers on pull requests and on pushes to main, with the blueprint and environment as variables", () => {
    expect(Object.keys(github.on)).toEqual(["pull_request", "push"]);
    expect(github.on.push!.branches).toEqual(["main"]);
    expect(Object.keys(github.env)).toEqual(["BLUEPRINT", "MLPLAT_ENV"]);
  });

  it("validates, costs and plans as JSON on pull requests, then comments the summary", () => {
    expect(github.jobs.plan!.if).toContain("pull_request");
    const calls = githubCalls("plan");
    expect(verbs(calls)).toEqual(["validate", "cost", "plan"]);
    expect(calls[1]).toMatchObject({ args: expect.arrayContaining(["--json"]), stdoutTo: "cost.json" });
    expect(calls[2]).toMatchObject({ args: expect.arrayContaining(["--json", "--report", "plan.md"]), stdoutTo: "plan.json" });
    const comment = github.jobs.plan!.steps.find((s) => s.run?.includes("gh pr comment"))!;
    expect(comment.run).toContain("node .github/mlplat-summary.mjs cost.json plan.md > summary.md");
  });

  it("deploys with --auto-approve on a push to main, and nowhere else", () => {
    expect(github.jobs.deploy!.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const calls = githubCalls("deploy");
    expect(calls.map((c) => c.args.join(" "))).toEqual(["deploy platform.yaml --env aws --auto-approve"]);
    expect(verbs(githubCalls("plan"))).not.toContain("deploy");
  });

  it("its validate and cost commands succeed against a reference blueprint", () => {
    for (const call of githubCalls("plan").filter((c) => c.args[0] === "validate" || c.args[0] === "cost")) {
      const r = run(call);
      expect(r.code, `${call.args.join(" ")}\n${r.stderr}`).toBe(0);
    }
    const cost = JSON.parse(readFileSync(join(work, "cost.json"), "utf8"));
    expect(cost.currency).toBe("USD");
    expect(cost.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(["scorer", "ranker"]));
  });
});

describe("the GitLab CI pipeline", () => {
  it("runs validate and plan on merge requests and deploy on the default branch", () => {
    for (const job of ["validate", "plan"]) expect(JSON.stringify(gitlab[job].rules)).toContain('$CI_PIPELINE_SOURCE == \\"merge_request_event\\"');
    expect(JSON.stringify(gitlab.deploy.rules)).toContain("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
    expect(gitlab.stages).toEqual(["validate", "plan", "deploy"]);
  });

  it("runs the same mlplat commands as the GitHub workflow", () => {
    expect(verbs(gitlabCalls("validate"))).toEqual(["validate", "cost"]);
    expect(gitlabCalls("validate")[1]!.stdoutTo).toBe("cost.json");
    expect(gitlabCalls("plan")).toEqual([{ args: ["plan", "platform.yaml", "--env", "aws", "--json", "--report", "plan.md"], stdoutTo: "plan.json" }]);
    expect(gitlabCalls("deploy").map((c) => c.args.join(" "))).toEqual(["deploy platform.yaml --env aws --auto-approve"]);
    expect(JSON.stringify(gitlab.plan.after_script)).toContain("node ci/mlplat-summary.mjs cost.json plan.md > summary.md");
    expect(JSON.stringify(gitlab.plan.after_script)).toContain("merge_requests/$CI_MERGE_REQUEST_IID/notes");
  });

  it("its validate and cost commands succeed against a reference blueprint", () => {
    for (const call of gitlabCalls("validate")) {
      const r = run(call);
      expect(r.code, `${call.args.join(" ")}\n${r.stderr}`).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(work, "cost.json"), "utf8")).totalMaxMonthlyUsd).toBeGreaterThan(0);
  });
});

describe("the PR/MR summary script", () => {
  const script = join(root, "examples/github-actions/mlplat-summary.mjs");
  const summarize = (cost: string, plan: string) => spawnSync(process.execPath, [script, cost, plan], { cwd: work, encoding: "utf8" });

  it("is the same file in both CI examples", () => {
    expect(readFileSync(join(root, "examples/gitlab-ci/mlplat-summary.mjs"), "utf8")).toBe(readFileSync(script, "utf8"));
  });

  it("puts mlplat's plan review first, then the cost, and says so when a step produced nothing", () => {
    const costJson = mlplat(["cost", "platform.yaml", "--env", "aws", "--json"], { cwd: work }).stdout;
    writeFileSync(join(work, "cost-fixture.json"), costJson);
    const { totalMinMonthlyUsd: min, totalMaxMonthlyUsd: max } = JSON.parse(costJson) as { totalMinMonthlyUsd: number; totalMaxMonthlyUsd: number };
    const usd = (n: number) => `${Math.round(n).toLocaleString("en-US")} USD`;
    writeFileSync(join(work, "plan-fixture.md"), "## mlplat plan: `platform.yaml`, environment `aws`\n\n| storage | **- destroy** | `aws_s3_bucket.storage_models` |  |\n");
    const r = summarize("cost-fixture.json", "plan-fixture.md");
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("## mlplat plan: `platform.yaml`, environment `aws`\n\n| storage | **- destroy** | `aws_s3_bucket.storage_models` |  |\n\n## Monthly cost")).toBe(true);
    expect(r.stdout).toContain(`**${usd(min)} – ${usd(max)}**`);
    expect(r.stdout).toContain("| endpoint | ranker | ml.g6.2xlarge | 4 |");
    const empty = summarize("missing.json", "missing.md");
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain("No plan: the plan step failed");
    expect(empty.stdout).toContain("No estimate: the cost step failed");
  });

  const tf = terraformEnv();
  it.skipIf(!tf.available)("turns the workflow's own plan command (run offline) into a comment", () => {
    const call = githubCalls("plan").find((c) => c.args[0] === "plan")!;
    const cost = githubCalls("plan").find((c) => c.args[0] === "cost")!;
    expect(run(cost).code).toBe(0);
    const r = run(call, ["--offline"], tf.env);
    expect(r.code, r.stderr).toBe(0);
    const planJson = JSON.parse(readFileSync(join(work, "plan.json"), "utf8"));
    expect(planJson.stacks[0].name).toBe("scoring-aws");
    // The JSON and the report list the same resources: every one the first deploy creates.
    const added = planJson.stacks[0].resources.map((c: { address: string }) => c.address);
    expect(added).toHaveLength(planJson.stacks[0].add);
    const md = summarize("cost.json", "plan.md");
    expect(md.stdout).toContain("### Stack `scoring-aws`");
    expect(md.stdout).toContain(`**${planJson.stacks[0].add}** to add, **0** to change, **0** to replace, **0** to destroy.`);
    for (const address of added) expect(md.stdout).toContain(`| + add | \`${address}\` |`);
    expect(md.stdout).toMatch(/\| serving \| \+ add \| `aws_sagemaker_endpoint\.serving_scorer` \|/);
    expect(md.stdout).toContain("within budget at max");
  }, 300_000);
});
