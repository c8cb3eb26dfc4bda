import { join } from "node:path";
import { z } from "zod";
import type { ToolExec, ToolName, ToolResult } from "../kubectl/exec.js";
import { MlplatError } from "../util/errors.js";

/**
 * What `mlplat status` reads from the clouds, behind a port like the kubectl and registry ones:
 * the engine (src/engine/status.ts) only talks to `StatusSources`; `CliStatusSources` drives the
 * clouds' CLIs through a `ToolExec` (argument arrays, never a shell), and tests drive that same
 * class over recorded CLI outputs (test/engine/status*.test.ts). Every call is read-only
 * (`describe`/`list`), and none throws for a missing CLI, missing credentials or a denied call:
 * the answer is then `unknown` with the reason, so one unreadable source never hides the others.
 */

/** A value read from one source, or why it could not be read. */
export type Known<T> = { readonly value: T } | { readonly unknown: string };

export function isKnown<T>(k: Known<T>): k is { readonly value: T } {
  return "value" in k;
}

/** `aws sagemaker describe-endpoint`: the config serving, the variants' weights, a deployment in progress. */
export interface SageMakerEndpointState {
  /** EndpointStatus: InService, Updating, RollingBack, SystemUpdating, Failed, … */
  readonly status: string;
  readonly config: string;
  readonly variants: readonly { readonly name: string; readonly weight?: number; readonly instances?: number }[];
  /** PendingDeploymentSummary: the config a blue/green update is moving to. */
  readonly pendingConfig?: string;
  readonly failureReason?: string;
}

export interface AlarmState {
  readonly name: string;
  /** OK, ALARM or INSUFFICIENT_DATA. */
  readonly state: string;
  readonly reason?: string;
}

/** One Azure Monitor metric alert rule of the stack, as terraform state records it. */
export interface AzureAlertRule {
  readonly name: string;
  /** The rule's ARM id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Insights/metricAlerts/<name>. */
  readonly id: string;
}

/** One Cloud Monitoring alert policy of the stack, as terraform state records it. */
export interface GcpAlertPolicy {
  /** The policy's display name. */
  readonly name: string;
  /** projects/<project>/alertPolicies/<id>. */
  readonly id: string;
}

/** `gcloud run services describe`: the traffic split Cloud Run serves and its latest ready revision. */
export interface CloudRunServiceState {
  readonly ready?: string;
  readonly latestReadyRevision?: string;
  readonly traffic: readonly { readonly revision: string; readonly percent: number }[];
}

/** One `az containerapp revision list` row. */
export interface ContainerAppRevisionState {
  readonly name: string;
  readonly trafficWeight: number;
  readonly active: boolean;
  readonly health?: string;
}

export interface StatusSources {
  sagemakerEndpoint(dir: string, region: string, endpointName: string): Promise<Known<SageMakerEndpointState>>;
  cloudwatchAlarms(dir: string, region: string, alarmNames: readonly string[]): Promise<Known<AlarmState[]>>;
  cloudRunService(dir: string, project: string, region: string, service: string): Promise<Known<CloudRunServiceState>>;
  containerAppRevisions(dir: string, resourceGroup: string, app: string): Promise<Known<ContainerAppRevisionState[]>>;
  /** Whether each metric alert rule has a fired alert now (ALARM) or not (OK), from Azure Monitor's Alerts Management API. */
  azureMetricAlerts(dir: string, rules: readonly AzureAlertRule[]): Promise<Known<AlarmState[]>>;
  /** Whether each alert policy has an open alert now (ALARM) or not (OK), from Cloud Monitoring. */
  gcpAlertPolicies(dir: string, project: string, policies: readonly GcpAlertPolicy[]): Promise<Known<AlarmState[]>>;
}

/** Each source's log in the stack folder, beside terraform.log and kubectl.log. */
export const STATUS_LOG_FILE = "status.log";

const DescribeEndpoint = z.object({
  EndpointStatus: z.string(),
  EndpointConfigName: z.string(),
  FailureReason: z.string().optional(),
  ProductionVariants: z.array(z.object({ VariantName: z.string(), CurrentWeight: z.number().optional(), CurrentInstanceCount: z.number().optional() })).optional(),
  PendingDeploymentSummary: z.object({ EndpointConfigName: z.string() }).optional(),
});
const DescribeAlarms = z.object({
  MetricAlarms: z.array(z.object({ AlarmName: z.string(), StateValue: z.string(), StateReason: z.string().optional() })).default([]),
});
const RunService = z.object({
  status: z
    .object({
      latestReadyRevisionName: z.string().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
      traffic: z.array(z.object({ revisionName: z.string().optional(), percent: z.number().optional(), latestRevision: z.boolean().optional() })).optional(),
    })
    .optional(),
});
const RevisionList = z.array(
  z.object({
    name: z.string(),
    properties: z.object({ trafficWeight: z.number().optional(), active: z.boolean().optional(), healthState: z.string().optional() }).optional(),
  }),
);

