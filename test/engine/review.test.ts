import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ShownPlan } from "../../src/engine/disruption.js";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import { checkReportPath, renderReport, writeReport } from "../../src/engine/report.js";
import { MlplatError } from "../../src/util/errors.js";
import { config, harness, planStream } from "./fakes.js";

/**
 * The plan review (issue 15, item 4) through the engine with the recording fake terraform: the
 * stream and the `terraform show -json` excerpt are those the change-impact tier recorded from
 * the real hashicorp/aws provider for a GPU pool's instance type change on a deployed
 * llm-serving, plus a removed bucket and added alarms.
 */
const STACK = "llm-serving-default";
const STREAM = planStream([
  ["aws_cloudwatch_metric_alarm.observability_chat_5xx", "create"],
  ["aws_eks_node_group.cluster_llm", "replace"],
  ["aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled", "replace"],
  ["aws_iam_role.cluster_aws-node-role", "update"],
  ["aws_s3_bucket.storage_scratch", "delete"],
  ["aws_s3_bucket.storage_datasets", "update"],
  ["data.aws_iam_policy_document.cluster_assume", "read"],
]);
const SHOWN: ShownPlan = {
  resource_changes: [
    { address: "aws_eks_node_group.cluster_llm", type: "aws_eks_node_group", change: { before: { scaling_config: [{ min_size: 1, desired_size: 1 }] }, replace_paths: [["instance_types"]] } },
    { address: "aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled", type: "aws_autoscaling_group_tag", change: { before: {}, replace_paths: [["autoscaling_group_name"]] } },
  ],
};

function planned(shown: ShownPlan | null = SHOWN) {
  const h = harness({ [STACK]: config([]) }, true);
  h.runner.plans[STACK] = STREAM;
  const shows: string[] = [];
  if (shown) (h.runner as unknown as { showPlan: (d: string, f: string) => Promise<unknown> }).showPlan = async (_d, f) => (shows.push(f), shown);
  return { h, shows };
}

describe("the plan review list", () => {
  it("lists every changed resource by section, sections with a replacement or deletion first, each replacement with its forcing attribute", async () => {
    const { h, shows } = planned();
    const report = await runPlan("p.yaml", {}, h.deps);
    expect(shows).toEqual(["mlplat.tfplan"]);
    expect(report.stacks[0]!.resources.map((r) => [r.section, r.action, r.address, r.replacePaths.join(",")])).toEqual([
      ["storage", "destroy", "aws_s3_bucket.storage_scratch", ""],
      ["storage", "change", "aws_s3_bucket.storage_datasets", ""],
      ["cluster", "replace", "aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled", "autoscaling_group_name"],
      ["cluster", "replace", "aws_eks_node_group.cluster_llm", "instance_types"],
      ["cluster", "change", "aws_iam_role.cluster_aws-node-role", ""],
      ["observability", "add", "aws_cloudwatch_metric_alarm.observability_chat_5xx", ""],
    ]);
    const text = h.printed.join("\n");
    expect(text.split("\n").slice(0, 10)).toEqual([
      `Stack ${STACK}: 1 to add, 2 to change, 1 to destroy, 2 to replace`,
      "  storage        -1 destroy  ~1 change",
      "    - aws_s3_bucket.storage_scratch  destroy",
      "    ~ aws_s3_bucket.storage_datasets",
      "  cluster        ±2 replace  ~1 change",
      "    ± aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled  replace, forced by autoscaling_group_name",
      "    ± aws_eks_node_group.cluster_llm  replace, forced by instance_types",
      "    ~ aws_iam_role.cluster_aws-node-role",
      "  observability  +1 add",
      "    + aws_cloudwatch_metric_alarm.observability_chat_5xx",
    ]);
    // The data-loss and disruption blocks still follow.
    expect(text).toContain('    - aws_s3_bucket.storage_scratch (storage "scratch"): destroy');
    expect(text).toContain('    - aws_eks_node_group.cluster_llm (node pool "llm"): replace, forced by instance_types');
  });

  it("deploy shows the same list before asking, and --json carries it", async () => {
    const { h } = planned();
    const report = await runDeploy("p.yaml", { allowDataLoss: true, allowDisruption: true }, h.deps);
    expect(report.status).toBe("applied");
    expect(h.printed[0]).toContain("    ± aws_eks_node_group.cluster_llm  replace, forced by instance_types");
    expect(report.stacks[0]!.resources).toHaveLength(6);
  });

  it("without a runner that can show the plan, replacements are listed without an attribute", async () => {
    const { h } = planned(null);
    const report = await runPlan("p.yaml", {}, h.deps);
    expect(report.stacks[0]!.resources.find((r) => r.action === "replace")!.replacePaths).toEqual([]);
    expect(h.printed.join("\n")).toContain("    ± aws_eks_node_group.cluster_llm  replace\n");
  });

  it("shows the saved plan only when something is replaced or disrupted", async () => {
    const h = harness({ [STACK]: config([]) });
    h.runner.plans[STACK] = planStream([["aws_s3_bucket.storage_a", "create"], ["aws_iam_role.cluster_x", "update"]]);
    const shows: string[] = [];
    (h.runner as unknown as { showPlan: (d: string, f: string) => Promise<unknown> }).showPlan = async (_d, f) => (shows.push(f), {});
    await runPlan("p.yaml", {}, h.deps);
    expect(shows).toEqual([]);
  });
});

