import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthContinuousTraining } from "../helpers/pipeline-blueprint.js";
import { AZURE_PIPELINE_RULES, GCP_PIPELINE_RULES } from "./pipeline-rules.js";
import type { FirstDeployRule, SynthJson } from "./rule.js";

/**
 * The pipelines' first-deploy rules hold on continuous-training (gcp and azure, with its endpoint
 * present so that the alarm path is in the stack; the reference-case tests run them on the first
 * deploy's model too), and each fires on the layout the cloud refuses.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-pipeline-rules-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const rule = (rules: readonly FirstDeployRule[], id: string) => rules.find((r) => r.id === id)!;
const P = "pipelines_retrain-fraud";

describe("gcp pipeline first-deploy rules", () => {
  let base: SynthJson;
  const fresh = (): SynthJson => structuredClone(base);
  const check = (id: string, json: SynthJson) => rule(GCP_PIPELINE_RULES, id).check(json, { blueprint: "continuous-training.yaml", env: "gcp", model: undefined as never });
  beforeAll(async () => {
    base = (await synthContinuousTraining(join(work, "gcp"), "gcp")).json;
  }, 120_000);

  it("hold on continuous-training --env gcp", () => {
    for (const r of GCP_PIPELINE_RULES) expect(check(r.id, fresh()), r.id).toEqual([]);
  });

  it("gcp-pipeline-api-before-resource: a workflow that does not wait for the Workflows API", () => {
    const json = fresh();
    json.resource.google_workflows_workflow[P].depends_on = [];
    expect(check("gcp-pipeline-api-before-resource", json)).toEqual([`google_workflows_workflow.${P} does not wait for google_project_service.project_workflows`]);
    delete json.resource.google_project_service.project_eventarc;
    expect(check("gcp-pipeline-api-before-resource", json)).toContain(`google_eventarc_trigger.${P}_new-data-datasets: the stack does not enable eventarc.googleapis.com`);
  });

  it("gcp-eventarc-storage-publisher: a storage trigger before the GCS agent may publish", () => {
    const json = fresh();
    const t = json.resource.google_eventarc_trigger[`${P}_new-data-datasets`];
    t.depends_on = t.depends_on.filter((d: string) => !d.includes("gcs-agent-publisher"));
    expect(check("gcp-eventarc-storage-publisher", json)).toEqual([`google_eventarc_trigger.${P}_new-data-datasets does not wait for the Cloud Storage agent's pubsub.publisher grant`]);
  });

  it("gcp-eventarc-storage-location: a trigger in another region than its bucket", () => {
    const json = fresh();
    json.resource.google_eventarc_trigger[`${P}_new-data-datasets`].location = "europe-west1";
    expect(check("gcp-eventarc-storage-location", json)).toEqual([`google_eventarc_trigger.${P}_new-data-datasets is in europe-west1, its bucket in us-central1`]);
  });

  it("gcp-monitoring-notification-agent-after-channel: the topic grant before any Pub/Sub channel", () => {
    const json = fresh();
    delete json.resource.google_pubsub_topic_iam_member[`${P}_alarm_publisher`].depends_on;
    expect(check("gcp-monitoring-notification-agent-after-channel", json)).toEqual([`google_pubsub_topic_iam_member.${P}_alarm_publisher grants the notification agent before a Pub/Sub channel exists`]);
  });

  it("gcp-pipeline-agents-before-key-grant: the Workflows agent's key grant without its identity", () => {
    const json = fresh();
    delete json.resource.google_kms_crypto_key_iam_member["kms_pipelines-workflows-agent"].depends_on;
    expect(check("gcp-pipeline-agents-before-key-grant", json)).toEqual([
      "google_kms_crypto_key_iam_member.kms_pipelines-workflows-agent grants the workflows.googleapis.com agent before google_project_service_identity creates it",
    ]);
  });
});

describe("azure pipeline first-deploy rules", () => {
  let base: SynthJson;
  const fresh = (): SynthJson => structuredClone(base);
  const check = (id: string, json: SynthJson) => rule(AZURE_PIPELINE_RULES, id).check(json, { blueprint: "continuous-training.yaml", env: "azure", model: undefined as never });
  beforeAll(async () => {
    base = (await synthContinuousTraining(join(work, "azure"), "azure")).json;
  }, 120_000);

  it("hold on continuous-training --env azure", () => {
    for (const r of AZURE_PIPELINE_RULES) expect(check(r.id, fresh()), r.id).toEqual([]);
  });

  it("azure-one-system-topic-per-source: a second system topic on the storage account", () => {
    const json = fresh();
    json.resource.azurerm_eventgrid_system_topic.second = { ...json.resource.azurerm_eventgrid_system_topic["pipelines_storage-events"] };
    expect(check("azure-one-system-topic-per-source", json)).toEqual(["azurerm_eventgrid_system_topic.second is a second system topic on ${azurerm_storage_account.storage.id} (first: pipelines_storage-events)"]);
  });

  it("azure-system-topic-in-source-region: a system topic outside the account's region", () => {
    const json = fresh();
    json.resource.azurerm_eventgrid_system_topic["pipelines_storage-events"].location = "westeurope";
    expect(check("azure-system-topic-in-source-region", json)).toEqual(["azurerm_eventgrid_system_topic.pipelines_storage-events is in westeurope, azurerm_storage_account.storage in eastus"]);
  });

  it("azure-pipeline-resource-providers: Logic Apps without Microsoft.Logic registered", () => {
    const json = fresh();
    json.provider.azurerm[0].resource_providers_to_register = json.provider.azurerm[0].resource_providers_to_register.filter((p: string) => p !== "Microsoft.Logic");
    expect(check("azure-pipeline-resource-providers", json)).toEqual(["azurerm_logic_app_workflow needs Microsoft.Logic in resource_providers_to_register"]);
  });

  it("azure-ml-schedule-in-workspace: a schedule whose parent is the resource group", () => {
    const json = fresh();
    json.resource.azapi_resource[`${P}_schedule`].parent_id = "${azurerm_resource_group.resource-group.id}";
    expect(check("azure-ml-schedule-in-workspace", json)).toEqual([`azapi_resource.${P}_schedule: parent \${azurerm_resource_group.resource-group.id} is not a workspace of this stack`]);
  });
});
