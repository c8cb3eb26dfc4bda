/**
 * Turning terraform's stderr into something a person can act on: the last meaningful lines
 * (the `Error:` blocks, without the box drawing) and a hint for the failures people hit most.
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}

/**
 * The lines worth showing from a failed run: from the first `Error:` on (terraform prints its
 * diagnostics last), box characters removed, blank runs collapsed, at most `max` lines.
 * Without an `Error:` line, the last non-blank lines.
 */
export function meaningfulLines(stderr: string, max = 20): string[] {
  const lines = stripAnsi(stderr)
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*[\u2502\u2577\u2575]\s?/, "").trimEnd());
  const first = lines.findIndex((l) => /^\s*Error:/.test(l));
  const picked = (first >= 0 ? lines.slice(first) : lines).filter((l, i, all) => l.trim() !== "" || (i > 0 && all[i - 1].trim() !== ""));
  while (picked.length > 0 && picked[picked.length - 1].trim() === "") picked.pop();
  return picked.length > max ? picked.slice(0, max).concat(`… (${picked.length - max} more lines in the log)`) : picked;
}

export interface FailureHint {
  readonly kind: "backend-changed" | "lock" | "credentials" | "provider" | "network" | "protected" | "stale-plan" | "remote";
  readonly hint: string;
}

/** Recognizes the common failures; `dir` is the stack directory, for commands to run there. */
export function hintFor(stderr: string, dir: string): FailureHint | undefined {
  const s = stripAnsi(stderr);
  const remote = remoteHint(s);
  if (remote) return remote;
  if (/Error acquiring the state lock|Error locking state|ConditionalCheckFailedException/i.test(s)) {
    const id = /^\s*\u2502?\s*ID:\s+(\S+)/m.exec(s)?.[1];
    return {
      kind: "lock",
      hint:
        "another mlplat or terraform run holds the state lock on this stack. Wait for it to finish and run again. " +
        `If no run is active (a run was killed), release it with \`terraform force-unlock ${id ?? "<LOCK_ID>"}\` in ${dir}.`,
    };
  }
  if (
    /Failed to query available provider packages|Failed to install provider|Failed to resolve provider packages|could not connect to registry|Required plugins are not installed|Inconsistent dependency lock file|provider registry\.terraform\.io\/\S+ .*(not available|was not found)|Missing required provider|Incompatible provider version/i.test(
      s,
    )
  ) {
    return {
      kind: "provider",
      hint:
        "terraform could not install a provider plugin. Check access to registry.terraform.io, or point TF_CLI_CONFIG_FILE at a CLI config " +
        "with a provider mirror (or set TF_PLUGIN_CACHE_DIR to a filled plugin cache) for machines without network.",
    };
  }
  // Before credentials: an STS call that cannot resolve its host fails "retrieving caller identity".
  if (/no such host|network is unreachable|TLS handshake timeout|dial tcp (?!169\.254\.169\.254)[^\n]*(i\/o timeout|connection refused)|RequestError: send request failed/i.test(s)) {
    return {
      kind: "network",
      hint: "terraform could not reach the cloud API. Check the network (proxy, VPN, DNS), then run again: the state holds whatever was already applied.",
    };
  }
  if (
    /No valid credential sources found|NoCredentialProviders|Unable to locate credentials|failed to refresh cached credentials|InvalidClientTokenId|ExpiredToken|could not find default credentials|google: could not find|Authenticating using the Azure CLI|az login|Error building AzureRM Client|retrieving caller identity|get identity/i.test(
      s,
    )
  ) {
    return {
      kind: "credentials",
      hint:
        "terraform found no valid cloud credentials. Sign in first (AWS: `aws sso login` or AWS_PROFILE / AWS_ACCESS_KEY_ID; " +
        "GCP: `gcloud auth application-default login`; Azure: `az login`), or run `mlplat plan --offline` for a plan that needs none.",
    };
  }
  if (/Instance cannot be destroyed|prevent_destroy/i.test(s)) {
    return {
      kind: "protected",
      hint:
        "the plan would destroy or replace a protected resource (`protect: true`). Revert the change that forces the replacement, " +
        "or set `protect: false` on it first if losing its data is intended.",
    };
  }
  if (/Backend configuration changed|Backend initialization required/i.test(s)) {
    return {
      kind: "backend-changed",
      hint:
        `the state backend changed since this stack was last initialized (spec.state or --state-dir). To move the existing state, run ` +
        `\`terraform init -migrate-state\` in ${dir}; mlplat never migrates state on its own.`,
    };
  }
  if (/Saved plan is stale/i.test(s)) {
    return { kind: "stale-plan", hint: "the state changed since the plan was made (another run?). Run the command again to plan afresh." };
  }
  return undefined;
}

/**
 * HCP Terraform / Terraform Enterprise (`spec.state.backend: hcp`): the failures of remote runs,
 * by the messages of terraform's cloud backend (internal/cloud/backend_apply.go,
 * backend_plan.go, backend_show.go, backend.go). Never quotes a token: terraform prints none.
 */
