import { join } from "node:path";
import { expect } from "vitest";
import type { Expected } from "./corpus.js";
import { describeDay2Tier, expectDisruptions, tierWorkDir, type Doc } from "./day2-tier.js";

/**
 * Day-2 edits of `spec.workspaces` and `spec.tracking` on AWS (issue 16): blueprints/
 * data-science-team.yaml is "deployed" once (mock apply healed by the real provider, README.md
 * here), then each edit is planned against it with the real hashicorp/aws provider, offline.
 * What each replaces (nothing) and updates in place is documented in stacks/aws/README.md
 * ("Workspaces and tracking").
 */
const ROOT = new URL("../../", import.meta.url).pathname;

const user = (doc: Doc, name: string) => doc.spec.workspaces.users.find((u: Doc) => u.name === name);
const USER = (name: string) => [`aws_sagemaker_user_profile.workspaces_${name}`, `aws_iam_role.workspaces_${name}_`, `aws_iam_role_policy.workspaces_${name}_`, `aws_iam_policy.workspaces_${name}_`];

export const WORKSPACE_EDITS: readonly { name: string; edit: (doc: Doc) => void; expect: Expected; disrupts?: string[] }[] = [
  { name: "nothing (v1 again)", edit: () => {}, expect: { noop: true } },
  {
    name: "add a user",
    edit: (doc) => doc.spec.workspaces.users.push({ name: "frank", identity: "arn:aws:iam::123456789012:role/ds-frank" }),
    expect: { create: USER("frank") },
  },
  {
    name: "remove a user (their profile, role and open policy go; nobody else's)",
    edit: (doc) => (doc.spec.workspaces.users = doc.spec.workspaces.users.filter((u: Doc) => u.name !== "erin")),
    expect: { delete: USER("erin") },
    // The disruption guard asks (--allow-disruption): the user's spaces go with the profile.
    disrupts: ["notebook delete"],
  },
  {
    name: "resize a user's GPU (T4 to A10G): their profile's default size and their role's allowed size, in place",
    edit: (doc) => (user(doc, "bob").gpu = { type: "A10G", count: 1 }),
    expect: { update: ["aws_sagemaker_user_profile.workspaces_bob", "aws_iam_role_policy.workspaces_bob_execution-policy"] },
  },
  {
    name: "take a user's GPU away (back to the default size), in place",
    edit: (doc) => delete user(doc, "dan").gpu,
    expect: { update: ["aws_sagemaker_user_profile.workspaces_dan", "aws_iam_role_policy.workspaces_dan_execution-policy"] },
  },
  {
    name: "change the idle shutdown: the domain's default user settings, in place",
    edit: (doc) => (doc.spec.workspaces.idleShutdownMinutes = 120),
    expect: { update: ["aws_sagemaker_domain.workspaces"] },
  },
  {
    name: "turn the idle shutdown off",
    edit: (doc) => (doc.spec.workspaces.idleShutdownMinutes = 0),
    expect: { update: ["aws_sagemaker_domain.workspaces"] },
  },
  {
    name: "give the users another bucket: every role's policy, in place",
    edit: (doc) => (doc.spec.workspaces.buckets = ["datasets", "experiments"]),
    expect: { update: ["aws_iam_role_policy.workspaces_alice_execution-policy", "aws_iam_role_policy.workspaces_erin_execution-policy"] },
  },
  {
    name: "resize the MLflow server",
    edit: (doc) => (doc.spec.tracking.mlflow.size = "medium"),
    expect: { update: ["aws_sagemaker_mlflow_tracking_server.tracking"] },
  },
];

describeDay2Tier("day-2 edits of data-science-team's workspaces and tracking (real hashicorp/aws, offline)", {
  blueprint: join(ROOT, "blueprints", "data-science-team.yaml"),
  work: tierWorkDir("mlplat-change-impact-ws-"),
  edits: WORKSPACE_EDITS,
  label: "change-impact (workspaces)",
  v1Check: (v1) => expect(v1.state.resources.some((r) => r.type === "aws_sagemaker_domain")).toBe(true),
  check: (e, changes) => expectDisruptions(e.name, changes, e.disrupts ?? []),
});
