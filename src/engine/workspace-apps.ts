import { readStackText } from "../output/stack-files.js";
import { join } from "node:path";
import { z } from "zod";
import type { CommandRunner } from "../quota/preflight.js";
import { MlplatError } from "../util/errors.js";
import type { Clock, EngineDeps, SynthedStack } from "./ports.js";

/**
 * SageMaker Studio apps and spaces block the deletion of the domain and its user profiles
 * (DeleteDomain/DeleteUserProfile fail while a space or app that is not Deleted exists:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/gs-studio-delete-domain.html). Users create
 * them in Studio, outside Terraform, so a destroy that removes the workspaces domain first lists
 * them through the `aws` CLI (the engine's `cloudCli` port) and:
 *  - stops with MLP_WORKSPACE_APPS (exit 1, nothing destroyed) naming each one and the fix, unless
 *  - the user consents: `--delete-workspace-apps`, or "yes" at the prompt on a terminal. Then,
 *    once the destroy itself is confirmed, each app is deleted, then each space, waiting until
 *    SageMaker reports them gone, and the destroy goes on.
 * The home EFS file system is retained by the domain's retention policy (Retain) and outlives
 * the destroy: the report says so.
 */

/** Between polls while SageMaker deletes apps and spaces (tests pass a clock that returns at once). */
export const timerClock: Clock = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** `aws_sagemaker_domain.workspaces`: stacks/aws/workspaces.ts. */
export const WORKSPACE_DOMAIN_ADDRESS = "aws_sagemaker_domain.workspaces";

const Apps = z.object({
  Apps: z.array(z.object({ DomainId: z.string(), SpaceName: z.string().optional(), UserProfileName: z.string().optional(), AppType: z.string(), AppName: z.string(), Status: z.string().optional() })).default([]),
});
const Spaces = z.object({ Spaces: z.array(z.object({ DomainId: z.string(), SpaceName: z.string(), Status: z.string().optional() })).default([]) });
const Domains = z.object({ Domains: z.array(z.object({ DomainId: z.string(), DomainName: z.string() })).default([]) });

export interface StudioApp {
  readonly spaceName?: string;
  readonly userProfileName?: string;
  readonly appType: string;
  readonly appName: string;
  readonly status: string;
}
export interface StudioSpace {
  readonly spaceName: string;
  readonly status: string;
}
export interface WorkspaceLeftovers {
  readonly domainId: string;
  readonly domainName: string;
  readonly region: string;
  readonly apps: readonly StudioApp[];
  readonly spaces: readonly StudioSpace[];
}

/** Only Deleted ones are gone: Failed apps and spaces still block the domain (Deleting ones are waited for). */
const GONE = new Set(["Deleted"]);

/** The domain name and region from the stack's cdk.tf.json; undefined without a workspaces domain. */
export function workspaceDomainOf(stackDir: string): { domainName: string; region: string } | undefined {
  const json = JSON.parse(readStackText(stackDir, "cdk.tf.json")) as {
    resource?: { aws_sagemaker_domain?: Record<string, { domain_name?: string }> };
    provider?: { aws?: { region?: string }[] };
  };
  const domainName = json.resource?.aws_sagemaker_domain?.workspaces?.domain_name;
  const region = json.provider?.aws?.[0]?.region;
  return domainName && region ? { domainName, region } : undefined;
}

async function awsJson<T>(aws: CommandRunner, args: string[], schema: z.ZodType<T>, what: string): Promise<T> {
  let out: string;
  try {
    out = await aws("aws", [...args, "--output", "json"]);
  } catch (e) {
    throw new MlplatError("MLP_WORKSPACE_APPS_LIST", `could not ${what} with the aws CLI: ${(e as Error).message}`, {
      exitCode: 3,
      hint: "check the AWS credentials (aws sts get-caller-identity) and that the aws CLI v2 is installed; nothing was destroyed.",
    });
  }
  const parsed = schema.safeParse(out.trim() ? JSON.parse(out) : {});
  if (!parsed.success) throw new MlplatError("MLP_WORKSPACE_APPS_LIST", `the aws CLI's answer to ${what} was not what mlplat expects.`, { exitCode: 3, hint: "update the aws CLI to v2; nothing was destroyed." });
  return parsed.data;
}

