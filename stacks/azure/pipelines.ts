import { EventgridSystemTopicEventSubscription } from "@cdktf/provider-azurerm/lib/eventgrid-system-topic-event-subscription/index.js";
import { EventgridSystemTopic } from "@cdktf/provider-azurerm/lib/eventgrid-system-topic/index.js";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group/index.js";
import { Construct } from "constructs";
import { AzapiResource } from "./azapi-resource.js";
import { ML_JOBS_API_VERSION, PipelineLauncher } from "./pipeline-launcher.js";

/**
 * `spec.pipelines[]` on Azure (resolved by src/targets/azure/pipelines.ts), in the Azure ML
 * workspace:
 *  - `schedule` → an Azure ML schedule through azapi (azurerm has no resource for it):
 *    `Microsoft.MachineLearningServices/workspaces/schedules@2024-10-01` (GA), a Cron trigger in
 *    UTC and a CreateJob action with the pipeline job
 *    (https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/2024-10-01/workspaces/schedules);
 *  - `newData` → the platform storage account's Event Grid system topic (one per account: Event
 *    Grid allows one system topic per source, https://learn.microsoft.com/azure/event-grid/system-topics)
 *    with a subscription per trigger (BlobCreated, subject prefix `/blobServices/default/containers/<container>/blobs/<prefix>`)
 *    delivering to the pipeline's launcher Logic App;
 *  - `alarm` → an action group per pipeline whose Logic App receiver calls the same launcher; the
 *    endpoint's metric alerts (and only those) add it (`alarmActionGroups`).
 *
 * Construct ids are API: `pipelines/storage-events` (system topic), `pipelines/<pipeline>/schedule`,
 * `pipelines/<pipeline>/launcher`, `pipelines/<pipeline>/new-data-<n>`, `pipelines/<pipeline>/alarm`.
 */
export interface AzurePipelineProps {
  /** Pipeline name: the construct id. */
  readonly id: string;
  /** @default - no schedule */
  readonly schedule?: { readonly name: string; readonly cron: string };
  /** The job's `properties` (REST JobBase of a pipeline job), parameters merged as literal inputs. */
  readonly jobDefinition: Record<string, unknown>;
  /** The launcher, when an event starts the pipeline. @default - none */
  readonly logicApp?: { readonly name: string; readonly jobBody: Record<string, unknown> };
  readonly newData: readonly { readonly id: string; readonly subscriptionName: string; readonly subjectBeginsWith: string }[];
  /** @default - no alarm trigger */
  readonly alarm?: { readonly endpoints: readonly string[]; readonly actionGroupName: string; readonly actionGroupShortName: string };
}

export interface AzurePipelinesProps {
  readonly pipelines: readonly AzurePipelineProps[];
  /** The storage account's system topic, when a pipeline watches a bucket. @default - none */
  readonly systemTopicName?: string;
}

export interface AzurePipelinesConstructProps extends AzurePipelinesProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly workspaceId: string;
  /** The platform storage account whose blob events the system topic publishes. */
  readonly storageAccountId: string;
}

export class AzurePipelines extends Construct {
  readonly systemTopic?: EventgridSystemTopic;
  /** Blueprint endpoint → action groups its metric alerts also notify. */
  readonly alarmActionGroups: Record<string, string[]> = {};

  constructor(scope: Construct, id: string, props: AzurePipelinesConstructProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, tags: props.tags };
    if (props.systemTopicName) {
      this.systemTopic = new EventgridSystemTopic(this, "storage-events", {
        ...common,
        name: props.systemTopicName,
        // A system topic lives in its source's region.
        location: props.location,
        sourceResourceId: props.storageAccountId,
        topicType: "Microsoft.Storage.StorageAccounts",
      });
    }

    for (const p of props.pipelines) {
      const scope = new Construct(this, p.id);
      if (p.schedule) {
        new AzapiResource(scope, "schedule", {
          type: `Microsoft.MachineLearningServices/workspaces/schedules@${ML_JOBS_API_VERSION}`,
          name: p.schedule.name,
          parentId: props.workspaceId,
          body: {
            properties: {
              displayName: p.id,
              description: `mlplat: runs pipeline ${p.id}`,
              isEnabled: true,
              trigger: { triggerType: "Cron", expression: p.schedule.cron, timeZone: "UTC" },
              action: { actionType: "CreateJob", jobDefinition: p.jobDefinition },
            },
          },
        });
      }
      if (!p.logicApp) continue;
      const launcher = new PipelineLauncher(scope, "launcher", {
        ...common,
        location: props.location,
        name: p.logicApp.name,
        pipeline: p.id,
        workspaceId: props.workspaceId,
        jobBody: p.logicApp.jobBody,
      });
      for (const d of p.newData) {
        if (!this.systemTopic) throw new Error(`pipeline ${p.id}: a newData trigger needs the storage system topic`);
        new EventgridSystemTopicEventSubscription(scope, d.id, {
          name: d.subscriptionName,
          resourceGroupName: props.resourceGroupName,
          systemTopic: this.systemTopic.name,
          includedEventTypes: ["Microsoft.Storage.BlobCreated"],
          subjectFilter: { subjectBeginsWith: d.subjectBeginsWith },
          eventDeliverySchema: "EventGridSchema",
          webhookEndpoint: { url: launcher.trigger.callbackUrl, maxEventsPerBatch: 1 },
          retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLive: 1440 },
        });
      }
      if (p.alarm) {
        const group = new MonitorActionGroup(scope, "alarm", {
          ...common,
          name: p.alarm.actionGroupName,
          shortName: p.alarm.actionGroupShortName,
          location: "global",
          logicAppReceiver: [{ name: "retrain", resourceId: launcher.workflow.id, callbackUrl: launcher.trigger.callbackUrl, useCommonAlertSchema: true }],
        });
        for (const e of p.alarm.endpoints) (this.alarmActionGroups[e] ??= []).push(group.id);
      }
    }
  }
}
