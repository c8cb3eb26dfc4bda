import { diag, type Diagnostic, type FieldPath } from "../diagnostics.js";
import { closest } from "../did-you-mean.js";
import type { Rule } from "./rule.js";

/**
 * `spec.workspaces` (v1.1), cloud-neutral checks; the catalog lookups of the sizes run while the
 * model is built (src/model/workspaces.ts). Azure's need for the ML workspace is its own rule.
 */

/** What `identity` is on each cloud, and how to spell it. */
const IDENTITY = {
  // IAM principal ARNs (users and roles, any path, every partition):
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
  aws: {
    ok: (s: string) => /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:(user|role)\/([\x21-\x7e]+\/)*[\w+=,.@-]{1,128}$/.test(s),
    what: "an IAM principal ARN (user or role)",
    allowed: "arn:aws:iam::<12-digit account>:user/<name> | arn:aws:iam::<account>:role/<name>",
    hint: "write the ARN of the IAM user or role the person signs in as (an IAM Identity Center user signs in through a role: use arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<role>, the role's ARN, not the session's)",
  },
  // Workbench instance_owners take Google account e-mails:
  // https://cloud.google.com/vertex-ai/docs/workbench/instances/manage-access-jupyterlab
  gcp: {
    ok: (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && !s.includes("/"),
    what: "a Google account e-mail",
    allowed: "user@example.com",
    hint: "write the e-mail address the person signs in to Google Cloud with",
  },
  // assign_to_user.object_id is an Entra object ID (a UUID):
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/machine_learning_compute_instance
  azure: {
    ok: (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
    what: "an Entra object ID (UUID)",
    allowed: "00000000-0000-0000-0000-000000000000",
    hint: "write the user's object ID (az ad user show --id <upn> --query id -o tsv)",
  },
} as const;

/** Declared buckets, unique user names, identity per cloud, one of gpu/instanceType per level. */
export const workspaces: Rule = ({ bp }) => {
  const w = bp.spec.workspaces;
  if (!w) return [];
  const out: Diagnostic[] = [];
  const base: FieldPath = ["spec", "workspaces"];
  const buckets = bp.spec.storage.buckets.map((b) => b.name);
  w.buckets.forEach((b, j) => {
    if (!buckets.includes(b)) out.push(unknownBucket("MLP_WORKSPACE_BUCKET_UNKNOWN", `workspace bucket \`${b}\``, b, buckets, [...base, "buckets", j]));
  });
  out.push(...oneSize(w, base));
  const seen = new Map<string, number>();
  const id = IDENTITY[bp.spec.cloud];
  w.users.forEach((u, i) => {
    const at: FieldPath = [...base, "users", i];
    const first = seen.get(u.name);
    if (first !== undefined) {
      out.push(diag({ code: "MLP_DUPLICATE_NAME", message: `workspace user name \`${u.name}\` is used twice (also at spec.workspaces.users[${first}]).`, path: [...at, "name"], found: u.name, hint: "give each user their own name: it names their notebook and its role." }));
    } else seen.set(u.name, i);
    if (u.name.endsWith("-")) {
      out.push(diag({ code: "MLP_WORKSPACE_USER_NAME", message: "a workspace user name may not end with '-': it names the user's SageMaker profile, Workbench instance or compute instance, none of which allow it.", path: [...at, "name"], found: u.name, hint: `write ${u.name.replace(/-+$/, "")}.` }));
    }
    if (!id.ok(u.identity)) {
      out.push(
        diag({
          code: "MLP_WORKSPACE_IDENTITY",
          message: `on ${bp.spec.cloud}, a workspace user's identity is ${id.what}.`,
          path: [...at, "identity"],
          found: u.identity,
          allowed: id.allowed,
          hint: `${id.hint}; an environment that changes \`cloud\` overrides each user's identity (users merge on name).`,
        }),
      );
    } else if (bp.spec.cloud === "aws" && bp.spec.aws?.accountId && u.identity.split(":")[4] !== bp.spec.aws.accountId) {
      out.push(
        diag({
          code: "MLP_WORKSPACE_IDENTITY_ACCOUNT",
          message: `identity ${u.identity} is in another AWS account than the platform (${bp.spec.aws.accountId}); only a principal of the domain's account can open its workspace.`,
          path: [...at, "identity"],
          found: u.identity.split(":")[4],
          allowed: bp.spec.aws.accountId,
          hint: `name the IAM user or role the person uses in account ${bp.spec.aws.accountId} (a role they assume from their own account).`,
        }),
      );
    }
    out.push(...oneSize(u, at));
  });
  // SageMaker idle shutdown: IdleTimeoutInMinutes is 60-525600
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-domain-idlesettings.html).
  if (bp.spec.cloud === "aws" && w.idleShutdownMinutes > 0 && w.idleShutdownMinutes < 60) {
    out.push(
      diag({
        code: "MLP_WORKSPACE_IDLE_SHUTDOWN",
        message: `SageMaker shuts idle JupyterLab apps down after 60 minutes at the least, not ${w.idleShutdownMinutes}.`,
        path: [...base, "idleShutdownMinutes"],
        found: String(w.idleShutdownMinutes),
        allowed: "0 (never) or 60-10080",
        hint: "set idleShutdownMinutes to 60 or more, or 0 to never stop idle notebooks.",
      }),
    );
  }
  return out;
};

function oneSize(o: { gpu?: unknown; instanceType?: string }, at: FieldPath): Diagnostic[] {
  if (!(o.gpu && o.instanceType)) return [];
  return [
    diag({
      code: "MLP_WORKSPACE_COMPUTE",
      message: "give either `gpu` or `instanceType` for a notebook, not both.",
      path: [...at, "instanceType"],
      found: o.instanceType,
      hint: "keep gpu (mlplat picks the size) or instanceType (exactly that size), and remove the other.",
    }),
  ];
}

/** A bucket reference that spec.storage.buckets does not declare (shared with the tracking rule). */
export function unknownBucket(code: string, what: string, name: string, declared: readonly string[], path: FieldPath): Diagnostic {
  const guess = closest(name, declared);
  return diag({
    code,
    message: `${what} is not declared in spec.storage.buckets.`,
    path,
    found: name,
    allowed: declared.length ? declared.join(", ") : "none declared",
    hint: guess ? `did you mean \`${guess}\`?` : "declare it under spec.storage.buckets, or name a declared bucket.",
  });
}
