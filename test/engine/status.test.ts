import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KubectlCli } from "../../src/kubectl/kubectl-cli.js";
import { describe, expect, it } from "vitest";
import { writeEndpointRollout } from "../../src/engine/rollout-state.js";
import { runStatus, type StatusReport } from "../../src/engine/status.js";
import { CliStatusSources } from "../../src/engine/status-sources.js";
import type { ToolExec, ToolRequest, ToolResult } from "../../src/kubectl/exec.js";
import { markerText } from "../../src/output/marker.js";
import { MlplatError } from "../../src/util/errors.js";
import { AWS_OUTPUTS, llmServing, out, phaseHarness } from "../kubectl/engine-harness.js";
import { RECORDED } from "../kubectl/recorded-kubectl.js";

/**
 * RECORDED FAKES: no cloud, no cluster, no credentials on the machines these tests run on. The
 * CLI answers are written from the tools' documented JSON (SageMaker DescribeEndpoint,
 * CloudWatch DescribeAlarms, Cloud Run's v1 Service as `gcloud run services describe` prints it,
 * Cloud Monitoring's Alert resource (projects.alerts) as `gcloud monitoring alerts list` prints it,
 * `az containerapp revision list`, and Azure Monitor's Alerts Management "Alerts - Get All"
 * answer as `az rest` prints it, hand-written in the shape of the API's spec example
 * Alerts_List.json, 2019-05-05-preview) and error texts (`az rest` raises `<HTTP reason>(<body>)`,
 * azure-cli's send_raw_request); the real `CliStatusSources` and `KubectlCli` parse them.
 */

const CANARY = "        rollout: { strategy: canary, canaryPercent: 20, bakeMinutes: 5 }\n";

/** llm-serving with a canary rollout on `chat` (runtime kubernetes) and on `embed` (managed). */
function blueprint(): string {
  const text = llmServing()
    .replace("        autoscaling: { min: 1, max: 4, targetConcurrency: 16 }\n", `        autoscaling: { min: 1, max: 4, targetConcurrency: 16 }\n${CANARY}`)
    .replace("        autoscaling: { min: 1, max: 2, targetConcurrency: 32 }   # SageMaker can't scale to zero\n", `        autoscaling: { min: 2, max: 2, targetConcurrency: 32 }\n${CANARY}`);
  if (text.split("canaryPercent: 20").length !== 3) throw new Error("llm-serving.yaml changed shape: update this test");
  return text;
}

/**
 * A harness whose output folder holds the blueprint's last initialized online synth of `env`
 * (the marker, `.terraform`, cdk.tf.json, and a kubeconfig unless `kubeconfig: false`), so status
 * reads it in place.
 */
