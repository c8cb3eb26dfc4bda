import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hintFor, meaningfulLines } from "../../src/terraform/failure.js";
import { findTerraform, ProcessTerraformRunner } from "../../src/terraform/process-runner.js";
import { MlplatError, TerraformError } from "../../src/util/errors.js";

/**
 * The process runner against a stand-in `terraform` (a shell script): argument arrays, the log,
 * the environment, failures and signal forwarding, without the real binary.
 */
function fakeTerraform(body: string): { bin: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "mlplat-fake-tf-"));
  const bin = join(root, "terraform");
  writeFileSync(bin, `#!/bin/bash\n${body}\n`);
  chmodSync(bin, 0o755);
  const dir = mkdtempSync(join(tmpdir(), "mlplat-stack-"));
  return { bin, dir };
}

const LOCK_STDERR = `╷
│ Error: Error acquiring the state lock
│ 
│ Error message: resource temporarily unavailable
│ Lock Info:
│   ID:        4b5e7c1a-0000-1111-2222-333344445555
│   Path:      ../../../.mlplat/state/fraud-default.tfstate
│   Operation: OperationTypePlan
│ 
│ Terraform acquires a state lock to protect the state from being written
│ by multiple users at the same time.
╵`;

describe("findTerraform", () => {
  it("uses MLPLAT_TERRAFORM when it names an executable file", () => {
    const { bin } = fakeTerraform("exit 0");
    expect(findTerraform({ MLPLAT_TERRAFORM: bin, PATH: "" })).toBe(bin);
  });

  it("looks a bare name up on PATH", () => {
    const { bin } = fakeTerraform("exit 0");
    expect(findTerraform({ PATH: `/nonexistent:${join(bin, "..")}` })).toBe(bin);
  });

  it("throws a user error that says how to install terraform when it is missing", () => {
    const err = (() => {
      try {
        findTerraform({ PATH: "/nonexistent" });
      } catch (e) {
        return e as MlplatError;
      }
    })();
    expect(err).toBeInstanceOf(MlplatError);
    expect(err).toMatchObject({ code: "MLP_TERRAFORM_NOT_FOUND", exitCode: 1, message: "terraform was not found on PATH." });
    expect(err!.hint).toContain("https://developer.hashicorp.com/terraform/install");
    expect(err!.hint).toContain("MLPLAT_TERRAFORM");
  });

  it("names a wrong MLPLAT_TERRAFORM", () => {
    expect(() => findTerraform({ MLPLAT_TERRAFORM: "/no/such/terraform", PATH: "" })).toThrow('MLPLAT_TERRAFORM is set to "/no/such/terraform"');
  });
});

describe("ProcessTerraformRunner", () => {
  it("passes arguments as an array in the stack folder, with the user's environment, and logs each step", async () => {
    const { bin, dir } = fakeTerraform(`echo "cwd=$PWD args=$*|"; echo "cfg=$TF_CLI_CONFIG_FILE auto=$TF_IN_AUTOMATION" >&2`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin, PATH: process.env.PATH, TF_CLI_CONFIG_FILE: "/my/tfrc" } });
    await runner.init(dir);
    await runner.plan(dir, { out: "mlplat.tfplan", refresh: false, destroy: true, targets: ["aws_vpc.network", 'aws_s3_bucket.storage_a["x y"]'] });
    const log = readFileSync(join(dir, "terraform.log"), "utf8");
    expect(log).toMatch(/===== \S+ terraform init -no-color -input=false =====\ncwd=\S+ args=init -no-color -input=false\|\ncfg=\/my\/tfrc auto=1\n/);
    expect(log).toContain(
      `args=plan -no-color -input=false -out=mlplat.tfplan -refresh=false -destroy -target=aws_vpc.network -target=aws_s3_bucket.storage_a["x y"]|`,
    );
    expect(log).toContain(`cwd=${dir} `);
  });

  it("refuses a plan with an empty target list, which terraform would read as everything", async () => {
    const { bin, dir } = fakeTerraform("exit 0");
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    await expect(runner.plan(dir, { out: "p", destroy: true, targets: [] })).rejects.toThrow(/empty target list/);
  });

  it("returns parsed JSON from show and output, and keeps the JSON out of the log", async () => {
    const { bin, dir } = fakeTerraform(`case "$1" in show) echo '{"format_version":"1.2","resource_changes":[]}';; output) echo '{"a":{"value":1,"sensitive":false}}';; esac`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    expect(await runner.showPlan(dir, "mlplat.tfplan")).toEqual({ format_version: "1.2", resource_changes: [] });
    expect(await runner.output(dir)).toEqual({ a: { value: 1, sensitive: false } });
    const log = readFileSync(join(dir, "terraform.log"), "utf8");
    expect(log).toContain("terraform show -no-color -json mlplat.tfplan");
    expect(log).not.toContain("format_version");
  });

  it("turns a failure into a terraform error (exit 3) with the error lines, a hint and the log path", async () => {
    const { bin, dir } = fakeTerraform(`echo "Acquiring state lock. This may take a few moments..."; cat >&2 <<'EOF2'\n${LOCK_STDERR}\nEOF2\nexit 1`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const err = (await runner.plan(dir, { out: "mlplat.tfplan" }).catch((e: unknown) => e)) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^terraform plan failed in stack mlplat-stack-\w+ \(exit 1\)\.$/);
    expect(err.logFile).toBe(join(dir, "terraform.log"));
    expect(err.details).toContain("  Error: Error acquiring the state lock");
    expect(err.details).not.toContain("│");
    expect(err.details).toContain(`  log: ${join(dir, "terraform.log")}`);
    expect(err.hint).toContain("another mlplat or terraform run holds the state lock");
    expect(err.hint).toContain(`terraform force-unlock 4b5e7c1a-0000-1111-2222-333344445555\` in ${dir}`);
    expect(readFileSync(join(dir, "terraform.log"), "utf8")).toContain("Error acquiring the state lock");
  });

  it("echoes terraform's output with verbose", async () => {
    const { bin, dir } = fakeTerraform(`echo "Terraform has been successfully initialized!"`);
    const chunks: string[] = [];
    const echo = { write: (c: Buffer | string) => (chunks.push(String(c)), true) } as unknown as NodeJS.WritableStream;
    await new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin }, verbose: true, echo }).init(dir);
    expect(chunks.join("")).toContain("Terraform has been successfully initialized!");
  });

  it("forwards SIGINT to terraform once, lets it finish cleanly, and reports the interruption", async () => {
    const { bin, dir } = fakeTerraform(
      `trap 'echo "got INT, releasing lock" >&2; sleep 0.2; echo "state saved" >&2; exit 1' INT\necho started >&2\nfor i in $(seq 1 100); do sleep 0.1; done\necho "never interrupted" >&2`,
    );
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const pending = runner.apply(dir, "mlplat.tfplan").catch((e: unknown) => e);
    // Wait until the child has installed its trap before interrupting.
    for (let i = 0; i < 50 && !readLog(dir).includes("started"); i++) await new Promise((r) => setTimeout(r, 50));
    const before = process.listenerCount("SIGINT");
    process.emit("SIGINT", "SIGINT");
    const err = (await pending) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.message).toContain("terraform apply was interrupted (SIGINT)");
    const log = readLog(dir);
    expect(log.match(/got INT/g)).toHaveLength(1);
    expect(log).toContain("state saved");
    expect(log).not.toContain("never interrupted");
    expect(process.listenerCount("SIGINT")).toBe(before - 1);
  });
});

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "terraform.log"), "utf8");
  } catch {
    return "";
  }
}

