import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { llmServing } from "../kubectl/engine-harness.js";

/**
 * The built CLI (bin/mlplat.js → dist) deploying the reference llm-serving blueprint onto a
 * "deployed" stack whose cluster still runs the objects of an endpoint `old-chat` the blueprint
 * no longer declares. terraform, the aws CLI and kubectl are FAKES (shell scripts first on PATH /
 * MLPLAT_TERRAFORM / MLPLAT_KUBECTL) that record their calls and answer with hand-written JSON in
 * each tool's shape: no cluster, no cloud, no credentials exist on the machines these tests run on.
 */
const STACK = "llm-serving-default";
const STATE = {
  format_version: "1.0",
  terraform_version: "1.11.4",
  values: {
    outputs: {},
    root_module: {
      resources: ["aws_eks_cluster.cluster", "aws_sagemaker_endpoint.serving_embed", "aws_iam_role.serving_chat"].map((address) => {
        const [type, name] = address.split(".");
        return { address, mode: "managed", type, name, values: {} };
      }),
    },
  },
};
const OUTPUTS = {
  region: { sensitive: false, type: "string", value: "us-east-1" },
  cluster_name: { sensitive: false, type: "string", value: STACK },
};
const at = { "@level": "info", "@module": "terraform.ui", "@timestamp": "2026-12-07T03:00:00.000000Z" };
/** `terraform plan -json` of a stack with nothing to change: version and change summary. */
const PLAN_STREAM = [
  { ...at, "@message": "Terraform 1.11.4", type: "version", terraform: "1.11.4", ui: "1.2" },
  { ...at, "@message": "Plan: 0 to add, 0 to change, 0 to destroy.", type: "change_summary", changes: { add: 0, change: 0, import: 0, remove: 0, operation: "plan" } },
];
const labels = (endpoint: string) => ({ "app.kubernetes.io/name": endpoint, "mlplat.io/endpoint": endpoint, "app.kubernetes.io/part-of": STACK, "app.kubernetes.io/managed-by": "mlplat" });
/** `kubectl get … -o json` of the serving namespace: the current chat endpoint and the removed old-chat. */
const LISTED = {
  apiVersion: "v1",
  kind: "List",
  items: ["chat", "old-chat"].flatMap((e) => [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: e, namespace: "mlplat-serving", labels: labels(e) } },
    { apiVersion: "v1", kind: "Service", metadata: { name: e, namespace: "mlplat-serving", labels: labels(e) } },
  ]),
};

function script(dir: string, name: string, body: string): string {
  const bin = join(dir, name);
  writeFileSync(bin, `#!/bin/sh\necho "$@" >> "${dir}/${name}.calls"\n${body}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-prune-cli-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(dir, "platform.yaml"), llmServing());
  const terraform = script(
    bin,
    "terraform",
    `case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  plan) for a in "$@"; do case "$a" in -out=*) echo "fake plan" > "\${a#-out=}" ;; esac; done
        cat <<'EOF'
${PLAN_STREAM.map((m) => JSON.stringify(m)).join("\n")}
EOF
        ;;
  show) echo '${JSON.stringify(STATE)}' ;;
  output) echo '${JSON.stringify(OUTPUTS)}' ;;
  apply|destroy) echo "the test does not expect terraform $1" >&2; exit 9 ;;
esac
exit 0`,
  );
  // aws: update-kubeconfig writes the file it is given; every other call (quota reads) fails, which the quota preflight reports as unknown.
  script(
    bin,
    "aws",
    `if [ "$1 $2" = "eks update-kubeconfig" ]; then
  while [ $# -gt 0 ]; do [ "$1" = "--kubeconfig" ] && printf 'apiVersion: v1\\nkind: Config\\n' > "$2"; shift; done
  exit 0
fi
exit 2`,
  );
  const kubectl = script(
    bin,
    "kubectl",
    `case "$*" in
  *"get horizontalpodautoscalers.autoscaling,deployments.apps,services,serviceaccounts"*) echo '${JSON.stringify(LISTED)}' ;;
  *"get rollouts.argoproj.io"*) echo 'error: the server doesn'"'"'t have a resource type "rollouts"' >&2; exit 1 ;;
  *) echo "the test does not expect kubectl $*" >&2; exit 9 ;;
esac`,
  );
  const env = { MLPLAT_TERRAFORM: terraform, MLPLAT_KUBECTL: kubectl, PATH: `${bin}:${process.env.PATH}`, AWS_ACCOUNT_ID: "123456789012" };
  const calls = (tool: string) => (existsSync(join(bin, `${tool}.calls`)) ? readFileSync(join(bin, `${tool}.calls`), "utf8").trim().split("\n") : []);
  return { dir, env, calls };
}

describe("mlplat deploy / plan (built CLI) with objects of a removed Kubernetes endpoint in the cluster (FAKE terraform, aws, kubectl)", () => {
  it("deploy --auto-approve lists them and refuses without --allow-disruption: exit 1, MLP_DISRUPTION, nothing applied or deleted", () => {
    const { dir, env, calls } = setup();
    const r = mlplat(["deploy", "platform.yaml", "--auto-approve"], { cwd: dir, env });
    expect(r.stderr).toContain("error [MLP_DISRUPTION] Deploy refused: the plan would destroy or replace 2 running parts of the platform. Nothing was applied.");
    expect(r.stderr).toContain(`  - k8s: delete Deployment mlplat-serving/old-chat (endpoint "old-chat", no longer in the blueprint) in ${STACK}`);
    expect(r.stderr).toContain("hint: the Kubernetes objects of an endpoint removed from the blueprint would be deleted");
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toContain("  WARNING: running parts of the platform would be deleted (deploy needs --allow-disruption):\n    - k8s: delete Deployment mlplat-serving/old-chat");
    expect(r.stdout).not.toContain("mlplat-serving/chat ");
    const kubectl = calls("kubectl");
    expect(kubectl.map((c) => c.split(" ")[2])).toEqual(["get", "get"]);
    expect(kubectl[0]).toContain(`-n mlplat-serving -l app.kubernetes.io/managed-by=mlplat,app.kubernetes.io/part-of=${STACK},mlplat.io/endpoint -o json`);
    expect(calls("terraform").map((c) => c.split(" ")[0])).not.toContain("apply");
  });

  it("plan --offline does not read the cluster and says so", () => {
    const { dir, env, calls } = setup();
    const r = mlplat(["plan", "platform.yaml", "--offline"], { cwd: dir, env });
    expect(r.stderr).not.toMatch(/error \[/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Stack ${STACK}, Kubernetes: the cluster was not read (--offline), so objects of endpoints removed from the blueprint are not listed; deploy lists them before asking.`);
    expect(calls("kubectl")).toEqual([]);
  });
});
