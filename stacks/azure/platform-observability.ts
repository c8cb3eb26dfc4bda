import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group/index.js";
import { MonitorDiagnosticSetting, type MonitorDiagnosticSettingEnabledLog } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js";
import { MonitorMetricAlert, type MonitorMetricAlertCriteria } from "@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js";

/**
 * The `observability` section on Azure: a Log Analytics workspace with the blueprint's
 * retention, an action group that e-mails `alertEmails`, and (through `monitor`) diagnostic
 * settings that send control-plane and audit logs there, plus metric alerts.
 *
 * Created before the other sections (they log into the workspace); `monitor` is called once
 * the monitored resources exist.
 *
 * Construct ids are API: `observability` (workspace), `observability/alerts` (action group),
 * `observability/<target>-logs`, `observability/<alert>` (metric alerts).
 */
export interface PlatformObservabilityProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly workspaceName: string;
  /** Already a value Log Analytics accepts (30-730). */
  readonly retentionDays: number;
  readonly actionGroupName: string;
  /** At most 12 characters. */
  readonly actionGroupShortName: string;
  /** Alert recipients; without any, alerts still fire in the portal but nobody is e-mailed. */
  readonly emails: readonly string[];
}

/** What `monitor` watches. */
export interface MonitoredResources {
  readonly storageAccountId: string;
  readonly keyVaultId: string;
  /**
   * The vault of the registry key (no IP firewall, so its audit log matters).
   * @default - none
   */
  readonly registryKeyVaultId?: string;
  readonly registryId: string;
  /**
   * The AKS cluster.
   * @default - no cluster logs or alerts (the blueprint has no cluster)
   */
  readonly clusterId?: string;
  /**
   * The Container Apps environment.
   * @default - no environment logs (no managed endpoints)
   */
  readonly containerAppsEnvironmentId?: string;
  /**
   * Blueprint endpoint name → Container App id and its alarms.
   * @default - no endpoint alerts
   */
  readonly endpoints?: readonly {
    readonly endpoint: string;
    readonly appId: string;
    readonly latencyP99Ms?: number;
    readonly errorRatePercent?: number;
    /** Action groups notified besides the platform's: the pipelines retrained on this endpoint's alarms. */
    readonly extraActionGroupIds?: readonly string[];
  }[];
}

const orUndefined = <T>(xs: T[]): T[] | undefined => (xs.length > 0 ? xs : undefined);

