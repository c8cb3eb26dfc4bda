import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hintFor, meaningfulLines, renderDiagnostic, uiMessageText } from "../../src/terraform/failure.js";
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

/** Lines of a `terraform plan -json` (shapes as terraform 1.11 prints them), planned changes out of order as they arrive. */
const STREAM = [
  `{"@level":"info","@message":"Terraform 1.11.4","@module":"terraform.ui","type":"version","terraform":"1.11.4","ui":"1.2"}`,
  `{"@level":"info","@message":"terraform_data.network: Refreshing state... [id=n]","@module":"terraform.ui","type":"refresh_start","hook":{"resource":{"addr":"terraform_data.network"}}}`,
  ...[
    ["terraform_data.storage_b", "storage_b", null, "delete"],
    ['terraform_data.storage[\\"b\\"]', "storage", '"b"', "create"],
    ["terraform_data.network", "network", null, "update"],
    ['terraform_data.storage[\\"a\\"]', "storage", '"a"', "create"],
  ].map(
    ([addr, name, key, action]) =>
      `{"@level":"info","@message":"${addr}: Plan to ${action}","@module":"terraform.ui","type":"planned_change","change":{"resource":{"addr":"${addr}","module":"","resource":"${addr}","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"${name}","resource_key":${key ?? "null"}},"action":"${action}"}}`,
  ),
  `{"@level":"info","@message":"Plan: 2 to add, 1 to change, 1 to destroy.","@module":"terraform.ui","type":"change_summary","changes":{"add":2,"change":1,"import":0,"remove":1,"operation":"plan"}}`,
];

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
      `args=plan -no-color -input=false -json -out=mlplat.tfplan -refresh=false -destroy -target=aws_vpc.network -target=aws_s3_bucket.storage_a["x y"]|`,
    );
    expect(log).toContain(`cwd=${dir} `);
  });

  it("keeps terraform's data folder in the stack folder and turns its version check (~/.terraform.d) off", async () => {
    const { bin, dir } = fakeTerraform(`echo "data=$TF_DATA_DIR checkpoint=$CHECKPOINT_DISABLE" >&2`);
    // A TF_DATA_DIR of the user's would put every stack's backend and providers in one folder outside the output.
    await new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin, TF_DATA_DIR: "/shared/tf-data" } }).init(dir);
    expect(readFileSync(join(dir, "terraform.log"), "utf8")).toContain("data=.terraform checkpoint=1\n");
    // The user can still turn the version check back on.
    await new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin, CHECKPOINT_DISABLE: "" } }).init(dir);
    expect(readFileSync(join(dir, "terraform.log"), "utf8")).toContain("data=.terraform checkpoint=\n");
  });

  it("refuses a plan with an empty target list, which terraform would read as everything", async () => {
    const { bin, dir } = fakeTerraform("exit 0");
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    await expect(runner.plan(dir, { out: "p", destroy: true, targets: [] })).rejects.toThrow(/empty target list/);
  });

  it("returns the plan's UI messages with the planned changes in address order, and parsed JSON from output, keeping the JSON out of the log", async () => {
    const { bin, dir } = fakeTerraform(`case "$1" in
plan) cat <<'EOF2'
${STREAM.join("\n")}
EOF2
;;
output) echo '{"a":{"value":1,"sensitive":false}}';;
esac`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const messages = (await runner.plan(dir, { out: "mlplat.tfplan" })) as { type: string; change?: { resource: { addr: string } } }[];
    expect(messages.filter((m) => m.type === "planned_change").map((m) => m.change!.resource.addr)).toEqual([
      "terraform_data.network",
      'terraform_data.storage["a"]',
      'terraform_data.storage["b"]',
      "terraform_data.storage_b",
    ]);
    // What describes the plan is kept; progress messages only go to the log.
    expect(messages.map((m) => m.type).sort()).toEqual(["change_summary", "planned_change", "planned_change", "planned_change", "planned_change", "version"]);
    expect(await runner.output(dir)).toEqual({ a: { value: 1, sensitive: false } });
    const log = readFileSync(join(dir, "terraform.log"), "utf8");
    expect(log).toContain("terraform plan -no-color -input=false -json -out=mlplat.tfplan");
    expect(log).toContain("terraform_data.network: Refreshing state... [id=n]\nterraform_data.storage_b: Plan to delete\n");
    expect(log).toContain("Plan: 2 to add, 1 to change, 1 to destroy.");
    expect(log).not.toContain("@message");
    expect(log).not.toContain("format_version");
  });

  it("reads a stream whose lines arrive split across writes", async () => {
    const [first, second] = [STREAM[2].slice(0, 40), STREAM[2].slice(40)];
    const { bin, dir } = fakeTerraform(`printf '%s' '${first}'; sleep 0.2; printf '%s\n' '${second}'; printf '%s' '${STREAM[6]}'`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const messages = (await runner.plan(dir, { out: "mlplat.tfplan" })) as { type: string }[];
    // The last line has no newline: it is read at the end all the same.
    expect(messages.map((m) => m.type)).toEqual(["change_summary", "planned_change"]);
  });

  it("turns the error diagnostics of a -json plan into a terraform error with the error lines and a hint", async () => {
    const diagnostic = JSON.stringify({
      "@level": "error",
      "@message": "Error: Error acquiring the state lock",
      type: "diagnostic",
      diagnostic: {
        severity: "error",
        summary: "Error acquiring the state lock",
        detail: "Error message: resource temporarily unavailable\nLock Info:\n  ID:        4b5e7c1a-0000-1111-2222-333344445555\n  Operation: OperationTypeApply",
      },
    });
    const { bin, dir } = fakeTerraform(`echo '${STREAM[0]}'; echo '${diagnostic}'; echo "some stderr line" >&2; exit 1`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const err = (await runner.plan(dir, { out: "mlplat.tfplan" }).catch((e: unknown) => e)) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^terraform plan failed in stack mlplat-stack-\w+ \(exit 1\)\.$/);
    expect(err.details).toContain("  Error: Error acquiring the state lock\n  \n  Error message: resource temporarily unavailable");
    expect(err.details).toContain("some stderr line");
    expect(err.hint).toContain("terraform force-unlock 4b5e7c1a-0000-1111-2222-333344445555");
    expect(readFileSync(join(dir, "terraform.log"), "utf8")).toContain("Error: Error acquiring the state lock\n\nError message: resource temporarily unavailable");
  });

  it("turns a failure into a terraform error (exit 3) with the error lines, a hint and the log path", async () => {
    const { bin, dir } = fakeTerraform(`echo "Acquiring state lock. This may take a few moments..."; cat >&2 <<'EOF2'\n${LOCK_STDERR}\nEOF2\nexit 1`);
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin } });
    const err = (await runner.plan(dir, { out: "mlplat.tfplan" }).catch((e: unknown) => e)) as TerraformError;
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.code).toBe("MLP_TERRAFORM_FAILED");
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
    const said: string[] = [];
    const echo = { write: (c: Buffer | string) => (said.push(String(c)), true) } as unknown as NodeJS.WritableStream;
    const runner = new ProcessTerraformRunner({ env: { MLPLAT_TERRAFORM: bin }, echo });
    const pending = runner.apply(dir, "mlplat.tfplan").catch((e: unknown) => e);
    // Wait until the child has installed its trap before interrupting.
    for (let i = 0; i < 50 && !readLog(dir).includes("started"); i++) await new Promise((r) => setTimeout(r, 50));
    const before = process.listenerCount("SIGINT");
    process.emit("SIGINT", "SIGINT");
    // Acknowledged at once, before terraform has stopped.
    expect(said).toEqual(["\ninterrupting… (waiting for terraform to stop safely)\n"]);
    const err = (await pending) as MlplatError;
    expect(err).toMatchObject({ code: "MLP_INTERRUPTED", exitCode: 130 });
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

  it("renders a -json diagnostic as terraform prints it on a terminal, which the hints recognize", () => {
    // As terraform 1.11 prints it for a protected resource the plan would replace.
    const message = JSON.parse(
      `{"@level":"error","@message":"Error: Instance cannot be destroyed","@module":"terraform.ui","diagnostic":{"severity":"error","summary":"Instance cannot be destroyed","detail":"Resource terraform_data.storage_datasets has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.","range":{"filename":"cdk.tf.json","start":{"line":4,"column":27,"byte":68},"end":{"line":4,"column":28,"byte":69}},"snippet":{"context":"resource.terraform_data","code":"      \\"storage_datasets\\": {","start_line":4,"highlight_start_offset":26,"highlight_end_offset":27,"values":[]}},"type":"diagnostic"}`,
    ) as unknown;
    const text = uiMessageText(message)!;
    expect(text).toBe(
      "Error: Instance cannot be destroyed\n\n" +
        "  on cdk.tf.json line 4, in resource.terraform_data:\n" +
        '   4:       "storage_datasets": {\n\n' +
        "Resource terraform_data.storage_datasets has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.",
    );
    expect(hintFor(text, "/d")?.kind).toBe("protected");
    expect(renderDiagnostic({ severity: "warning", summary: "Deprecated", address: "aws_s3_bucket.storage_a" })).toBe("Warning: Deprecated\n\n  with aws_s3_bucket.storage_a,");
    expect(uiMessageText({ type: "planned_change", "@message": "aws_vpc.network: Plan to create" })).toBe("aws_vpc.network: Plan to create");
  });

  it("gives no hint for an unknown failure", () => {
    expect(hintFor("Error: Unsupported argument", "/d")).toBeUndefined();
  });
});