async function deployedOutput(env: string, stack: string, opts: { kubeconfig?: boolean } = {}) {
  const h = phaseHarness(blueprint());
  const synth = await h.synth(h.synth.file, { env, offline: false });
  const dir = synth.stacks[0]!.dir;
  mkdirSync(join(dir, ".terraform"), { recursive: true });
  if (opts.kubeconfig !== false) writeFileSync(join(dir, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
  writeFileSync(join(h.synth.outDir, "mlplat.json"), markerText({ blueprint: "platform.yaml", env, cloud: synth.model!.cloud, stacks: [stack], offline: false }));
  h.synth.calls.length = 0;
  const stateDir = join(h.synth.outDir, "..", "state");
  return { h, dir, stateDir, options: { env, outDir: h.synth.outDir, stateDir } };
}

function state(resources: { type: string; name: string; values: Record<string, unknown> }[]): unknown {
  return { format_version: "1.0", values: { root_module: { resources: resources.map((r) => ({ address: `${r.type}.${r.name}`, mode: "managed", ...r })) } } };
}

const AWS_STACK = "llm-serving-default";
const CHAT_CREDENTIALS_FAILED = expect.stringMatching(/^cluster credentials: aws could not fetch the cluster credentials for stack llm-serving-default \(`aws eks update-kubeconfig /);
const ok = (v: unknown) => ({ code: 0, stdout: JSON.stringify(v), stderr: "" });

function awsDeployed(opts: { kubeconfig?: boolean } = {}) {
  return deployedOutput("default", AWS_STACK, opts).then((d) => {
    d.h.runner.outputs[AWS_STACK] = { ...AWS_OUTPUTS, endpoint_names: out({ embed: "llm-serving-default-embed" }) };
    d.h.runner.states[AWS_STACK] = state([
      { type: "aws_sagemaker_endpoint", name: "serving_embed", values: { name: "llm-serving-default-embed", endpoint_config_name: "llm-serving-default-embed-c2" } },
      { type: "aws_cloudwatch_metric_alarm", name: "serving_embed_latency-alarm", values: { alarm_name: "llm-serving-default-embed-latency-p99" } },
      { type: "aws_cloudwatch_metric_alarm", name: "serving_embed_error-alarm", values: { alarm_name: "llm-serving-default-embed-5xx-rate" } },
    ]);
    return d;
  });
}

/** The embed endpoint's alert policies as stacks/gcp/observability.ts creates them, and the cluster's. */
const GCP_POLICIES = [
  { type: "google_monitoring_alert_policy", name: "observability_embed-latency-p99", values: { name: "projects/llm-serving-demo/alertPolicies/1111", display_name: "llm-serving-gcp embed: p99 latency above 500 ms" } },
  { type: "google_monitoring_alert_policy", name: "observability_embed-5xx-rate", values: { name: "projects/llm-serving-demo/alertPolicies/2222", display_name: "llm-serving-gcp embed: 5xx above 1%" } },
  { type: "google_monitoring_alert_policy", name: "observability_cluster-nodes", values: { name: "projects/llm-serving-demo/alertPolicies/3333", display_name: "llm-serving-gcp cluster nodes" } },
];
/** One Alert resource (projects.alerts) in the documented JSON shape. */
function gcpAlert(policy: string, state: "OPEN" | "CLOSED", openTime: string) {
  return {
    name: `${policy.split("/alertPolicies/")[0]}/alerts/0.${policy.split("/").pop()}`,
    state,
    openTime,
    ...(state === "CLOSED" ? { closeTime: "2026-12-06T22:30:00Z" } : {}),
    resource: { type: "cloud_run_revision", labels: { service_name: "llm-serving-gcp-embed", location: "us-central1" } },
    metric: { type: "run.googleapis.com/request_latencies", labels: {} },
    policy: { name: policy, displayName: "a policy", severity: "WARNING", userLabels: {} },
  };
}

const AZURE_STACK = "llm-serving-azure";
const SUB = "3b540246-808d-4331-99aa-917b808a9166";
const RG = `/subscriptions/${SUB}/resourceGroups/llm-serving-azure`;
const APP_ID = `${RG}/providers/Microsoft.App/containerApps/llm-serving-azure-embed`;
const ERRORS_RULE = `${RG}/providers/Microsoft.Insights/metricAlerts/llm-serving-azure-embed-errors`;
const LATENCY_RULE = `${RG}/providers/Microsoft.Insights/metricAlerts/llm-serving-azure-embed-latency`;

/**
 * The azure env deployed: the container app and, as stacks/azure/platform-observability.ts
 * creates them, its two metric alerts (scoped to the app) and the cluster's CPU alert.
 */
function azureDeployed(opts: { alerts?: boolean } = {}) {
  return deployedOutput("azure", AZURE_STACK, { kubeconfig: false }).then((d) => {
    d.h.runner.outputs[AZURE_STACK] = { resource_group: out("llm-serving-azure"), region: out("eastus") };
    const alert = (name: string, id: string, scope: string) => ({ type: "azurerm_monitor_metric_alert", name, values: { name: id.split("/").pop(), id, scopes: [scope] } });
    d.h.runner.states[AZURE_STACK] = state([
      { type: "azurerm_container_app", name: "serving_embed", values: { id: APP_ID, name: "llm-serving-azure-embed", resource_group_name: "llm-serving-azure", ingress: [{ traffic_weight: [{ revision_suffix: "r-a1b2c3", percentage: 100 }] }] } },
      ...(opts.alerts === false
        ? []
        : [
            alert("observability_embed-latency", LATENCY_RULE, APP_ID),
            alert("observability_embed-errors", ERRORS_RULE, APP_ID),
            alert("observability_cluster-cpu", `${RG}/providers/Microsoft.Insights/metricAlerts/llm-serving-azure-cluster-cpu`, `${RG}/providers/Microsoft.ContainerService/managedClusters/llm-serving-azure`),
          ]),
    ]);
    return d;
  });
}

/** `az rest` printing an Alerts - Get All page (the documented `alertsList`: `value`, `nextLink`). */
const alerts = (value: unknown[]) => ok({ value });
/** A fired metric alert instance, in the documented `alert` shape (id, type, name, properties.essentials). */
function firedAlert(rule: string) {
  return {
    id: `/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts/66114d64-d9d9-478b-95c9-b789d6502100`,
    type: "Microsoft.AlertsManagement/alerts",
    name: rule.split("/").pop(),
    properties: {
      essentials: {
        severity: "Sev2",
        signalType: "Metric",
        alertState: "New",
        monitorCondition: "Fired",
        monitorService: "Platform",
        targetResource: APP_ID.toLowerCase(),
        targetResourceName: "llm-serving-azure-embed",
        targetResourceGroup: "llm-serving-azure",
        targetResourceType: "containerapps",
        sourceCreatedId: "0d2f3b4c-5a6e-4f70-8192-a3b4c5d6e7f8",
        alertRule: rule,
        startDateTime: "2026-12-07T00:05:00Z",
        lastModifiedDateTime: "2026-12-07T00:05:00Z",
        lastModifiedUserName: "System",
        actionStatus: { isSuppressed: false },
        description: "Endpoint embed: 5xx responses (blueprint threshold 1%)",
      },
      egressConfig: {},
      context: {},
    },
  };
}

describe("mlplat status (RECORDED FAKE terraform, cloud CLIs and kubectl)", () => {
  it("aws: a SageMaker blue/green update in progress with one alarm firing, and an Argo canary paused at its first bake", async () => {
    const { h, options } = await awsDeployed();
    h.exec
      .on("aws", ["sagemaker", "describe-endpoint"], ok({
        EndpointName: "llm-serving-default-embed",
        EndpointStatus: "Updating",
        EndpointConfigName: "llm-serving-default-embed-c1",
        ProductionVariants: [{ VariantName: "primary", CurrentWeight: 1, CurrentInstanceCount: 2 }],
        PendingDeploymentSummary: { EndpointConfigName: "llm-serving-default-embed-c2", StartTime: "2026-12-07T00:00:00Z" },
      }))
      .on("aws", ["cloudwatch", "describe-alarms"], ok({
        MetricAlarms: [
          { AlarmName: "llm-serving-default-embed-5xx-rate", StateValue: "ALARM", StateReason: "Threshold Crossed: 1 datapoint [3.1] was greater than the threshold (2.0)." },
          { AlarmName: "llm-serving-default-embed-latency-p99", StateValue: "OK" },
        ],
      }))
      .on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 0, available: 0 }]))
      .on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.rollouts([{ name: "chat", replicas: 5, available: 5, updated: 1, phase: "Paused", step: 1, steps: 4, stable: "6d4f8b7c9", current: "7f9c6d5b8" }]));
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });

    // Read-only: no synth, no init, no plan or apply; the clouds are only asked to describe.
    expect(h.synth.calls).toEqual([]);
    expect(h.runner.methods()).toEqual([`output ${AWS_STACK}`, `showState ${AWS_STACK}`]);
    expect(h.exec.commands()).toEqual([
      "kubectl --kubeconfig K get deployments -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
      "kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
      "aws sagemaker describe-endpoint --endpoint-name llm-serving-default-embed --region us-east-1 --output json",
      "aws cloudwatch describe-alarms --alarm-names llm-serving-default-embed-5xx-rate llm-serving-default-embed-latency-p99 --region us-east-1 --output json",
    ]);
    const embed = report.endpoints.find((e) => e.endpoint === "embed")!;
    expect(embed.declared).toEqual({ value: { config: "llm-serving-default-embed-c2" } });
    expect(embed.serving).toEqual({ value: { config: "llm-serving-default-embed-c1", state: "Updating" } });
    expect(embed.traffic).toEqual({ value: [{ revision: "llm-serving-default-embed-c1/primary", percent: 100 }] });
    expect(embed.rollout).toEqual({ value: { strategy: "canary", inProgress: true, detail: "blue/green update from llm-serving-default-embed-c1 to llm-serving-default-embed-c2 (Updating)" } });
    expect(embed.alarms).toEqual({
      value: [
        { name: "llm-serving-default-embed-5xx-rate", state: "ALARM", reason: "Threshold Crossed: 1 datapoint [3.1] was greater than the threshold (2.0)." },
        { name: "llm-serving-default-embed-latency-p99", state: "OK" },
      ],
    });
    const chat = report.endpoints.find((e) => e.endpoint === "chat")!;
    expect(chat.traffic).toEqual({ value: [{ revision: "6d4f8b7c9", percent: 80 }, { revision: "7f9c6d5b8", percent: 20 }] });
    expect(chat.rollout).toEqual({ value: { strategy: "canary", inProgress: true, detail: "Paused, step 1/4, 7f9c6d5b8 replacing 6d4f8b7c9" } });
    expect(chat.alarms).toEqual({ value: [] });
    expect(h.printed.join("\n")).toBe(
      [
        "Stack llm-serving-default (aws):",
        "  endpoint chat (kubernetes): mlplat-serving/chat",
        "    declared  image vllm:0.11.0",
        "    serving   6d4f8b7c9, Paused, 5/5 available",
        "    traffic   80% 6d4f8b7c9, 20% 7f9c6d5b8",
        "    rollout   canary: IN PROGRESS, Paused, step 1/4, 7f9c6d5b8 replacing 6d4f8b7c9",
        "    alarms    none (runtime kubernetes endpoints have no cloud alarms)",
        "  endpoint embed (managed): llm-serving-default-embed",
        "    declared  llm-serving-default-embed-c2",
        "    serving   llm-serving-default-embed-c1, Updating",
        "    traffic   100% llm-serving-default-embed-c1/primary",
        "    rollout   canary: IN PROGRESS, blue/green update from llm-serving-default-embed-c1 to llm-serving-default-embed-c2 (Updating)",
        "    alarms    llm-serving-default-embed-5xx-rate ALARM, llm-serving-default-embed-latency-p99 OK",
      ].join("\n"),
    );
  });

  it("missing credentials, a missing CLI and no kubeconfig: each source says unknown (reason), the others still answer, no failure", async () => {
    const { h, options } = await awsDeployed({ kubeconfig: false });
    h.exec.on("aws", ["sagemaker", "describe-endpoint"], RECORDED.credentialsExpired);
    // No kubeconfig from a deploy here: status fetches one (into a private temporary folder), which fails too.
    h.exec.on("aws", ["eks", "update-kubeconfig"], RECORDED.credentialsExpired);
    // The aws CLI is found for the first call, then "missing" for the second (as findTool reports it).
    const exec: ToolExec = {
      run: (r: ToolRequest) => {
        if (r.tool === "aws" && r.args[0] === "cloudwatch") throw new MlplatError("MLP_CLOUD_CLI_NOT_FOUND", "aws was not found on PATH.");
        return h.exec.run(r);
      },
    };
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(exec) });
    const embed = report.endpoints.find((e) => e.endpoint === "embed")!;
    const expired = "aws sagemaker describe-endpoint failed: An error occurred (ExpiredTokenException) when calling the DescribeCluster operation: The security token included in the request is expired";
    expect(embed.serving).toEqual({ unknown: expired });
    expect(embed.rollout).toEqual({ unknown: expired });
    expect(embed.alarms).toEqual({ unknown: "aws was not found on PATH" });
    // Terraform's answer is still there.
    expect(embed.declared).toEqual({ value: { config: "llm-serving-default-embed-c2" } });
    const chat = report.endpoints.find((e) => e.endpoint === "chat")!;
    expect(chat.serving).toEqual({ unknown: CHAT_CREDENTIALS_FAILED });
    expect(h.exec.commands().filter((c) => c.startsWith("aws eks"))).toEqual([
      "aws eks update-kubeconfig --region us-east-1 --name llm-serving-default --kubeconfig K --alias llm-serving-default",
    ]);
    expect(h.exec.commands().filter((c) => c.startsWith("kubectl"))).toEqual([]);
    const text = h.printed.join("\n");
    expect(text).toContain(`    serving   unknown (${expired})`);
    expect(text).toContain("    alarms    unknown (aws was not found on PATH)");
  });

  it("a kubectl that cannot reach the cluster makes the kubernetes endpoints unknown, with kubectl's reason", async () => {
    const { h, options } = await awsDeployed();
    h.exec.on("aws", ["sagemaker", "describe-endpoint"], ok({ EndpointStatus: "InService", EndpointConfigName: "c2", ProductionVariants: [{ VariantName: "primary", CurrentWeight: 1 }] }));
    h.exec.on("aws", ["cloudwatch", "describe-alarms"], ok({ MetricAlarms: [] }));
    h.exec.on("kubectl", ["get", "deployments"], RECORDED.unreachable);
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });
    const chat = report.endpoints.find((e) => e.endpoint === "chat")!;
    expect(chat.rollout).toEqual({ unknown: `kubectl: kubectl get deployments failed in stack ${AWS_STACK} (exit 1)` });
    expect(report.endpoints.find((e) => e.endpoint === "embed")!.rollout).toEqual({ value: { strategy: "canary", inProgress: false, detail: "none (InService)" } });
  });

  it("gcp: Cloud Run's split as served and as declared, the stepped rollout recorded by deploy, and the alert policies' open alerts", async () => {
    const stack = "llm-serving-gcp";
    const { h, stateDir, options } = await deployedOutput("gcp", stack, { kubeconfig: false });
    h.runner.outputs[stack] = { region: out("us-central1"), cluster_name: out(stack) };
    const traffic = [
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "llm-serving-gcp-embed-a1b2c3", percent: 80 },
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "llm-serving-gcp-embed-d4e5f6", percent: 20 },
    ];
    h.runner.states[stack] = state([{ type: "google_cloud_run_v2_service", name: "serving_embed", values: { name: "llm-serving-gcp-embed", location: "us-central1", traffic } }, ...GCP_POLICIES]);
    mkdirSync(stateDir, { recursive: true });
    writeEndpointRollout(stateDir, stack, {
      endpoint: "embed", cloud: "gcp", strategy: "canary", previousRevision: "llm-serving-gcp-embed-a1b2c3", newRevision: "llm-serving-gcp-embed-d4e5f6",
      steps: [20, 100], step: 0, newPercent: 20, status: "in-progress", updated: "2026-12-07T00:10:00.000Z",
    });
    h.exec.on("gcloud", ["run", "services", "describe"], ok({
      apiVersion: "serving.knative.dev/v1",
      kind: "Service",
      status: {
        latestReadyRevisionName: "llm-serving-gcp-embed-d4e5f6",
        conditions: [{ type: "Ready", status: "True" }],
        traffic: [{ revisionName: "llm-serving-gcp-embed-a1b2c3", percent: 80 }, { revisionName: "llm-serving-gcp-embed-d4e5f6", percent: 20 }],
      },
    }));
    // Cloud Monitoring's Alert resources as `gcloud monitoring alerts list --format=json` prints
    // them: the latency policy open (named with the project's number, as the API may), the 5xx
    // one closed earlier, and another stack's policy open.
    h.exec.on("gcloud", ["monitoring", "alerts", "list"], ok([
      gcpAlert("projects/123456789012/alertPolicies/1111", "OPEN", "2026-12-07T00:07:00Z"),
      gcpAlert("projects/llm-serving-demo/alertPolicies/2222", "CLOSED", "2026-12-06T22:00:00Z"),
      gcpAlert("projects/llm-serving-demo/alertPolicies/9999", "OPEN", "2026-12-06T21:00:00Z"),
    ]));
    // No kubeconfig from a deploy here: status fetches the cluster's credentials into a private
    // temporary folder (KUBECONFIG for gcloud), reads the cluster, and removes the folder.
    const kubeconfigs: string[] = [];
    const exec: ToolExec = {
      run: (r: ToolRequest) => {
        if (r.tool === "gcloud" && r.args[0] === "container") kubeconfigs.push(r.env?.KUBECONFIG ?? "");
        return h.exec.run(r);
      },
    };
    const report: StatusReport = await runStatus(h.synth.file, options, { ...h.deps, kubectl: new KubectlCli(exec), sources: new CliStatusSources(exec) });
    const project = process.env.GCP_PROJECT || "llm-serving-demo";
    expect(h.exec.commands()).toEqual([
      `gcloud container clusters get-credentials llm-serving-gcp --location us-central1 --project ${project} --dns-endpoint`,
      "kubectl --kubeconfig K get deployments -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
      "kubectl --kubeconfig K get rollouts.argoproj.io -n mlplat-serving -l app.kubernetes.io/managed-by=mlplat -o json",
      `gcloud run services describe llm-serving-gcp-embed --region us-central1 --project ${project} --format=json`,
      `gcloud monitoring alerts list --project ${project} --filter=state=OPEN --format=json`,
    ]);
    expect(kubeconfigs).toHaveLength(1);
    expect(kubeconfigs[0]).toMatch(new RegExp(`^${tmpdir()}/mlplat-status-kube-[^/]+/llm-serving-gcp/kubeconfig$`));
    expect(existsSync(dirname(dirname(kubeconfigs[0]!)))).toBe(false);
    expect(existsSync(join(h.synth.outDir, "stacks", stack, "kubeconfig"))).toBe(false);
    const embed = report.endpoints.find((e) => e.endpoint === "embed")!;
    expect(embed.declared).toEqual({ value: { traffic: [{ revision: "llm-serving-gcp-embed-a1b2c3", percent: 80 }, { revision: "llm-serving-gcp-embed-d4e5f6", percent: 20 }] } });
    expect(embed.traffic).toEqual({ value: [{ revision: "llm-serving-gcp-embed-a1b2c3", percent: 80 }, { revision: "llm-serving-gcp-embed-d4e5f6", percent: 20 }] });
    expect(embed.serving).toEqual({ value: { revision: "llm-serving-gcp-embed-d4e5f6", state: "Ready" } });
    expect(embed.rollout).toEqual({
      value: {
        strategy: "canary",
        inProgress: true,
        detail: "step 1/2: 20% on llm-serving-gcp-embed-d4e5f6 (previous llm-serving-gcp-embed-a1b2c3), interrupted or baking: `mlplat deploy` resumes it, `mlplat rollback` returns to the previous revision",
      },
    });
    expect(embed.alarms).toEqual({
      value: [
        { name: "llm-serving-gcp embed: 5xx above 1%", state: "OK" },
        { name: "llm-serving-gcp embed: p99 latency above 500 ms", state: "ALARM", reason: "open since 2026-12-07T00:07:00Z (WARNING)" },
      ],
    });
  });

  it("gcp: a denied alerts list makes the alarms unknown (reason), Cloud Run still answers; no policies, no call", async () => {
    const stack = "llm-serving-gcp";
    const { h, options } = await deployedOutput("gcp", stack, { kubeconfig: false });
    h.runner.outputs[stack] = { region: out("us-central1") };
    const run = { type: "google_cloud_run_v2_service", name: "serving_embed", values: { name: "llm-serving-gcp-embed", location: "us-central1" } };
    h.runner.states[stack] = state([run, ...GCP_POLICIES]);
    h.exec.on("gcloud", ["run", "services", "describe"], ok({ status: { latestReadyRevisionName: "llm-serving-gcp-embed-d4e5f6", conditions: [{ type: "Ready", status: "True" }] } }));
    h.exec.on("gcloud", ["monitoring", "alerts", "list"], {
      code: 1,
      stdout: "",
      stderr: "ERROR: (gcloud.monitoring.alerts.list) PERMISSION_DENIED: Permission monitoring.alerts.list denied on resource 'projects/llm-serving-demo' (or it may not exist).\n",
    });
    const embed = (await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) })).endpoints.find((e) => e.endpoint === "embed")!;
    expect(embed.alarms).toEqual({
      unknown: "gcloud monitoring alerts list failed: ERROR: (gcloud.monitoring.alerts.list) PERMISSION_DENIED: Permission monitoring.alerts.list denied on resource 'projects/llm-serving-demo' (or it may not exist).",
    });
    expect(embed.serving).toEqual({ value: { revision: "llm-serving-gcp-embed-d4e5f6", state: "Ready" } });

    const bare = await deployedOutput("gcp", stack, { kubeconfig: false });
    bare.h.runner.outputs[stack] = { region: out("us-central1") };
    bare.h.runner.states[stack] = state([run]);
    bare.h.exec.on("gcloud", ["run", "services", "describe"], ok({ status: {} }));
    const none = (await runStatus(bare.h.synth.file, bare.options, { ...bare.h.deps, sources: new CliStatusSources(bare.h.exec) })).endpoints.find((e) => e.endpoint === "embed")!;
    expect(none.alarms).toEqual({ value: [] });
    expect(bare.h.exec.commands().filter((c) => c.startsWith("gcloud monitoring"))).toEqual([]);
  });

  it("azure: the Container App's revisions with traffic, one metric alert fired and one not, and no rollout recorded", async () => {
    const { h, options } = await azureDeployed();
    h.exec.on("az", ["containerapp", "revision", "list"], ok([
      { name: "llm-serving-azure-embed--r-a1b2c3", properties: { active: true, trafficWeight: 100, healthState: "Healthy", runningState: "Running" } },
      { name: "llm-serving-azure-embed--r-000000", properties: { active: false, trafficWeight: 0, healthState: "None" } },
    ]));
    h.exec.on("az", ["rest", `alertRule=${ERRORS_RULE}`], alerts([firedAlert(ERRORS_RULE)]));
    h.exec.on("az", ["rest", `alertRule=${LATENCY_RULE}`], alerts([]));
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });
    // Read-only: one describe of the revisions, then one Alerts Management GET per alert rule of
    // the endpoint (the cluster's alert is another resource's), nothing planned or applied.
    expect(h.synth.calls).toEqual([]);
    expect(h.runner.methods()).toEqual([`output ${AZURE_STACK}`, `showState ${AZURE_STACK}`]);
    expect(h.exec.calls.map((c) => [c.tool, ...c.args])).toEqual([
      ["az", "containerapp", "revision", "list", "--name", "llm-serving-azure-embed", "--resource-group", "llm-serving-azure", "--output", "json"],
      ...[ERRORS_RULE, LATENCY_RULE].map((rule) => [
        "az", "rest", "--method", "get",
        "--url", `/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts`,
        "--uri-parameters", "api-version=2019-05-05-preview", `alertRule=${rule}`, "monitorCondition=Fired", "timeRange=30d",
        "--output", "json",
      ]),
    ]);
    const embed = report.endpoints.find((e) => e.endpoint === "embed")!;
    expect(embed.declared).toEqual({ value: { traffic: [{ revision: "r-a1b2c3", percent: 100 }] } });
    expect(embed.serving).toEqual({ value: { revision: "llm-serving-azure-embed--r-a1b2c3", state: "Healthy" } });
    expect(embed.traffic).toEqual({ value: [{ revision: "llm-serving-azure-embed--r-a1b2c3", percent: 100 }] });
    expect(embed.rollout).toEqual({ value: { strategy: "canary", inProgress: false, detail: "no stepped rollout recorded" } });
    expect(embed.alarms).toEqual({
      value: [
        { name: "llm-serving-azure-embed-errors", state: "ALARM", reason: "fired since 2026-12-07T00:05:00Z (Sev2, New): Endpoint embed: 5xx responses (blueprint threshold 1%)" },
        { name: "llm-serving-azure-embed-latency", state: "OK" },
      ],
    });
    expect(h.printed.join("\n")).toContain("    alarms    llm-serving-azure-embed-errors ALARM, llm-serving-azure-embed-latency OK");
  });

  it("azure: no fired alert is OK for every rule; an alert rule's id is matched whatever its case", async () => {
    const { h, options } = await azureDeployed();
    h.exec.on("az", ["containerapp", "revision", "list"], ok([{ name: "llm-serving-azure-embed--r-a1b2c3", properties: { active: true, trafficWeight: 100, healthState: "Healthy" } }]));
    h.exec.on("az", ["rest"], alerts([]));
    // Azure answers ARM ids in its own case (resourcegroups, microsoft.insights).
    h.exec.on("az", ["rest", `alertRule=${ERRORS_RULE}`], alerts([firedAlert(ERRORS_RULE.replace("resourceGroups", "resourcegroups").replace("Microsoft.Insights", "microsoft.insights"))]));
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });
    expect(report.endpoints.find((e) => e.endpoint === "embed")!.alarms).toEqual({
      value: [
        { name: "llm-serving-azure-embed-errors", state: "ALARM", reason: "fired since 2026-12-07T00:05:00Z (Sev2, New): Endpoint embed: 5xx responses (blueprint threshold 1%)" },
        { name: "llm-serving-azure-embed-latency", state: "OK" },
      ],
    });

    const quiet = await azureDeployed();
    quiet.h.exec.on("az", ["containerapp", "revision", "list"], ok([]));
    quiet.h.exec.on("az", ["rest"], alerts([]));
    const calm = await runStatus(quiet.h.synth.file, quiet.options, { ...quiet.h.deps, sources: new CliStatusSources(quiet.h.exec) });
    expect(calm.endpoints.find((e) => e.endpoint === "embed")!.alarms).toEqual({
      value: [
        { name: "llm-serving-azure-embed-errors", state: "OK" },
        { name: "llm-serving-azure-embed-latency", state: "OK" },
      ],
    });
    expect(quiet.h.printed.join("\n")).toContain("    alarms    llm-serving-azure-embed-errors OK, llm-serving-azure-embed-latency OK");
  });

  it("azure: a denied, logged-out or unexpected Alerts Management answer makes the alarms unknown (reason), the other fields still answer", async () => {
    const cases: { answer: ToolResult; reason: string | RegExp }[] = [
      {
        answer: {
          code: 1,
          stdout: "",
          stderr:
            'ERROR: Forbidden({"error":{"code":"AuthorizationFailed","message":"The client \'ci@example.com\' with object id \'6f1c0e0a-1d2b-4c3d-9e8f-0a1b2c3d4e5f\' does not have authorization to perform action \'Microsoft.AlertsManagement/alerts/read\' over scope \'/subscriptions/' +
            SUB +
            '\' or the scope is invalid. If access was recently granted, please refresh your credentials."}})\n',
        },
        reason: /^az rest GET Microsoft\.AlertsManagement\/alerts failed: ERROR: Forbidden\(\{"error":\{"code":"AuthorizationFailed","message":"The client 'ci@example\.com' .{60,}\.\.\.$/,
      },
      { answer: { code: 1, stdout: "", stderr: "ERROR: Please run 'az login' to setup account.\n" }, reason: "az rest GET Microsoft.AlertsManagement/alerts failed: ERROR: Please run 'az login' to setup account." },
      { answer: ok({ error: { code: "InvalidApiVersion" } }), reason: "az rest GET Microsoft.AlertsManagement/alerts printed JSON of an unexpected shape" },
      // Alerts of another rule in the answer: the filters were not applied, so an empty answer would prove nothing either.
      { answer: alerts([firedAlert(LATENCY_RULE)]), reason: "az rest GET Microsoft.AlertsManagement/alerts answered alerts of other rules or conditions than the fired ones of llm-serving-azure-embed-errors" },
    ];
    for (const c of cases) {
      const { h, options } = await azureDeployed();
      h.exec.on("az", ["containerapp", "revision", "list"], ok([{ name: "llm-serving-azure-embed--r-a1b2c3", properties: { active: true, trafficWeight: 100, healthState: "Healthy" } }]));
      h.exec.on("az", ["rest"], c.answer);
      const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });
      const embed = report.endpoints.find((e) => e.endpoint === "embed")!;
      expect(embed.alarms).toEqual({ unknown: typeof c.reason === "string" ? c.reason : expect.stringMatching(c.reason) });
      // The first failure answers for all rules: no second call with the same credentials.
      expect(h.exec.commands().filter((x) => x.startsWith("az rest"))).toHaveLength(1);
      expect(embed.serving).toEqual({ value: { revision: "llm-serving-azure-embed--r-a1b2c3", state: "Healthy" } });
      expect(embed.declared).toEqual({ value: { traffic: [{ revision: "r-a1b2c3", percent: 100 }] } });
      expect(h.printed.join("\n")).toContain("    alarms    unknown (az rest GET Microsoft.AlertsManagement/alerts ");
    }

    // A missing az: the revisions and the alerts both say so.
    const { h, options } = await azureDeployed();
    const exec: ToolExec = {
      run: (r: ToolRequest) => {
        if (r.tool === "az") throw new MlplatError("MLP_CLOUD_CLI_NOT_FOUND", "az was not found on PATH.");
        return h.exec.run(r);
      },
    };
    const embed = (await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(exec) })).endpoints.find((e) => e.endpoint === "embed")!;
    expect(embed.alarms).toEqual({ unknown: "az was not found on PATH" });
    expect(embed.serving).toEqual({ unknown: "az was not found on PATH" });
    expect(embed.declared).toEqual({ value: { traffic: [{ revision: "r-a1b2c3", percent: 100 }] } });
  });

  it("azure: an endpoint without monitoring has no alarms and no Alerts Management call", async () => {
    const { h, options } = await azureDeployed({ alerts: false });
    h.exec.on("az", ["containerapp", "revision", "list"], ok([]));
    const report = await runStatus(h.synth.file, options, { ...h.deps, sources: new CliStatusSources(h.exec) });
    expect(report.endpoints.find((e) => e.endpoint === "embed")!.alarms).toEqual({ value: [] });
    expect(h.exec.commands().filter((x) => x.startsWith("az rest"))).toEqual([]);
  });

  it("rejects a blueprint that does not load before any tool runs (exit 1)", async () => {
    const h = phaseHarness(blueprint().replace("strategy: canary", "strategy: sideways"));
    const err = (await runStatus(h.synth.file, {}, { ...h.deps, sources: new CliStatusSources(h.exec) }).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_BLUEPRINT_INVALID");
    expect(err.exitCode).toBe(1);
    expect(h.runner.calls).toEqual([]);
    expect(h.exec.calls).toEqual([]);
  });

  it("says MLP_NOT_DEPLOYED (exit 1) when terraform finds nothing in the state, and removes its temporary folder", async () => {
    const h = phaseHarness(blueprint());
    const err = (await runStatus(h.synth.file, { stateDir: join(h.synth.outDir, "..", "state") }, { ...h.deps, sources: new CliStatusSources(h.exec) }).catch((e: unknown) => e)) as MlplatError;
    expect(err.code).toBe("MLP_NOT_DEPLOYED");
    expect(err.message).toBe(`${AWS_STACK} is not deployed: terraform finds no outputs and no resources in the state.`);
    expect(err.exitCode).toBe(1);
    // No last synth to reuse: synthesized into a temporary folder (online), initialized there.
    expect(h.synth.calls.map((c) => ({ command: c.command, offline: c.offline }))).toEqual([{ command: "status", offline: false }]);
    expect(h.synth.calls[0]!.outDir).toMatch(/mlplat-status-/);
    expect(existsSync(dirname(h.synth.calls[0]!.outDir!))).toBe(false);
    expect(h.exec.calls).toEqual([]);
  });
});