/** The live apps and spaces of the platform's domain; undefined when the domain does not exist (any more). */
export async function listWorkspaceLeftovers(aws: CommandRunner, domain: { domainName: string; region: string }): Promise<WorkspaceLeftovers | undefined> {
  const r = ["--region", domain.region];
  const domains = await awsJson(aws, ["sagemaker", "list-domains", ...r], Domains, "list the SageMaker domains");
  const d = domains.Domains.find((x) => x.DomainName === domain.domainName);
  if (!d) return undefined;
  const apps = await awsJson(aws, ["sagemaker", "list-apps", "--domain-id-equals", d.DomainId, ...r], Apps, "list the Studio apps");
  const spaces = await awsJson(aws, ["sagemaker", "list-spaces", "--domain-id-equals", d.DomainId, ...r], Spaces, "list the Studio spaces");
  return {
    domainId: d.DomainId,
    domainName: domain.domainName,
    region: domain.region,
    apps: apps.Apps.filter((a) => !GONE.has(a.Status ?? "")).map((a) => ({ spaceName: a.SpaceName, userProfileName: a.UserProfileName, appType: a.AppType, appName: a.AppName, status: a.Status ?? "unknown" })),
    spaces: spaces.Spaces.filter((s) => !GONE.has(s.Status ?? "")).map((s) => ({ spaceName: s.SpaceName, status: s.Status ?? "unknown" })),
  };
}

export function renderLeftovers(l: WorkspaceLeftovers): string {
  const lines = [`  Created in SageMaker Studio (outside Terraform), they block deleting domain ${l.domainName} (${l.domainId}):`];
  for (const a of l.apps) lines.push(`    app ${a.appType}/${a.appName} in ${a.spaceName ? `space ${a.spaceName}` : `profile ${a.userProfileName ?? "?"}`} (${a.status})`);
  for (const s of l.spaces) lines.push(`    space ${s.spaceName} (${s.status})`);
  return lines.join("\n");
}

/** MLP_WORKSPACE_APPS: the refusal, with the list and both fixes. */
export function leftoversError(stack: string, l: WorkspaceLeftovers): MlplatError {
  const n = l.apps.length + l.spaces.length;
  return new MlplatError("MLP_WORKSPACE_APPS", `Stack ${stack}: ${n} SageMaker Studio app${n === 1 ? "" : "s"} and space${n === 1 ? "" : "s"} created outside Terraform block deleting the workspaces domain; nothing was destroyed.\n${renderLeftovers(l)}`, {
    hint: "Run mlplat destroy again with --delete-workspace-apps to delete them (the users' unsaved work in them is lost; files in their home folders stay on the retained EFS volume), or delete them in Studio first.",
  });
}

/**
 * Deletes the apps, then the spaces, waiting for each kind to be gone (SageMaker deletes them
 * asynchronously; a space with a live app cannot be deleted). `clock` paces the polls.
 */
export async function deleteWorkspaceLeftovers(deps: EngineDeps, stack: SynthedStack, l: WorkspaceLeftovers, clock: Clock, opts: { pollMs?: number; maxPolls?: number } = {}): Promise<void> {
  const aws = deps.cloudCli!(stack.dir);
  const r = ["--region", l.region];
  const poll = opts.pollMs ?? 10_000;
  const maxPolls = opts.maxPolls ?? 90;
  await deps.progress.step("delete-studio-apps", stack.name, async () => {
    for (const a of l.apps.filter((x) => x.status !== "Deleting")) {
      const owner = a.spaceName ? ["--space-name", a.spaceName] : ["--user-profile-name", a.userProfileName ?? ""];
      await aws("aws", ["sagemaker", "delete-app", "--domain-id", l.domainId, ...owner, "--app-type", a.appType, "--app-name", a.appName, ...r]);
    }
    await waitGone(deps, stack, l, clock, poll, maxPolls, (x) => x.apps.length === 0, "apps");
    for (const s of l.spaces.filter((x) => x.status !== "Deleting")) {
      await aws("aws", ["sagemaker", "delete-space", "--domain-id", l.domainId, "--space-name", s.spaceName, ...r]);
    }
    await waitGone(deps, stack, l, clock, poll, maxPolls, (x) => x.spaces.length === 0, "spaces");
  });
  deps.ui.print(`Stack ${stack.name}: deleted ${l.apps.length} Studio app(s) and ${l.spaces.length} space(s) of domain ${l.domainName}.`);
}

async function waitGone(deps: EngineDeps, stack: SynthedStack, l: WorkspaceLeftovers, clock: Clock, pollMs: number, maxPolls: number, done: (x: WorkspaceLeftovers) => boolean, what: string): Promise<void> {
  for (let i = 0; i < maxPolls; i++) {
    const now = await listWorkspaceLeftovers(deps.cloudCli!(stack.dir), l);
    if (!now || done(now)) return;
    await clock.sleep(pollMs);
  }
  throw new MlplatError("MLP_WORKSPACE_APPS_TIMEOUT", `Stack ${stack.name}: the Studio ${what} of domain ${l.domainName} were still being deleted after ${Math.round((pollMs * maxPolls) / 60_000)} minutes; nothing was destroyed.`, {
    exitCode: 3,
    hint: "Check them in SageMaker Studio (aws sagemaker list-apps --domain-id-equals " + l.domainId + "), then run mlplat destroy again.",
  });
}
