import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules of the resources `spec.pipelines` creates on GCP and Azure (issue 17),
 * appended to GCP_RULES and AZURE_RULES. Each cites the page that states it.
 */

const deps = (r: Record<string, any>): string[] => r.depends_on ?? [];
const refName = (value: unknown, type: string): string | undefined => (typeof value === "string" ? new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.`).exec(value)?.[1] : undefined);

/** Resource type → the API its creation needs. */
const API_OF: Readonly<Record<string, string>> = {
  google_workflows_workflow: "workflows.googleapis.com",
  google_cloud_scheduler_job: "cloudscheduler.googleapis.com",
  google_eventarc_trigger: "eventarc.googleapis.com",
  google_pubsub_topic: "pubsub.googleapis.com",
};

/** Service agents the pipelines' grants name that are created just in time, by e-mail domain → API. */
const PIPELINE_JIT_AGENTS: Readonly<Record<string, string>> = {
  "gcp-sa-workflows.iam.gserviceaccount.com": "workflows.googleapis.com",
  "gcp-sa-pubsub.iam.gserviceaccount.com": "pubsub.googleapis.com",
};

const storageTriggers = (json: SynthJson) =>
  resourcesOf(json, "google_eventarc_trigger").filter(([, t]) => (t.matching_criteria ?? []).some((m: any) => m.attribute === "type" && m.value === "google.cloud.storage.object.v1.finalized"));

export const GCP_PIPELINE_RULES: readonly FirstDeployRule[] = [
  {
    id: "gcp-pipeline-api-before-resource",
    cloud: "gcp",
    description: "A Workflows workflow, Cloud Scheduler job, Eventarc trigger or Pub/Sub topic cannot be created until its API is enabled on the project: each waits for its google_project_service.",
    source: "https://cloud.google.com/service-usage/docs/enable-disable",
    check: (json) => {
      const enabled = new Map(resourcesOf(json, "google_project_service").map(([name, s]) => [s.service as string, `google_project_service.${name}`]));
      return Object.entries(API_OF).flatMap(([type, api]) =>
        resourcesOf(json, type).flatMap(([name, r]) => {
          const service = enabled.get(api);
          if (!service) return [`${type}.${name}: the stack does not enable ${api}`];
          return deps(r).includes(service) ? [] : [`${type}.${name} does not wait for ${service}`];
        }),
      );
    },
  },
  {
    id: "gcp-eventarc-storage-publisher",
    cloud: "gcp",
    description:
      "Eventarc delivers Cloud Storage events through Pub/Sub: creating a trigger for them fails unless the project's Cloud Storage service agent already has roles/pubsub.publisher.",
    source: "https://cloud.google.com/eventarc/docs/run/create-trigger-storage-gcloud#before-you-begin",
    check: (json) => {
      const grants = resourcesOf(json, "google_project_iam_member")
        .filter(([, g]) => g.role === "roles/pubsub.publisher" && String(g.member).includes("data.google_storage_project_service_account."))
        .map(([name]) => `google_project_iam_member.${name}`);
      return storageTriggers(json).flatMap(([name, t]) => (grants.some((g) => deps(t).includes(g)) ? [] : [`google_eventarc_trigger.${name} does not wait for the Cloud Storage agent's pubsub.publisher grant`]));
    },
  },
  {
    id: "gcp-eventarc-storage-location",
    cloud: "gcp",
    description: "An Eventarc trigger for Cloud Storage events must be in the bucket's location (a regional bucket: its region), or creating it fails.",
    source: "https://cloud.google.com/eventarc/docs/understand-locations",
    check: (json) => {
      const buckets = new Map(resourcesOf(json, "google_storage_bucket").map(([name, b]) => [name, String(b.location).toLowerCase()]));
      return storageTriggers(json).flatMap(([name, t]) => {
        const value = (t.matching_criteria ?? []).find((m: any) => m.attribute === "bucket")?.value;
        const bucket = refName(value, "google_storage_bucket");
        const location = bucket ? buckets.get(bucket) : undefined;
        if (!location) return [`google_eventarc_trigger.${name}: its bucket is not a bucket of this stack`];
        return location === String(t.location).toLowerCase() ? [] : [`google_eventarc_trigger.${name} is in ${t.location}, its bucket in ${location}`];
      });
    },
  },
  {
    id: "gcp-monitoring-notification-agent-after-channel",
    cloud: "gcp",
    description:
      "Cloud Monitoring creates its notification service agent with the project's first Pub/Sub notification channel: a grant to it before a Pub/Sub channel exists fails with 'Service account … does not exist'.",
    source: "https://cloud.google.com/monitoring/support/notification-options#pubsub",
    check: (json) => {
      const channels = resourcesOf(json, "google_monitoring_notification_channel")
        .filter(([, c]) => c.type === "pubsub")
        .map(([name]) => `google_monitoring_notification_channel.${name}`);
      return resourcesOf(json, "google_pubsub_topic_iam_member")
        .filter(([, g]) => String(g.member).includes("@gcp-sa-monitoring-notification.iam.gserviceaccount.com"))
        .flatMap(([name, g]) => (channels.some((c) => deps(g).includes(c)) ? [] : [`google_pubsub_topic_iam_member.${name} grants the notification agent before a Pub/Sub channel exists`]));
    },
  },
  {
    id: "gcp-pipeline-agents-before-key-grant",
    cloud: "gcp",
    description:
      "The Workflows and Pub/Sub service agents may not exist on a fresh project: a key grant naming one waits for its google_project_service_identity, or fails with 'Service account … does not exist'.",
    source: "https://cloud.google.com/workflows/docs/use-cmek#before_you_begin",
    check: (json) =>
      resourcesOf(json, "google_kms_crypto_key_iam_member").flatMap(([name, g]) => {
        const api = Object.entries(PIPELINE_JIT_AGENTS).find(([domain]) => String(g.member).includes(`@${domain}`))?.[1];
        if (!api) return [];
        const identities = resourcesOf(json, "google_project_service_identity")
          .filter(([, i]) => i.service === api)
          .map(([n]) => `google_project_service_identity.${n}`);
        return identities.some((i) => deps(g).includes(i)) ? [] : [`google_kms_crypto_key_iam_member.${name} grants the ${api} agent before google_project_service_identity creates it`];
      }),
  },
];

