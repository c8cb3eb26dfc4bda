import type { PlatformModel } from "../../model/platform.js";
import { deriveName, type NameRules } from "../../model/names.js";
import type { AwsWorkspacesSpec } from "../../../stacks/aws/platform-stack.js";
import { IAM_ROLE, SAGEMAKER, internal } from "./names.js";

/** IAM managed policy names: 128 characters. */
const IAM_POLICY: NameRules = { maxLength: 128, separator: "-" };
/** Security group names: 255 characters. */
const SECURITY_GROUP: NameRules = { maxLength: 255, separator: "-" };

/**
 * `workspaces` → the props of stacks/aws/workspaces.ts: names (API: changing one replaces the
 * resource), sizes from the model, and per user the commands that attach the open policy to their
 * identity and open the workspace (the `workspace_access` output).
 */
export function resolveWorkspaces(model: PlatformModel, x: { partition: string; accountId: string; region: string }): AwsWorkspacesSpec | undefined {
  const w = model.workspaces;
  if (!w) return undefined;
  const name = (item: string, rules: NameRules) => deriveName(model, item, rules);
  return {
    domainName: name("workspaces", SAGEMAKER),
    securityGroupName: name("workspaces", SECURITY_GROUP),
    defaultRoleName: name("ws-default", IAM_ROLE),
    idleShutdownMinutes: w.idleShutdownMinutes,
    diskGiB: w.diskGiB,
    bucketNames: w.buckets,
    users: w.users.map((u) => {
      if (!u.instanceType.startsWith("ml.")) throw internal(`workspace ${u.name}: a notebook reached the AWS target without an ml.* type (${u.instanceType})`);
      const openPolicyName = name(`ws-${u.name}-open`, IAM_POLICY);
      return {
        profileName: u.name,
        identity: u.identity,
        executionRoleName: name(`ws-${u.name}`, IAM_ROLE),
        openPolicyName,
        instanceType: u.instanceType,
        attachCommand: attachCommand(u.identity, `arn:${x.partition}:iam::${x.accountId}:policy/${openPolicyName}`),
      };
    }),
  };
}

/** `aws iam attach-user-policy …` or `attach-role-policy …` for an IAM principal ARN (user or role, any path). */
export function attachCommand(identity: string, policyArn: string): string {
  const m = /^arn:[^:]+:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(identity);
  if (!m) throw internal(`workspace identity ${identity} is not an IAM user or role ARN (the rule should have refused it)`);
  return m[1] === "user" ? `aws iam attach-user-policy --user-name ${m[2]} --policy-arn ${policyArn}` : `aws iam attach-role-policy --role-name ${m[2]} --policy-arn ${policyArn}`;
}