describe("failure hints", () => {
  it("keeps the error block without box characters and collapses blank runs", () => {
    expect(meaningfulLines("Initializing...\n\n╷\n│ Error: No valid credential sources found\n│ \n│ \n│   with provider[\"registry.terraform.io/hashicorp/aws\"],\n╵\n")).toEqual([
      "Error: No valid credential sources found",
      "",
      '  with provider["registry.terraform.io/hashicorp/aws"],',
    ]);
  });

  it("falls back to the non-blank lines when there is no Error line", () => {
    expect(meaningfulLines("Initializing the backend...\n\nsegmentation fault\n")).toEqual(["Initializing the backend...", "", "segmentation fault"]);
  });

  it("caps the lines at the given length and points to the log", () => {
    const many = Array.from({ length: 30 }, (_, i) => `Error: e${i}`).join("\n");
    const lines = meaningfulLines(many, 5);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe("… (25 more lines in the log)");
  });

  it("recognizes missing credentials on each cloud", () => {
    expect(hintFor("Error: No valid credential sources found for AWS Provider.", "/d")?.kind).toBe("credentials");
    expect(hintFor("google: could not find default credentials.", "/d")?.kind).toBe("credentials");
    expect(hintFor("Error: building AzureRM Client: please ensure you have installed Azure CLI 2.0.79 or newer. Please run az login", "/d")?.kind).toBe(
      "credentials",
    );
  });

  it("tells an unreachable cloud API from missing credentials", () => {
    const sts = "Error: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity";
    expect(hintFor(`${sts}, request send failed, Post "https://sts.us-east-1.amazonaws.com/": dial tcp: lookup sts.us-east-1.amazonaws.com: no such host`, "/d")?.kind).toBe(
      "network",
    );
    expect(hintFor(`${sts}, https response error StatusCode: 403, api error InvalidClientTokenId`, "/d")?.kind).toBe("credentials");
  });

  it("recognizes a provider that cannot be installed", () => {
    const h = hintFor('Error: Failed to query available provider packages\nCould not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io', "/d");
    expect(h?.kind).toBe("provider");
    expect(h?.hint).toContain("TF_CLI_CONFIG_FILE");
  });

  it("recognizes a protected resource, a stale plan and a network failure", () => {
    expect(hintFor("Error: Instance cannot be destroyed", "/d")?.kind).toBe("protected");
    expect(hintFor("Error: Saved plan is stale", "/d")?.kind).toBe("stale-plan");
    expect(hintFor("dial tcp: lookup sts.us-east-1.amazonaws.com: no such host", "/d")?.kind).toBe("network");
  });

  it("tells how to migrate state when the backend changed, never doing it itself", () => {
    const h = hintFor("Error: Backend configuration changed", "/stacks/fraud-default");
    expect(h?.kind).toBe("backend-changed");
    expect(h?.hint).toContain("`terraform init -migrate-state` in /stacks/fraud-default");
  });

  it("gives no hint for an unknown failure", () => {
    expect(hintFor("Error: Unsupported argument", "/d")).toBeUndefined();
  });
});