export const AZURE_PIPELINE_RULES: readonly FirstDeployRule[] = [
  {
    id: "azure-one-system-topic-per-source",
    cloud: "azure",
    description: "Event Grid allows one system topic per source resource: a second system topic on the same storage account fails to create.",
    source: "https://learn.microsoft.com/azure/event-grid/system-topics",
    check: (json) => {
      const seen = new Map<string, string>();
      return resourcesOf(json, "azurerm_eventgrid_system_topic").flatMap(([name, t]) => {
        const source = String(t.source_resource_id ?? t.source_arm_resource_id);
        const first = seen.get(source);
        seen.set(source, first ?? name);
        return first ? [`azurerm_eventgrid_system_topic.${name} is a second system topic on ${source} (first: ${first})`] : [];
      });
    },
  },
  {
    id: "azure-system-topic-in-source-region",
    cloud: "azure",
    description: "A system topic for a regional resource must be in that resource's region: one for the storage account takes the account's location.",
    source: "https://learn.microsoft.com/azure/event-grid/system-topics#location-and-resource-group-for-a-system-topic",
    check: (json) => {
      const accounts = new Map(resourcesOf(json, "azurerm_storage_account").map(([name, a]) => [name, String(a.location)]));
      return resourcesOf(json, "azurerm_eventgrid_system_topic").flatMap(([name, t]) => {
        const account = refName(t.source_resource_id ?? t.source_arm_resource_id, "azurerm_storage_account");
        if (!account) return [];
        return accounts.get(account) === t.location ? [] : [`azurerm_eventgrid_system_topic.${name} is in ${t.location}, azurerm_storage_account.${account} in ${accounts.get(account)}`];
      });
    },
  },
  {
    id: "azure-pipeline-resource-providers",
    cloud: "azure",
    description:
      "With resource_provider_registrations = \"core\", Microsoft.EventGrid and Microsoft.Logic are not registered: a subscription that never used them refuses system topics and Logic Apps unless the provider registers them.",
    source: "https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs#resource_provider_registrations",
    check: (json) => {
      const registered = new Set<string>(((json.provider?.azurerm ?? [])[0]?.resource_providers_to_register ?? []) as string[]);
      const needs: [string, string][] = [
        ["azurerm_eventgrid_system_topic", "Microsoft.EventGrid"],
        ["azurerm_logic_app_workflow", "Microsoft.Logic"],
      ];
      return needs.flatMap(([type, rp]) => (resourcesOf(json, type).length > 0 && !registered.has(rp) ? [`${type} needs ${rp} in resource_providers_to_register`] : []));
    },
  },
  {
    id: "azure-ml-schedule-in-workspace",
    cloud: "azure",
    description: "An Azure ML schedule is a child of an Azure ML workspace: its parent_id must be a workspace the stack creates (and the schedule waits for it through that reference).",
    source: "https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/2024-10-01/workspaces/schedules",
    check: (json) =>
      resourcesOf(json, "azapi_resource")
        .filter(([, r]) => String(r.type).startsWith("Microsoft.MachineLearningServices/workspaces/schedules@"))
        .flatMap(([name, r]) => {
          const ws = refName(r.parent_id, "azurerm_machine_learning_workspace");
          return ws && json.resource?.azurerm_machine_learning_workspace?.[ws] ? [] : [`azapi_resource.${name}: parent ${r.parent_id} is not a workspace of this stack`];
        }),
  },
];
