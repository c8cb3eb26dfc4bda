import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformEnv } from "../helpers/terraform.js";
import { synthEdited } from "./blueprint-edits.js";
import { findDisruptions } from "../../src/engine/disruption.js";
import type { ChangeAction } from "../../src/terraform/plan-stream.js";
import type { Expected } from "./corpus.js";
import { expectImpact } from "./expect-impact.js";
import { deployV1, planImpact, type DeployedV1 } from "./plan.js";

/**
 * Day-2 edits of `spec.workspaces` and `spec.tracking` on AWS (issue 16): blueprints/
 * data-science-team.yaml is "deployed" once (mock apply healed by the real provider, README.md
 * here), then each edit is planned against it with the real hashicorp/aws provider, offline.
 * What each replaces (nothing) and updates in place is documented in stacks/aws/README.md
 * ("Workspaces and tracking").
 */
type Doc = Record<string, any>;
const tf = terraformEnv();
const ROOT = new URL("../../", import.meta.url).pathname;
const BLUEPRINT = join(ROOT, "blueprints", "data-science-team.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-ws-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

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

describe.skipIf(!tf.available)("day-2 edits of data-science-team's workspaces and tracking (real hashicorp/aws, offline)", () => {
  let v1: DeployedV1;
  const started = Date.now();

  beforeAll(async () => {
    const stack = await synthEdited(BLUEPRINT, join(work, "edits"), () => {});
    v1 = await deployV1(stack.dir, stack.statePath, join(work, "mock"));
  }, 600_000);

  afterAll(() => {
    process.stderr.write(`change-impact (workspaces): v1 deployed and ${WORKSPACE_EDITS.length} edits planned in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it("deploys v1 into a state that v1 itself plans no change against", () => {
    expect(v1.residual.map((c) => `${c.actions.join("+")} ${c.address} ${c.replacePaths.join(",")}`)).toEqual([]);
    expect(v1.state.resources.some((r) => r.type === "aws_sagemaker_domain")).toBe(true);
  });

  it.each(WORKSPACE_EDITS.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
    const stack = await synthEdited(BLUEPRINT, join(work, "edits"), e.edit);
    const changes = await planImpact(stack.dir, stack.statePath, v1.state);
    expectImpact(e.name, changes, e.expect);
    const planned = changes.map((c) => ({ address: c.address, mode: "managed" as const, type: c.type, name: c.address.split(".")[1]!, action: (c.actions.length === 2 ? "replace" : c.actions[0]) as ChangeAction }));
    expect(findDisruptions(planned).map((d) => `${d.kind} ${d.action}`), e.name).toEqual(e.disrupts ?? []);
  }, 300_000);
});
