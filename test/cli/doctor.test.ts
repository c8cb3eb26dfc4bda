import { describe, expect, it } from "vitest";
import { runChecks, type DoctorProbe, type ProgramResult } from "../../src/doctor/checks.js";
import { mlplat } from "../helpers/cli.js";

/** A machine described by recorded answers: program → result, files that exist. */
function probe(opts: { programs?: Record<string, ProgramResult>; files?: Record<string, string>; env?: NodeJS.ProcessEnv; online?: boolean; node?: string }): DoctorProbe & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    env: opts.env ?? {},
    nodeVersion: opts.node ?? "v20.20.2",
    home: "/home/u",
    run: async (program, args) => {
      calls.push([program, ...args].join(" "));
      return opts.programs?.[program] ?? { code: null, stdout: "", stderr: `spawn ${program} ENOENT` };
    },
    exists: (p) => Object.keys(opts.files ?? {}).some((f) => f === p || f.startsWith(p + "/")),
    read: (p) => opts.files?.[p],
    reachable: async () => opts.online ?? false,
  };
}

const TF: ProgramResult = { code: 0, stdout: JSON.stringify({ terraform_version: "1.11.4", platform: "linux_amd64" }), stderr: "" };
const KUBECTL: ProgramResult = { code: 0, stdout: JSON.stringify({ clientVersion: { gitVersion: "v1.32.4" } }), stderr: "" };

describe("mlplat doctor checks", () => {
  it("a ready machine: terraform and kubectl versions, the mirror from the CLI config, credentials found offline", async () => {
    const p = probe({
      programs: { terraform: TF, kubectl: KUBECTL },
      env: { TF_CLI_CONFIG_FILE: "/cfg/cli.tfrc", AWS_PROFILE: "platform" },
      files: { "/cfg/cli.tfrc": 'provider_installation {\n  filesystem_mirror {\n    path    = "/opt/tf-plugins"\n  }\n}', "/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0": "" },
    });
    const checks = await runChecks(p, { offline: true, blueprint: { cloud: "aws", hasCluster: true, backend: "local" } });
    expect(checks.map((c) => `${c.status} ${c.name}: ${c.detail}`)).toEqual([
      "ok node: Node.js 20.20.2",
      "ok terraform: terraform 1.11.4",
      "ok kubectl: kubectl v1.32.4",
      "ok providers: filesystem mirror /opt/tf-plugins (from /cfg/cli.tfrc)",
      "ok aws credentials: found $AWS_PROFILE (not verified: --offline)",
      "ok state: local state in .mlplat/state",
    ]);
    expect(p.calls).toEqual(["terraform version -json", "kubectl version --client -o json"]);
  });

  it("fails what a deploy needs: no terraform, old node, no credentials for the blueprint's cloud, an empty mirror", async () => {
    const checks = await runChecks(
      probe({ node: "v18.19.0", env: { TF_CLI_CONFIG_FILE: "/cfg/cli.tfrc" }, files: { "/cfg/cli.tfrc": 'filesystem_mirror { path = "/empty" }' } }),
      { offline: true, blueprint: { cloud: "gcp", hasCluster: true, backend: "local" } },
    );
    expect(checks.filter((c) => c.status === "fail").map((c) => c.name)).toEqual(["node", "terraform", "kubectl", "providers", "gcp credentials"]);
    expect(checks.find((c) => c.name === "terraform")!.fix).toContain("MLPLAT_TERRAFORM");
  });

  it("online: verifies credentials with the cloud's own identity call and the remote state bucket", async () => {
    const p = probe({
      programs: {
        terraform: TF,
        kubectl: KUBECTL,
        aws: { code: 255, stdout: "", stderr: "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n" },
      },
      online: true,
    });
    const checks = await runChecks(p, { offline: false, blueprint: { cloud: "aws", hasCluster: false, backend: "s3", bucket: "acme-tfstate" } });
    expect(checks.find((c) => c.name === "providers")).toMatchObject({ status: "ok", detail: "registry.terraform.io reachable" });
    expect(checks.find((c) => c.name === "aws credentials")).toMatchObject({ status: "fail", detail: 'aws sts get-caller-identity: Unable to locate credentials. You can configure credentials by running "aws configure".' });
    expect(checks.find((c) => c.name === "state")).toMatchObject({ status: "fail" });
    expect(p.calls).toContain("aws s3api head-bucket --bucket acme-tfstate");
  });

  it("without a blueprint, missing kubectl and credentials are warnings, not failures", async () => {
    const checks = await runChecks(probe({ programs: { terraform: TF } }), { offline: true });
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(checks.map((c) => c.status)).toEqual(["ok", "ok", "warn", "warn", "warn", "warn", "warn"]);
  });
});

