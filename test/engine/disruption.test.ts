import { describe, expect, it } from "vitest";
import { findDisruptions, poolIsEmpty, withPlanDetails, type ShownPlan } from "../../src/engine/disruption.js";
import { runDeploy } from "../../src/engine/deploy.js";
import { runPlan } from "../../src/engine/plan.js";
import { renderSummary } from "../../src/engine/render.js";
import { summarizePlan } from "../../src/engine/summary.js";
import { parsePlanStream } from "../../src/terraform/plan-stream.js";
import { config, harness, planStream } from "./fakes.js";

/**
 * The disruption guard (src/engine/disruption.ts) on plans recorded from the real
 * hashicorp/aws provider by the change-impact tier (test/change-impact): adding the first
 * cluster admin before the fix (bootstrap admin ForceNew), a GPU pool's instance type change,
 * and a pool removal. The `terraform show -json` excerpts keep only the fields the guard reads.
 */
const ADMIN_BEFORE_FIX = planStream([
  ["aws_eks_access_entry.cluster_admin-platform-admins", "create"],
  ["aws_eks_cluster.cluster", "replace"],
  ["aws_iam_openid_connect_provider.cluster_oidc-provider", "replace"],
  ["aws_iam_role.cluster_aws-node-role", "update"],
]);
const ADMIN_BEFORE_FIX_SHOWN: ShownPlan = {
  resource_changes: [
    { address: "aws_eks_cluster.cluster", type: "aws_eks_cluster", change: { before: {}, replace_paths: [["access_config", 0, "bootstrap_cluster_creator_admin_permissions"]] } },
    { address: "aws_iam_openid_connect_provider.cluster_oidc-provider", type: "aws_iam_openid_connect_provider", change: { before: {}, replace_paths: [["url"]] } },
  ],
};
const GPU_TYPE = planStream([
  ["aws_eks_node_group.cluster_llm", "replace"],
  ["aws_autoscaling_group_tag.cluster_llm_asg-tag-enabled", "replace"],
]);
const pool = (min: number, desired: number) => ({ scaling_config: [{ min_size: min, max_size: 4, desired_size: desired }] });
const gpuShown = (before: unknown): ShownPlan => ({
  resource_changes: [{ address: "aws_eks_node_group.cluster_llm", type: "aws_eks_node_group", change: { before, replace_paths: [["instance_types"]] } }],
});

const summary = (stream: unknown[]) => summarizePlan(parsePlanStream(stream, "test"));

describe("the disruption guard", () => {
  it("flags a replaced cluster and names the attribute forcing it; the OIDC provider is not a guarded type", () => {
    const found = withPlanDetails(summary(ADMIN_BEFORE_FIX).disruptions, ADMIN_BEFORE_FIX_SHOWN);
    expect(found).toEqual([
      { address: "aws_eks_cluster.cluster", kind: "cluster", action: "replace", section: "cluster", name: "cluster", replacePaths: ["access_config.0.bootstrap_cluster_creator_admin_permissions"] },
    ]);
  });

  it("flags a node pool with nodes, and one of unknown size, but not an empty one", () => {
    const candidates = summary(GPU_TYPE).disruptions;
    expect(withPlanDetails(candidates, gpuShown(pool(1, 1))).map((d) => d.replacePaths)).toEqual([["instance_types"]]);
    expect(withPlanDetails(candidates, undefined)).toHaveLength(1);
    expect(withPlanDetails(candidates, gpuShown(pool(0, 0)))).toEqual([]);
    expect(withPlanDetails(candidates, gpuShown(pool(0, 2)))).toHaveLength(1);
  });

  it("reads the size of GKE and AKS pools too", () => {
    expect(poolIsEmpty("google_container_node_pool", { node_count: 0, autoscaling: [{ min_node_count: 0 }] })).toBe(true);
    expect(poolIsEmpty("google_container_node_pool", { node_count: 1, autoscaling: [{ min_node_count: 0 }] })).toBe(false);
    expect(poolIsEmpty("azurerm_kubernetes_cluster_node_pool", { node_count: 0, min_count: 0 })).toBe(true);
    expect(poolIsEmpty("azurerm_kubernetes_cluster_node_pool", { node_count: 0, min_count: 1 })).toBe(false);
    expect(poolIsEmpty("aws_eks_node_group", null)).toBe(false);
  });

  it("flags deleted endpoints and networks on every cloud, leaves keys to the data-loss guard, ignores updates", () => {
    const s = summary(
      planStream([
        ["aws_sagemaker_endpoint.serving_embed", "delete"],
        ["google_compute_subnetwork.network_nodes", "replace"],
        ["azurerm_kubernetes_cluster.cluster", "update"],
        ["aws_kms_key.storage_models_key", "replace"],
      ]),
    );
    expect(s.disruptions.map((d) => `${d.kind} ${d.action} ${d.name}`)).toEqual(["endpoint delete embed", "network replace nodes"]);
    expect(s.dataLoss.map((d) => d.address)).toEqual(["aws_kms_key.storage_models_key"]);
    expect(findDisruptions([{ address: "data.aws_vpc.x", mode: "data", type: "aws_vpc", name: "x", action: "read" }])).toEqual([]);
  });

  it("flags a deleted SageMaker user profile as a notebook (its spaces go with it), not the domain (data-loss guard)", () => {
    const s = summary(
      planStream([
        ["aws_sagemaker_user_profile.workspaces_erin", "delete"],
        ["aws_sagemaker_domain.workspaces", "replace"],
      ]),
    );
    expect(s.disruptions.map((d) => `${d.kind} ${d.action} ${d.name}`)).toEqual(["notebook delete erin"]);
    expect(s.dataLoss.map((d) => d.address)).toEqual(["aws_sagemaker_domain.workspaces"]);
  });

  it("marks each disruption in the plan summary with the forcing attribute", () => {
    const s = summary(ADMIN_BEFORE_FIX);
    const text = renderSummary("llm-serving-default", { ...s, disruptions: withPlanDetails(s.disruptions, ADMIN_BEFORE_FIX_SHOWN) });
    expect(text.split("\n").slice(-2)).toEqual([
      "  WARNING: running parts of the platform would be destroyed or replaced (deploy needs --allow-disruption):",
      '    - aws_eks_cluster.cluster (cluster "cluster"): replace, forced by access_config.0.bootstrap_cluster_creator_admin_permissions',
    ]);
  });
});