function remoteHint(s: string): FailureHint | undefined {
  const saved = /Saved plan (is discarded|is already applied|is already confirmed|is canceled|is errored|requires policy override|cannot be applied)/i.exec(s);
  if (saved) {
    return {
      kind: "stale-plan",
      hint:
        `the reviewed run on HCP Terraform can no longer be applied (saved plan ${saved[1]}): another run changed the workspace's state first, ` +
        "or someone discarded or canceled it, or a policy needs an override. Nothing of it was applied. Run the command again to plan afresh; the run's page is named above.",
    };
  }
  if (/Saving a generated plan is currently not supported/i.test(s)) {
    // Before terraform 1.6 the cloud backend could not save a run's plan (`plan -out`), which is
    // how mlplat applies exactly the run it reviewed.
    return {
      kind: "remote",
      hint: "with spec.state.backend: hcp, mlplat saves the remote run's plan (`terraform plan -out`), which terraform's cloud backend supports from terraform 1.6 or later: upgrade terraform (or MLPLAT_TERRAFORM).",
    };
  }
  if (/not allowed for workspaces with a VCS connection/i.test(s)) {
    return {
      kind: "remote",
      hint:
        "the HCP Terraform workspace is connected to a VCS repository, where only the VCS workflow may apply. mlplat drives CLI-driven runs: " +
        "name a workspace without a VCS connection in spec.state.workspace, or remove the connection.",
    };
  }
  if (/Required token could not be found|Failed to read organization/i.test(s)) {
    return {
      kind: "credentials",
      hint:
        "terraform has no valid API token for the HCP Terraform host: set TF_TOKEN_<host> (dots as _, e.g. TF_TOKEN_app_terraform_io) to a team or user token, " +
        "or run `terraform login <host>`. `mlplat doctor` says which one it finds, without printing it.",
    };
  }
  if (/Insufficient rights to (generate a plan|apply changes)|couldn't read unredacted JSON plan data/i.test(s)) {
    return {
      kind: "remote",
      hint:
        "the token lacks a permission mlplat needs on the workspace: queueing plans and applies, and reading the run's JSON plan, which HCP Terraform " +
        "serves only to tokens with admin access to the workspace (mlplat reviews every change from it). Use a team token with that access.",
    };
  }
  if (/Currently selected workspace "[^"]*" does not exist|No workspaces found|No existing workspaces\./i.test(s)) {
    return {
      kind: "remote",
      hint:
        "with spec.state.tags, mlplat selects the workspace named after the stack among those tags, and terraform does not create it without a prompt. " +
        "Create it (HCP Terraform UI, the tfe provider, or `terraform workspace new <stack>` in the stack folder at a terminal), or name it in spec.state.workspace.",
    };
  }
  if (/organization "[^"]*" at host \S+ not found/i.test(s)) {
    return { kind: "remote", hint: "check spec.state.organization (and spec.state.hostname for Terraform Enterprise), and that the token belongs to that organization." };
  }
  return undefined;
}

interface UiDiagnostic {
  readonly severity?: string;
  readonly summary?: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename?: string; readonly start?: { readonly line?: number } };
  readonly snippet?: { readonly context?: string | null; readonly code?: string; readonly start_line?: number };
}

/** Source lines longer than this are cut in a rendered diagnostic (a hand-written one-line JSON config). */
const MAX_SNIPPET_LINE = 160;

/**
 * A `diagnostic` message of terraform's machine-readable UI as terraform prints it to a
 * terminal (`Error: …`, where, the source lines, then the detail; without terraform's
 * word wrap). `meaningfulLines` and `hintFor` read this text as they read the stderr of a
 * command without `-json`.
 */
export function renderDiagnostic(d: UiDiagnostic): string {
  const lines = [`${d.severity === "warning" ? "Warning" : "Error"}: ${d.summary ?? "(no summary)"}`];
  const where: string[] = [];
  if (d.range?.filename) where.push(`  on ${d.range.filename} line ${d.range.start?.line ?? "?"}${d.snippet?.context ? `, in ${d.snippet.context}` : ""}:`);
  if (d.snippet?.code !== undefined && d.snippet.start_line !== undefined) {
    const first = d.snippet.start_line;
    d.snippet.code.split("\n").forEach((code, i) => {
      const cut = code.length > MAX_SNIPPET_LINE ? `${code.slice(0, MAX_SNIPPET_LINE)}…` : code;
      where.push(`${String(first + i).padStart(4)}: ${cut}`);
    });
  }
  if (d.address) where.push(`  with ${d.address},`);
  if (where.length) lines.push("", ...where);
  if (d.detail) lines.push("", d.detail);
  return lines.join("\n");
}

/**
 * The human text of one machine-readable UI message: its `@message` (terraform's one-line
 * rendering), or the full diagnostic. Undefined for a value that is not a UI message.
 */
export function uiMessageText(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as { type?: unknown; "@message"?: unknown; diagnostic?: UiDiagnostic };
  if (m.type === "diagnostic" && typeof m.diagnostic === "object" && m.diagnostic !== null) return renderDiagnostic(m.diagnostic);
  return typeof m["@message"] === "string" ? m["@message"].replace(/^\n+|\n+$/g, "") : undefined;
}