export class PlatformObservability extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly actionGroup?: MonitorActionGroup;
  private readonly props: PlatformObservabilityProps;

  constructor(scope: Construct, id: string, props: PlatformObservabilityProps) {
    super(scope, id);
    this.props = props;
    const common = { resourceGroupName: props.resourceGroupName, tags: props.tags };
    this.workspace = new LogAnalyticsWorkspace(this, "Resource", {
      ...common,
      location: props.location,
      name: props.workspaceName,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays,
      // Entra ID only: agents (Container Insights with MSI auth) need no workspace key.
      localAuthenticationEnabled: false,
    });
    if (props.emails.length > 0) {
      this.actionGroup = new MonitorActionGroup(this, "alerts", {
        ...common,
        name: props.actionGroupName,
        shortName: props.actionGroupShortName,
        location: "global",
        emailReceiver: props.emails.map((email, i) => ({ name: `email-${i + 1}`, emailAddress: email, useCommonAlertSchema: true })),
      });
    }
  }

  /** Adds diagnostic settings and metric alerts for the platform's resources. */
  monitor(r: MonitoredResources): void {
    const logs = (lid: string, targetResourceId: string, enabledLog: MonitorDiagnosticSettingEnabledLog[], metrics: string[] = [], dedicated = false) =>
      new MonitorDiagnosticSetting(this, `${lid}-logs`, {
        name: "mlplat",
        targetResourceId,
        logAnalyticsWorkspaceId: this.workspace.id,
        // Resource-specific tables where the service supports them (AKS); setting it elsewhere
        // makes the API answer null and Terraform plan a change forever.
        logAnalyticsDestinationType: dedicated ? "Dedicated" : undefined,
        enabledLog,
        enabledMetric: metrics.map((category) => ({ category })),
      });

    // Storage logs live on the blob service, not on the account.
    logs("storage", `${r.storageAccountId}/blobServices/default`, [{ categoryGroup: "audit" }], ["Transaction"]);
    logs("kms", r.keyVaultId, [{ categoryGroup: "audit" }], ["AllMetrics"]);
    if (r.registryKeyVaultId) logs("kms-registry-vault", r.registryKeyVaultId, [{ categoryGroup: "audit" }], ["AllMetrics"]);
    logs("registry", r.registryId, [{ categoryGroup: "audit" }], ["AllMetrics"]);
    if (r.clusterId) {
      logs(
        "cluster",
        r.clusterId,
        ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"].map((category) => ({ category })),
        ["AllMetrics"],
        true,
      );
    }
    if (r.containerAppsEnvironmentId) logs("serving", r.containerAppsEnvironmentId, [{ categoryGroup: "allLogs" }], ["AllMetrics"]);

    const alert = (aid: string, scope: string, description: string, criteria: MonitorMetricAlertCriteria, severity = 2, extraActionGroupIds: readonly string[] = []) =>
      new MonitorMetricAlert(this, aid, {
        name: `${this.props.workspaceName.replace(/-log$/, "")}-${aid}`,
        resourceGroupName: this.props.resourceGroupName,
        scopes: [scope],
        description,
        severity,
        frequency: "PT5M",
        windowSize: "PT5M",
        criteria: [criteria],
        action: orUndefined([...(this.actionGroup ? [this.actionGroup.id] : []), ...extraActionGroupIds].map((actionGroupId) => ({ actionGroupId }))),
        tags: this.props.tags,
      });

    alert("storage-availability", r.storageAccountId, "Storage availability below 99%", {
      metricNamespace: "Microsoft.Storage/storageAccounts",
      metricName: "Availability",
      aggregation: "Average",
      operator: "LessThan",
      threshold: 99,
    }, 1);
    if (r.clusterId) {
      const ns = "Microsoft.ContainerService/managedClusters";
      alert("cluster-cpu", r.clusterId, "AKS node CPU above 90%", {
        metricNamespace: ns,
        metricName: "node_cpu_usage_percentage",
        aggregation: "Average",
        operator: "GreaterThan",
        threshold: 90,
      });
      alert("cluster-memory", r.clusterId, "AKS node memory working set above 90%", {
        metricNamespace: ns,
        metricName: "node_memory_working_set_percentage",
        aggregation: "Average",
        operator: "GreaterThan",
        threshold: 90,
      });
    }
    for (const e of r.endpoints ?? []) {
      const ns = "Microsoft.App/containerApps";
      if (e.latencyP99Ms !== undefined) {
        // No percentiles in Container Apps metrics: the maximum fires no later than a p99 would.
        alert(`${e.endpoint}-latency`, e.appId, `Endpoint ${e.endpoint}: response time above ${e.latencyP99Ms} ms`, {
          metricNamespace: ns,
          metricName: "ResponseTime",
          aggregation: "Maximum",
          operator: "GreaterThan",
          threshold: e.latencyP99Ms,
          skipMetricValidation: true,
        }, 2, e.extraActionGroupIds);
      }
      if (e.errorRatePercent !== undefined) {
        // Metric alerts cannot divide two metrics: alert on any 5xx in the window.
        alert(`${e.endpoint}-errors`, e.appId, `Endpoint ${e.endpoint}: 5xx responses (blueprint threshold ${e.errorRatePercent}%)`, {
          metricNamespace: ns,
          metricName: "Requests",
          aggregation: "Total",
          operator: "GreaterThan",
          threshold: 0,
          skipMetricValidation: true,
          dimension: [{ name: "statusCodeCategory", operator: "Include", values: ["5xx"] }],
        }, 2, e.extraActionGroupIds);
      }
    }
  }
}
