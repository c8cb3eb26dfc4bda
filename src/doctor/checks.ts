/**
 * `mlplat doctor`: is this machine ready to plan and deploy? One line per check, each `ok`,
 * `warn` (works, with a caveat) or `fail` (something needed is missing: exit 1).
 *
 * Every probe goes through the `DoctorProbe` port (run a program, read a file, look at the
 * environment), so the checks are pure and tested on recorded answers. `--offline` makes no
 * network call and no cloud call: credentials are then judged by their presence only.
 */
import { tokenVariable } from "../terraform/remote-run.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** How to fix it, for warn and fail. */
  readonly fix?: string;
}

export interface ProgramResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DoctorProbe {
  readonly env: NodeJS.ProcessEnv;
  readonly nodeVersion: string;
  readonly home: string;
  run(program: string, args: readonly string[]): Promise<ProgramResult>;
  exists(path: string): boolean;
  read(path: string): string | undefined;
  /** HTTPS reachability of a URL (online only). */
  reachable(url: string): Promise<boolean>;
}

export interface DoctorOptions {
  readonly offline: boolean;
  /** The blueprint's cloud, cluster and state backend, when a blueprint was given. */
  readonly blueprint?: {
    readonly cloud: "aws" | "gcp" | "azure";
    readonly hasCluster: boolean;
    readonly backend: string;
    readonly stateDir?: string;
    readonly bucket?: string;
    /** spec.state.backend: hcp */
    readonly hcp?: { readonly hostname: string; readonly organization: string; readonly workspace: string };
  };
}

const MIN_TERRAFORM = [1, 5];

function versionAtLeast(v: string, min: readonly number[]): boolean {
  const parts = v.replace(/^v/, "").split(".").map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) > min[i]!) return true;
    if ((parts[i] ?? 0) < min[i]!) return false;
  }
  return true;
}