describe("mlplat doctor (built CLI)", () => {
  it("exits 1 naming what failed when the blueprint's cloud has no credentials (offline)", () => {
    const r = mlplat(["doctor", "blueprints/llm-serving.yaml", "--offline"], { env: { HOME: "/nonexistent", AWS_PROFILE: "", AWS_ACCESS_KEY_ID: "" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fail aws credentials\s+none found/m);
    expect(r.stderr).toContain("error [MLP_DOCTOR_FAILED] 1 check failed: aws credentials.");
  });

  it("--json lists the checks", () => {
    const r = mlplat(["doctor", "--offline", "--json"], { env: { HOME: "/nonexistent" } });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { checks: { name: string }[] }).checks.map((c) => c.name).slice(0, 3)).toEqual(["node", "terraform", "kubectl"]);
  });

  describe("state on HCP Terraform (spec.state.backend: hcp)", () => {
    const hcp = { hostname: "tfe.acme-corp.example", organization: "acme-ml", workspace: "fraud-prod" };
    const bp = { cloud: "aws" as const, hasCluster: false, backend: "hcp", hcp };
    const SECRET = "atlasv1.doctor-must-never-print-this";

    it("finds the token in TF_TOKEN_<host> (dots as _, dashes as __), names where, never prints it; online, asks the host's discovery", async () => {
      const p = probe({ programs: { terraform: TF }, env: { TF_TOKEN_tfe_acme__corp_example: SECRET }, online: true });
      const state = (await runChecks(p, { offline: false, blueprint: bp })).find((c) => c.name === "state")!;
      expect(state).toMatchObject({ status: "ok", detail: "HCP Terraform tfe.acme-corp.example, workspace acme-ml/fraud-prod: token in $TF_TOKEN_tfe_acme__corp_example, host reachable" });
      expect(JSON.stringify(state)).not.toContain(SECRET);
      const offline = (await runChecks(p, { offline: true, blueprint: bp })).find((c) => c.name === "state")!;
      expect(offline.detail).toContain("(host not contacted: --offline)");
    });

    it("finds it in the credentials file `terraform login` writes; fails with the fix when there is none, or the host does not answer", async () => {
      const creds = { "/home/u/.terraform.d/credentials.tfrc.json": JSON.stringify({ credentials: { "tfe.acme-corp.example": { token: SECRET } } }) };
      const fromFile = (await runChecks(probe({ programs: { terraform: TF }, files: creds }), { offline: true, blueprint: bp })).find((c) => c.name === "state")!;
      expect(fromFile).toMatchObject({ status: "ok", detail: expect.stringContaining("token in ~/.terraform.d/credentials.tfrc.json") });
      const none = (await runChecks(probe({ programs: { terraform: TF } }), { offline: true, blueprint: bp })).find((c) => c.name === "state")!;
      expect(none).toMatchObject({ status: "fail", fix: "export TF_TOKEN_tfe_acme__corp_example=<team or user token>, or run `terraform login tfe.acme-corp.example`" });
      const cliConfig = { "/cfg/cli.tfrc": 'credentials "tfe.acme-corp.example" {\n  token = "x"\n}\n' };
      const fromCli = (await runChecks(probe({ programs: { terraform: TF }, files: cliConfig, env: { TF_CLI_CONFIG_FILE: "/cfg/cli.tfrc" } }), { offline: true, blueprint: bp })).find((c) => c.name === "state")!;
      expect(fromCli).toMatchObject({ status: "ok", detail: expect.stringContaining("token in the CLI configuration /cfg/cli.tfrc") });
      const withPort = { ...bp, hcp: { ...hcp, hostname: "tfe.acme-corp.example:8443" } };
      const portEnv = (await runChecks(probe({ programs: { terraform: TF }, env: { TF_TOKEN_tfe_acme__corp_example: SECRET } }), { offline: true, blueprint: withPort })).find((c) => c.name === "state")!;
      expect(portEnv).toMatchObject({ status: "fail", fix: expect.stringContaining("TF_TOKEN_* variables cannot name a port") });
      const down = (await runChecks(probe({ programs: { terraform: TF }, files: creds, online: false }), { offline: false, blueprint: bp })).find((c) => c.name === "state")!;
      expect(down).toMatchObject({ status: "fail", detail: expect.stringContaining("https://tfe.acme-corp.example unreachable") });
    });
  });
});