/**
 * Alerts Management "Alerts - Get All", https://learn.microsoft.com/en-us/rest/api/monitor/alertsmanagement/alerts/get-all
 * (its page defaults to 2023-07-12-preview, which takes the same subscription path, filters and
 * answer), at api-version 2019-05-05-preview: spec github.com/Azure/azure-rest-api-specs,
 * specification/alertsmanagement/resource-manager/Microsoft.AlertsManagement/preview/2019-05-05-preview/
 * AlertsManagement.json, operation Alerts_GetAll, example examples/Alerts_List.json.
 * GET /subscriptions/{sub}/providers/Microsoft.AlertsManagement/alerts with the query filters
 * alertRule (the rule's ARM id for metric alerts), monitorCondition Fired|Resolved and timeRange
 * 1h|1d|7d|30d (default 1d; 30d is the longest, customTimeRange too is "within 30 days"). The answer is
 * `{ value: [{ name, properties: { essentials: { alertRule, monitorCondition, alertState, severity,
 * startDateTime, description, … } } }], nextLink? }`.
 */
export const ALERTS_API_VERSION = "2019-05-05-preview";
const AlertsList = z.object({
  value: z.array(
    z.object({
      name: z.string().optional(),
      properties: z.object({
        essentials: z.object({
          alertRule: z.string().optional(),
          monitorCondition: z.string().optional(),
          alertState: z.string().optional(),
          severity: z.string().optional(),
          startDateTime: z.string().optional(),
          description: z.string().optional(),
        }),
      }),
    }),
  ),
  nextLink: z.string().nullish(),
});

/**
 * `gcloud monitoring alerts list` (GA): https://docs.cloud.google.com/sdk/gcloud/reference/monitoring/alerts/list,
 * over the Monitoring API's read-only Alert resource, projects.alerts.list:
 * https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alerts
 * `{ name, state: OPEN|CLOSED, openTime, closeTime, policy: { name, displayName, severity }, … }`;
 * needs monitoring.alerts.list (roles/monitoring.alertViewer, https://docs.cloud.google.com/monitoring/alerts/incidents-events).
 */
const GcpAlerts = z.array(
  z.object({
    state: z.string().optional(),
    openTime: z.string().optional(),
    policy: z.object({ name: z.string().optional(), displayName: z.string().optional(), severity: z.string().optional() }).optional(),
  }),
);

export class CliStatusSources implements StatusSources {
  constructor(private readonly exec: ToolExec) {}

  async sagemakerEndpoint(dir: string, region: string, endpointName: string): Promise<Known<SageMakerEndpointState>> {
    const r = await this.read(dir, "aws", ["sagemaker", "describe-endpoint", "--endpoint-name", endpointName, "--region", region, "--output", "json"], DescribeEndpoint);
    if (!isKnown(r)) return r;
    const d = r.value;
    return {
      value: {
        status: d.EndpointStatus,
        config: d.EndpointConfigName,
        variants: (d.ProductionVariants ?? []).map((v) => ({ name: v.VariantName, weight: v.CurrentWeight, instances: v.CurrentInstanceCount })),
        ...(d.PendingDeploymentSummary ? { pendingConfig: d.PendingDeploymentSummary.EndpointConfigName } : {}),
        ...(d.FailureReason ? { failureReason: d.FailureReason } : {}),
      },
    };
  }

  async cloudwatchAlarms(dir: string, region: string, alarmNames: readonly string[]): Promise<Known<AlarmState[]>> {
    if (alarmNames.length === 0) return { value: [] };
    const r = await this.read(dir, "aws", ["cloudwatch", "describe-alarms", "--alarm-names", ...alarmNames, "--region", region, "--output", "json"], DescribeAlarms);
    if (!isKnown(r)) return r;
    return { value: r.value.MetricAlarms.map((a) => ({ name: a.AlarmName, state: a.StateValue, ...(a.StateReason ? { reason: a.StateReason } : {}) })) };
  }

  async cloudRunService(dir: string, project: string, region: string, service: string): Promise<Known<CloudRunServiceState>> {
    const r = await this.read(dir, "gcloud", ["run", "services", "describe", service, "--region", region, "--project", project, "--format=json"], RunService);
    if (!isKnown(r)) return r;
    const s = r.value.status;
    return {
      value: {
        ready: s?.conditions?.find((c) => c.type === "Ready")?.status,
        latestReadyRevision: s?.latestReadyRevisionName,
        traffic: (s?.traffic ?? []).map((t) => ({ revision: t.revisionName ?? (t.latestRevision ? "(latest)" : "?"), percent: t.percent ?? 0 })),
      },
    };
  }

  async containerAppRevisions(dir: string, resourceGroup: string, app: string): Promise<Known<ContainerAppRevisionState[]>> {
    const r = await this.read(dir, "az", ["containerapp", "revision", "list", "--name", app, "--resource-group", resourceGroup, "--output", "json"], RevisionList);
    if (!isKnown(r)) return r;
    return {
      value: r.value.map((x) => ({
        name: x.name,
        trafficWeight: x.properties?.trafficWeight ?? 0,
        active: x.properties?.active ?? false,
        ...(x.properties?.healthState ? { health: x.properties.healthState } : {}),
      })),
    };
  }

