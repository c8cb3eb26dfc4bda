import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * `mlplat status` through the built CLI. terraform and the aws CLI are FAKES (MLPLAT_TERRAFORM, a
 * script first on PATH) answering with recorded JSON: no cloud, no credentials on this machine.
 * The blueprint's last synth is absent, so status synthesizes into a private temporary folder,
 * runs `terraform init`, `output` and `show` there, and removes it.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-status-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STATE = {
  format_version: "1.0",
  values: {
    root_module: {
      resources: [
        { address: "aws_sagemaker_endpoint.serving_churn", mode: "managed", type: "aws_sagemaker_endpoint", name: "serving_churn", values: { name: "scoring-default-churn", endpoint_config_name: "scoring-default-churn-a1" } },
        { address: "aws_cloudwatch_metric_alarm.serving_churn_error-alarm", mode: "managed", type: "aws_cloudwatch_metric_alarm", name: "serving_churn_error-alarm", values: { alarm_name: "scoring-default-churn-5xx-rate" } },
      ],
    },
  },
};

function setup(): { bin: string; calls: string } {
  const bin = join(work, "bin");
  mkdirSync(bin, { recursive: true });
  const calls = join(work, "calls");
  writeFileSync(
    join(bin, "terraform"),
    `#!/bin/sh
echo "terraform $@" >> "${calls}"
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  output) echo '{"region":{"sensitive":false,"type":"string","value":"us-east-1"},"endpoint_names":{"sensitive":false,"type":["object",{"churn":"string"}],"value":{"churn":"scoring-default-churn"}}}' ;;
  show) echo '${JSON.stringify(STATE)}' ;;
  apply|plan|destroy|import|state) echo "status must not run $1" >&2; exit 9 ;;
esac
exit 0
`,
  );
  writeFileSync(
    join(bin, "aws"),
    `#!/bin/sh
echo "aws $@" >> "${calls}"
case "$1 $2" in
  "sagemaker describe-endpoint") echo '{"EndpointName":"scoring-default-churn","EndpointStatus":"InService","EndpointConfigName":"scoring-default-churn-a1","ProductionVariants":[{"VariantName":"primary","CurrentWeight":1.0,"CurrentInstanceCount":1}]}' ;;
  "cloudwatch describe-alarms") printf '\\nAn error occurred (AccessDenied) when calling the DescribeAlarms operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudwatch:DescribeAlarms\\n' >&2; exit 254 ;;
  *) exit 2 ;;
esac
`,
  );
  chmodSync(join(bin, "terraform"), 0o755);
  chmodSync(join(bin, "aws"), 0o755);
  const text = readFileSync("blueprints/aws-sagemaker-scoring.yaml", "utf8");
  writeFileSync(join(work, "platform.yaml"), text);
  return { bin, calls };
}

describe("mlplat status (built CLI, FAKE terraform and aws CLI)", () => {
  it("reads outputs, state and the cloud without changing anything: exit 0, JSON only on stdout, a denied call is unknown (reason)", () => {
    const { bin, calls } = setup();
    const tmp = join(work, "tmp");
    mkdirSync(tmp, { recursive: true });
    const r = mlplat(["status", "platform.yaml", "--json"], { cwd: work, env: { MLPLAT_TERRAFORM: join(bin, "terraform"), PATH: `${bin}:${process.env.PATH}`, AWS_ACCOUNT_ID: "123456789012", TMPDIR: tmp } });
    expect(r.stderr).not.toMatch(/error \[/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const churn = report.endpoints.find((e: { endpoint: string }) => e.endpoint === "churn");
    expect(churn.serving).toEqual({ value: { config: "scoring-default-churn-a1", state: "InService" } });
    expect(churn.traffic).toEqual({ value: [{ revision: "scoring-default-churn-a1/primary", percent: 100 }] });
    expect(churn.alarms.unknown).toMatch(/^aws cloudwatch describe-alarms failed: An error occurred \(AccessDenied\) when calling the DescribeAlarms operation/);
    const fraud = report.endpoints.find((e: { endpoint: string }) => e.endpoint === "fraud");
    expect(fraud.serving).toEqual({ unknown: "endpoint fraud is not in the stack's state (not deployed yet, or deferred until its image is pushed)" });
    // Read-only: terraform only initialized, read outputs and state; the output folder was never written.
    const tf = readFileSync(calls, "utf8").split("\n").filter((l) => l.startsWith("terraform ")).map((l) => l.split(" ")[1]);
    expect(new Set(tf)).toEqual(new Set(["init", "output", "show", ...(tf.includes("version") ? ["version"] : [])]));
    expect(existsSync(join(work, "cdktf.out"))).toBe(false);
    // The temporary folder it synthesized into is gone.
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("rejects a blueprint that does not load with exit 1, the located error on stderr and nothing on stdout", () => {
    writeFileSync(join(work, "bad.yaml"), readFileSync("blueprints/aws-sagemaker-scoring.yaml", "utf8").replace("cloud: aws", "cloud: awz"));
    const r = mlplat(["status", "bad.yaml", "--json"], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("MLP_BLUEPRINT_INVALID");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("is listed by --help and completed by the shell scripts", () => {
    expect(mlplat(["--help"]).stdout).toMatch(/^ {2}status \[options\] <file> +read-only: per endpoint/m);
    expect(mlplat(["completion", "fish"]).stdout).toContain('__fish_seen_subcommand_from status" -l json');
  });
});