describe("deploy and plan with the disruption guard (recorded fake terraform)", () => {
  const STACK = { "llm-serving-default": config([]) };
  const withShow = (h: ReturnType<typeof harness>, shown: ShownPlan) => {
    const calls: string[] = [];
    (h.runner as unknown as { showPlan: (dir: string, file: string) => Promise<unknown> }).showPlan = async (_dir, file) => (calls.push(file), shown);
    return calls;
  };

  it("refuses with MLP_DISRUPTION (exit 1) and a list naming the forcing attribute, applying nothing", async () => {
    const h = harness(STACK);
    h.runner.plans["llm-serving-default"] = ADMIN_BEFORE_FIX;
    const shows = withShow(h, ADMIN_BEFORE_FIX_SHOWN);
    const report = await runDeploy("p.yaml", { autoApprove: true }, h.deps);
    expect(shows).toEqual(["mlplat.tfplan"]);
    expect(report.status).toBe("refused");
    expect(report.error).toMatchObject({ code: "MLP_DISRUPTION", exitCode: 1 });
    expect(report.error!.message).toBe("Deploy refused: the plan would destroy or replace 1 running part of the platform. Nothing was applied.");
    expect(report.error!.details).toBe(
      '  - aws_eks_cluster.cluster (cluster "cluster"): replace, forced by access_config.0.bootstrap_cluster_creator_admin_permissions in llm-serving-default',
    );
    expect(h.runner.methods()).not.toContain("apply llm-serving-default");
    expect(report.stacks[0]!.disruptions).toHaveLength(1);
  });

  it("applies with --allow-disruption", async () => {
    const h = harness(STACK);
    h.runner.plans["llm-serving-default"] = GPU_TYPE;
    withShow(h, gpuShown(pool(1, 1)));
    const report = await runDeploy("p.yaml", { autoApprove: true, allowDisruption: true }, h.deps);
    expect(report.status).toBe("applied");
  });

  it("does not refuse the replacement of an empty pool, and shows no plan when nothing is disrupted", async () => {
    const h = harness(STACK);
    h.runner.plans["llm-serving-default"] = GPU_TYPE;
    withShow(h, gpuShown(pool(0, 0)));
    expect((await runDeploy("p.yaml", { autoApprove: true }, h.deps)).status).toBe("applied");
    const quiet = harness(STACK);
    quiet.runner.plans["llm-serving-default"] = planStream([["aws_eks_node_group.cluster_llm", "update"]]);
    const shows = withShow(quiet, {});
    await runDeploy("p.yaml", { autoApprove: true }, quiet.deps);
    expect(shows).toEqual([]);
  });

  it("plan --json carries the disruptions with their forcing attributes", async () => {
    const h = harness(STACK);
    h.runner.plans["llm-serving-default"] = ADMIN_BEFORE_FIX;
    withShow(h, ADMIN_BEFORE_FIX_SHOWN);
    const report = await runPlan("p.yaml", {}, h.deps);
    expect(report.stacks[0]!.disruptions).toEqual([expect.objectContaining({ address: "aws_eks_cluster.cluster", replacePaths: ["access_config.0.bootstrap_cluster_creator_admin_permissions"] })]);
    expect(h.printed.join("\n")).toContain("forced by access_config.0.bootstrap_cluster_creator_admin_permissions");
  });
});