  /**
   * One `az rest` GET per rule (the API filters by one rule at a time), the first failure makes
   * them all unknown. The URL has no host: `az rest` prefixes the ARM endpoint of the current
   * cloud (https://learn.microsoft.com/en-us/cli/azure/reference-index#az-rest), and the
   * subscription is the rule's own, not `az account set`'s.
   */
  async azureMetricAlerts(dir: string, rules: readonly AzureAlertRule[]): Promise<Known<AlarmState[]>> {
    const states: AlarmState[] = [];
    for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
      const sub = /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/metricAlerts\/[^/]+$/i.exec(rule.id)?.[1];
      if (!sub) return { unknown: `alert rule ${rule.name} has no metric alert id in the stack's state` };
      const label = "az rest GET Microsoft.AlertsManagement/alerts";
      const args = [
        "rest", "--method", "get",
        "--url", `/subscriptions/${sub}/providers/Microsoft.AlertsManagement/alerts`,
        "--uri-parameters", `api-version=${ALERTS_API_VERSION}`, `alertRule=${rule.id}`, "monitorCondition=Fired", "timeRange=30d",
        "--output", "json",
      ];
      const r = await this.read(dir, "az", args, AlertsList, label);
      if (!isKnown(r)) return r;
      const same = (x: string | undefined) => x !== undefined && x.toLowerCase() === rule.id.toLowerCase();
      // The filters must hold for every answer: anything else means they were not applied, and an
      // empty page would then say nothing.
      if (r.value.value.some((a) => !same(a.properties.essentials.alertRule) || a.properties.essentials.monitorCondition !== "Fired")) {
        return { unknown: `${label} answered alerts of other rules or conditions than the fired ones of ${rule.name}` };
      }
      const fired = r.value.value[0]?.properties.essentials;
      if (!fired) {
        states.push({ name: rule.name, state: "OK" });
        continue;
      }
      const detail = [fired.severity, fired.alertState].filter(Boolean).join(", ");
      states.push({
        name: rule.name,
        state: "ALARM",
        reason: `fired${fired.startDateTime ? ` since ${fired.startDateTime}` : ""}${detail ? ` (${detail})` : ""}${fired.description ? `: ${fired.description}` : ""}`,
      });
    }
    return { value: states };
  }

  /**
   * One list of the project's open alerts (gcloud pages through them), matched to the policies by
   * the policy id (the last part of its name: the alert may name the project by number).
   */
  async gcpAlertPolicies(dir: string, project: string, policies: readonly GcpAlertPolicy[]): Promise<Known<AlarmState[]>> {
    if (policies.length === 0) return { value: [] };
    const r = await this.read(dir, "gcloud", ["monitoring", "alerts", "list", "--project", project, "--filter=state=OPEN", "--format=json"], GcpAlerts, "gcloud monitoring alerts list");
    if (!isKnown(r)) return r;
    const policyId = (name: string | undefined) => /\/alertPolicies\/([^/]+)$/.exec(name ?? "")?.[1];
    const states: AlarmState[] = [];
    for (const p of [...policies].sort((a, b) => a.name.localeCompare(b.name))) {
      const id = policyId(p.id);
      if (!id) return { unknown: `alert policy ${p.name} has no alert policy name in the stack's state` };
      // gcloud's filter keeps the open ones; the state is checked again in case it was not applied.
      const open = r.value.filter((a) => a.state === "OPEN" && policyId(a.policy?.name) === id).sort((a, b) => (a.openTime ?? "").localeCompare(b.openTime ?? ""))[0];
      if (!open) {
        states.push({ name: p.name, state: "OK" });
        continue;
      }
      states.push({ name: p.name, state: "ALARM", reason: `open${open.openTime ? ` since ${open.openTime}` : ""}${open.policy?.severity ? ` (${open.policy.severity})` : ""}` });
    }
    return { value: states };
  }

  /** Runs one read-only command and parses its JSON; every failure becomes `unknown` with the reason. */
  private async read<T>(dir: string, tool: ToolName, args: string[], schema: z.ZodType<T>, label = `${tool} ${args.slice(0, 2).join(" ")}`): Promise<Known<T>> {
    let result: ToolResult;
    try {
      result = await this.exec.run({ tool, args, cwd: dir, logFile: join(dir, STATUS_LOG_FILE), quietStdout: true });
    } catch (err) {
      if (err instanceof MlplatError) return { unknown: `${err.message.replace(/\.$/, "")}` };
      throw err;
    }
    if (result.interrupted) return { unknown: `${tool} was interrupted (${result.interrupted})` };
    if (result.code !== 0) return { unknown: `${label} failed: ${firstError(result.stderr) || `exit ${result.code ?? "by signal"}`}` };
    let json: unknown;
    try {
      json = JSON.parse(result.stdout);
    } catch {
      return { unknown: `${label} printed no JSON` };
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? { value: parsed.data } : { unknown: `${label} printed JSON of an unexpected shape` };
  }
}

/** The first meaningful stderr line (the AWS CLI starts with a blank line; gcloud and az prefix ERROR:), at most 200 characters. */
function firstError(stderr: string): string {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== "");
  if (!line) return "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