export async function runChecks(probe: DoctorProbe, opts: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const node = probe.nodeVersion.replace(/^v/, "");
  checks.push(
    versionAtLeast(node, [20])
      ? { name: "node", status: "ok", detail: `Node.js ${node}` }
      : { name: "node", status: "fail", detail: `Node.js ${node}`, fix: "install Node.js 20 or newer" },
  );

  const tfBin = probe.env.MLPLAT_TERRAFORM || "terraform";
  const tf = await probe.run(tfBin, ["version", "-json"]);
  if (tf.code !== 0) {
    checks.push({ name: "terraform", status: "fail", detail: `${tfBin} not found or not runnable`, fix: "install terraform 1.5+ (https://developer.hashicorp.com/terraform/install) or point MLPLAT_TERRAFORM at it" });
  } else {
    const version = (JSON.parse(tf.stdout) as { terraform_version?: string }).terraform_version ?? "unknown";
    checks.push(
      versionAtLeast(version, MIN_TERRAFORM)
        ? { name: "terraform", status: "ok", detail: `${tfBin} ${version}` }
        : { name: "terraform", status: "fail", detail: `${tfBin} ${version}`, fix: "mlplat needs terraform 1.5 or newer" },
    );
  }

  const kubectlBin = probe.env.MLPLAT_KUBECTL || "kubectl";
  const kc = await probe.run(kubectlBin, ["version", "--client", "-o", "json"]);
  const needsKubectl = opts.blueprint?.hasCluster ?? true;
  if (kc.code !== 0) {
    checks.push({
      name: "kubectl",
      status: needsKubectl && opts.blueprint ? "fail" : "warn",
      detail: `${kubectlBin} not found`,
      fix: "install kubectl (deploy applies k8s/ with it; --skip-kubernetes leaves that to GitOps) or point MLPLAT_KUBECTL at it",
    });
  } else {
    const version = (JSON.parse(kc.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? "unknown";
    checks.push({ name: "kubectl", status: "ok", detail: `${kubectlBin} ${version}` });
  }

  checks.push(await providerSource(probe, opts));
  for (const cloud of opts.blueprint ? [opts.blueprint.cloud] : (["aws", "gcp", "azure"] as const)) checks.push(await credentials(probe, cloud, opts));
  if (opts.blueprint) checks.push(await stateBackend(probe, opts));
  return checks;
}

/** The CLI config's filesystem mirror (and that it holds providers), or the public registry. */
async function providerSource(probe: DoctorProbe, opts: DoctorOptions): Promise<Check> {
  const cfg = probe.env.TF_CLI_CONFIG_FILE;
  const text = cfg ? probe.read(cfg) : undefined;
  const mirror = text?.match(/filesystem_mirror\s*\{[^}]*path\s*=\s*"([^"]+)"/)?.[1];
  if (mirror) {
    const hashicorp = `${mirror}/registry.terraform.io/hashicorp`;
    return probe.exists(hashicorp)
      ? { name: "providers", status: "ok", detail: `filesystem mirror ${mirror} (from ${cfg})` }
      : { name: "providers", status: "fail", detail: `${cfg} names the mirror ${mirror}, which has no registry.terraform.io/hashicorp providers`, fix: "fill the mirror (terraform providers mirror) or fix TF_CLI_CONFIG_FILE" };
  }
  if (opts.offline) return { name: "providers", status: "warn", detail: "no filesystem mirror configured; the registry was not contacted (--offline)", fix: "run without --offline to check registry.terraform.io" };
  return (await probe.reachable("https://registry.terraform.io/.well-known/terraform.json"))
    ? { name: "providers", status: "ok", detail: "registry.terraform.io reachable" }
    : { name: "providers", status: "fail", detail: "no filesystem mirror configured and registry.terraform.io is unreachable", fix: "allow HTTPS to registry.terraform.io, or configure a provider mirror in a CLI config (TF_CLI_CONFIG_FILE)" };
}

const CREDENTIAL_HINTS = {
  aws: { vars: ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI"], files: [".aws/credentials", ".aws/config"], identity: ["aws", ["sts", "get-caller-identity", "--output", "json"]] },
  gcp: { vars: ["GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"], files: [".config/gcloud/application_default_credentials.json"], identity: ["gcloud", ["auth", "application-default", "print-access-token"]] },
  azure: { vars: ["ARM_CLIENT_ID", "ARM_USE_OIDC", "ARM_USE_MSI", "AZURE_CLIENT_ID"], files: [".azure/azureProfile.json"], identity: ["az", ["account", "show", "--output", "json"]] },
} as const;

/** Which clouds have credentials: by presence offline, by the cloud's own identity call online. */
async function credentials(probe: DoctorProbe, cloud: "aws" | "gcp" | "azure", opts: DoctorOptions): Promise<Check> {
  const h = CREDENTIAL_HINTS[cloud];
  const fromEnv = h.vars.filter((v) => probe.env[v]);
  const fromFile = h.files.filter((f) => probe.exists(`${probe.home}/${f}`));
  const where = [...fromEnv.map((v) => `$${v}`), ...fromFile.map((f) => `~/${f}`)];
  const needed = opts.blueprint?.cloud === cloud;
  const missing: CheckStatus = needed ? "fail" : "warn";
  if (opts.offline) {
    return where.length
      ? { name: `${cloud} credentials`, status: "ok", detail: `found ${where.join(", ")} (not verified: --offline)` }
      : { name: `${cloud} credentials`, status: missing, detail: "none found in the environment or the usual files", fix: `sign in (${h.identity[0]} CLI) or export ${h.vars[0]}` };
  }
  const [program, args] = h.identity;
  const r = await probe.run(program, args);
  if (r.code === 0) return { name: `${cloud} credentials`, status: "ok", detail: `${program} ${args.slice(0, 2).join(" ")} succeeded` };
  const why = r.stderr.split("\n").find((l) => l.trim())?.trim().slice(0, 160) ?? "failed";
  return { name: `${cloud} credentials`, status: missing, detail: `${program} ${args.slice(0, 2).join(" ")}: ${why}`, fix: `sign in (${program} CLI) or export ${h.vars[0]}` };
}

/** The blueprint's state: a writable local folder, or a remote backend that answers (online). */
async function stateBackend(probe: DoctorProbe, opts: DoctorOptions): Promise<Check> {
  const bp = opts.blueprint!;
  if (bp.backend === "local") return { name: "state", status: "ok", detail: `local state in ${bp.stateDir ?? ".mlplat/state"}` };
  if (bp.hcp) return hcpState(probe, bp.hcp, opts);
  if (opts.offline) return { name: "state", status: "warn", detail: `${bp.backend} backend not contacted (--offline)` };
  const probes: Record<string, [string, string[]]> = {
    s3: ["aws", ["s3api", "head-bucket", "--bucket", bp.bucket ?? ""]],
    gcs: ["gcloud", ["storage", "buckets", "describe", `gs://${bp.bucket ?? ""}`, "--format=json"]],
    azurerm: ["az", ["storage", "account", "show", "--name", bp.bucket ?? "", "--output", "json"]],
  };
  const p = probes[bp.backend];
  if (!p) return { name: "state", status: "warn", detail: `${bp.backend} backend: no reachability check` };
  const r = await probe.run(p[0], p[1]);
  return r.code === 0
    ? { name: "state", status: "ok", detail: `${bp.backend} ${bp.bucket} reachable` }
    : { name: "state", status: "fail", detail: `${bp.backend} ${bp.bucket}: ${r.stderr.split("\n").find((l) => l.trim())?.trim().slice(0, 160) ?? "unreachable"}`, fix: "create the state bucket/account first, or check the credentials' access to it" };
}

/**
 * HCP Terraform / Terraform Enterprise: a token for the host where terraform looks for one
 * (TF_TOKEN_<host>, then the CLI config's credentials file, as `terraform login` writes it),
 * named but never printed; online, the host's service discovery answers.
 * https://developer.hashicorp.com/terraform/cli/config/config-file#credentials
 */
async function hcpState(probe: DoctorProbe, hcp: NonNullable<NonNullable<DoctorOptions["blueprint"]>["hcp"]>, opts: DoctorOptions): Promise<Check> {
  const where = `HCP Terraform ${hcp.hostname}, workspace ${hcp.organization}/${hcp.workspace}`;
  const variable = tokenVariable(hcp.hostname);
  const file = `${probe.home}/.terraform.d/credentials.tfrc.json`;
  const inFile = (() => {
    try {
      const creds = JSON.parse(probe.read(file) ?? "{}") as { credentials?: Record<string, { token?: unknown }> };
      return typeof creds.credentials?.[hcp.hostname]?.token === "string";
    } catch {
      return false;
    }
  })();
  // A credentials block of the CLI configuration (TF_CLI_CONFIG_FILE): `credentials "<host>" { token = … }`.
  const cliConfig = probe.env.TF_CLI_CONFIG_FILE;
  const host = hcp.hostname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const inCliConfig = cliConfig !== undefined && new RegExp(`credentials\\s+"${host}"\\s*\\{[^}]*token\\s*=`).test(probe.read(cliConfig) ?? "");
  // Terraform reads TF_TOKEN_<host> only for a host without a port.
  const fromEnv = !/:\d+$/.test(hcp.hostname) && probe.env[variable];
  const token = fromEnv ? `$${variable}` : inFile ? "~/.terraform.d/credentials.tfrc.json" : inCliConfig ? `the CLI configuration ${cliConfig}` : undefined;
  if (!token) {
    const fix = /:\d+$/.test(hcp.hostname)
      ? `run \`terraform login ${hcp.hostname}\`, or add a credentials "${hcp.hostname}" block to the CLI configuration (TF_TOKEN_* variables cannot name a port)`
      : `export ${variable}=<team or user token>, or run \`terraform login ${hcp.hostname}\``;
    return { name: "state", status: "fail", detail: `${where}: no API token found`, fix };
  }
  if (opts.offline) return { name: "state", status: "ok", detail: `${where}: token in ${token} (host not contacted: --offline)` };
  return (await probe.reachable(`https://${hcp.hostname}/.well-known/terraform.json`))
    ? { name: "state", status: "ok", detail: `${where}: token in ${token}, host reachable` }
    : { name: "state", status: "fail", detail: `${where}: https://${hcp.hostname} unreachable (token in ${token})`, fix: "allow HTTPS to the host (proxy, VPN), or check spec.state.hostname" };
}