describe("plan --report FILE.md", () => {
  const work = mkdtempSync(join(tmpdir(), "mlplat-report-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const blueprint = join(work, "platform.yaml");
  writeFileSync(blueprint, "kind: Platform\n");
  const errorOf = (f: () => unknown): MlplatError => {
    try {
      f();
    } catch (e) {
      return e as MlplatError;
    }
    throw new Error("did not throw");
  };

  it("renders the review as Markdown: counts, data loss and disruption callouts, a table with the forcing attributes", async () => {
    const { h } = planned();
    const report = await runPlan("p.yaml", {}, h.deps);
    const md = renderReport(report.stacks, { blueprint: "blueprints/llm-serving.yaml", env: "prod", offline: false });
    expect(md).toMatchInlineSnapshot(`
      "## mlplat plan: \`llm-serving.yaml\`, environment \`prod\`

      ### Stack \`llm-serving-default\`

      **1** to add, **2** to change, **2** to replace, **1** to destroy.

      > [!CAUTION]
      > Data-bearing resources would be destroyed or replaced; \`mlplat deploy\` refuses this plan without \`--allow-data-loss\`:
      > - destroy \`aws_s3_bucket.storage_scratch\` (storage \`scratch\`)

      > [!WARNING]
      > Running parts of the platform would be destroyed or replaced; \`mlplat deploy\` refuses this plan without \`--allow-disruption\`:
      > - replace \`aws_eks_node_group.cluster_llm\` (node pool \`llm\`), forced by \`instance_types\`

      | section | action | resource | forced by |
      |---|---|---|---|
      | storage | **- destroy** | \`aws_s3_bucket.storage_scratch\` |  |
      | storage | ~ change | \`aws_s3_bucket.storage_datasets\` |  |
      | cluster | **± replace** | \`aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled\` | \`autoscaling_group_name\` |
      | cluster | **± replace** | \`aws_eks_node_group.cluster_llm\` | \`instance_types\` |
      | cluster | ~ change | \`aws_iam_role.cluster_aws-node-role\` |  |
      | observability | + add | \`aws_cloudwatch_metric_alarm.observability_chat_5xx\` |  |
      "
    `);
  });

  it("says no changes, and that an offline plan is one", () => {
    const md = renderReport([{ name: "s-default", add: 0, change: 0, destroy: 0, replace: 0, changes: false, resources: [], dataLoss: [], disruptions: [] }], { blueprint: "p.yaml", env: "default", offline: true });
    expect(md).toBe("## mlplat plan: `p.yaml`, environment `default`\n\n_Offline plan: local state, no refresh; it shows what a first deploy creates._\n\n### Stack `s-default`\n\nNo changes.\n");
  });

  it("links the HCP Terraform run (spec.state.backend: hcp), and only a URL of a run page", () => {
    const stack = { name: "s-default", add: 0, change: 0, destroy: 0, replace: 0, changes: false, resources: [], dataLoss: [], disruptions: [] };
    const url = "https://app.terraform.io/app/acme-ml/s-default/runs/run-CZcmD7eagjhyX0vN";
    expect(renderReport([{ ...stack, runUrl: url }], { blueprint: "p.yaml", env: "default", offline: false })).toContain(`### Stack \`s-default\`\n\nRun on HCP Terraform: <${url}>\n\nNo changes.`);
    expect(renderReport([{ ...stack, runUrl: "javascript:alert(1)" }], { blueprint: "p.yaml", env: "default", offline: false })).not.toContain("Run on HCP Terraform");
  });

  it("lists the Kubernetes objects of removed endpoints deploy would delete, or says the cluster was not read", () => {
    const stack = { name: "s-default", add: 0, change: 0, destroy: 0, replace: 0, changes: false, resources: [], dataLoss: [], disruptions: [] };
    const deletion = { kind: "Deployment", namespace: "mlplat-serving", name: "old-chat", endpoint: "old-chat", ref: "deployments.apps/old-chat" };
    const md = renderReport([stack], { blueprint: "p.yaml", env: "default", offline: false, prune: [{ stack: "s-default", read: true, deletions: [deletion], leftovers: [] }] });
    expect(md).toContain("> [!WARNING]\n> Kubernetes objects of endpoints removed from the blueprint; `mlplat deploy` deletes them only with `--allow-disruption`:\n> - delete `Deployment mlplat-serving/old-chat` (endpoint `old-chat`)\n");
    const offline = renderReport([stack], { blueprint: "p.yaml", env: "default", offline: true, prune: [{ stack: "s-default", read: false, reason: "--offline", deletions: [], leftovers: [] }] });
    expect(offline).toContain("_Kubernetes: the cluster was not read (`--offline`); objects of removed endpoints are not listed._");
  });

  it("writes atomically and replaces an existing regular file, leaving no temporary file", () => {
    const target = join(work, "plan.md");
    writeFileSync(target, "old");
    writeReport(target, "# new\n", blueprint, join(work, "cdktf.out"), undefined);
    expect(readFileSync(target, "utf8")).toBe("# new\n");
    expect(readdirSync(work).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a path inside the output or state folder (MLP_REPORT_PATH)", () => {
    const out = join(work, "cdktf.out");
    mkdirSync(join(out, "stacks"), { recursive: true });
    const e = errorOf(() => checkReportPath(join(out, "plan.md"), blueprint, out, undefined));
    expect(e).toMatchObject({ code: "MLP_REPORT_PATH", exitCode: 1 });
    expect(e.message).toBe(`--report ${join(out, "plan.md")} is inside the output folder ${out}, which mlplat replaces as a whole on every synth.`);
    expect(e.hint).toBe("write the report beside the blueprint, e.g. --report plan.md.");
    const s = errorOf(() => checkReportPath(join(work, ".mlplat", "state", "r.md"), blueprint, out, undefined));
    expect(s.message).toContain("is inside the state folder");
  });

  it("refuses to write through a link, over a folder or a FIFO, or into a missing folder", () => {
    const real = join(work, "real.md");
    writeFileSync(real, "keep");
    symlinkSync(real, join(work, "link.md"));
    const link = errorOf(() => writeReport(join(work, "link.md"), "x", blueprint, undefined, undefined));
    expect(link.message).toBe(`--report ${join(work, "link.md")} is a symbolic link; mlplat only replaces a regular file there.`);
    expect(readFileSync(real, "utf8")).toBe("keep");
    mkdirSync(join(work, "dir.md"));
    expect(errorOf(() => writeReport(join(work, "dir.md"), "x", blueprint, undefined, undefined)).message).toContain("is a folder;");
    execFileSync("mkfifo", [join(work, "fifo.md")]);
    expect(errorOf(() => writeReport(join(work, "fifo.md"), "x", blueprint, undefined, undefined)).message).toContain("is not a regular file;");
    const missing = errorOf(() => writeReport(join(work, "nope", "r.md"), "x", blueprint, undefined, undefined));
    expect(missing.message).toBe(`--report ${join(work, "nope", "r.md")}: the folder ${join(work, "nope")} does not exist.`);
  });
});
