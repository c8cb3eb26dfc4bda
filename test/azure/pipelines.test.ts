import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobProperties, logicAppLiteral } from "../../src/targets/azure/pipelines.js";
import { unescapeTerraformLiteral } from "../../stacks/common/terraform-literals.js";
import { ROOT, synthContinuousTraining } from "../helpers/pipeline-blueprint.js";
import type { Template } from "../helpers/template.js";

/**
 * spec.pipelines on Azure, through the public synth path, on blueprints/continuous-training.yaml
 * --env azure: the Azure ML schedule (azapi), the launcher Logic App and its identity, the
 * storage account's Event Grid system topic and BlobCreated subscription, the action group on the
 * endpoint's metric alerts, and the resource providers.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-azure-pipelines-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const synth = (name: string, edit: (spec: Record<string, any>) => void = () => {}): Promise<Template> => synthContinuousTraining(join(work, name), "azure", edit);

const DEFINITION = JSON.parse(readFileSync(join(ROOT, "blueprints", "pipelines", "retrain-fraud.azureml.json"), "utf8"));
const P = "pipelines_retrain-fraud";
const ref = (address: string) => `\${${address}}`;
const WORKSPACE = ref("azurerm_machine_learning_workspace.registry_models.id");
/** A synthesized literal as the cloud receives it (Terraform unescapes `$${`). */
const literal = (v: unknown): unknown => JSON.parse(unescapeTerraformLiteral(JSON.stringify(v)));

describe("spec.pipelines on Azure (continuous-training --env azure)", () => {
  let t: Template;
  beforeAll(async () => {
    t = await synth("base");
  }, 120_000);

  it("schedules the pipeline job in the ML workspace: schedules@2024-10-01 (GA), Cron in UTC, CreateJob with the definition and the parameters", () => {
    const s = t.resource("azapi_resource", `${P}_schedule`);
    expect(s).toMatchObject({ type: "Microsoft.MachineLearningServices/workspaces/schedules@2024-10-01", name: "retrain-fraud", parent_id: WORKSPACE });
    expect(s.location).toBeUndefined();
    const props = literal(s.body.properties) as any;
    expect(props).toMatchObject({ isEnabled: true, trigger: { triggerType: "Cron", expression: "0 3 * * 1", timeZone: "UTC" }, action: { actionType: "CreateJob" } });
    const job = props.action.jobDefinition;
    // The definition's own job, unchanged apart from the blueprint's parameters as literal inputs.
    expect(job.jobs).toEqual(DEFINITION.properties.jobs);
    expect(job.jobs.train.inputs.num_round.value).toBe("${{parent.inputs.num_round}}");
    expect(job).toMatchObject({ jobType: "Pipeline", settings: DEFINITION.properties.settings, inputs: { num_round: { jobInputType: "literal", value: "200" }, max_depth: { jobInputType: "literal", value: "6" } } });
  });

  it("runs a launcher Logic App with a system-assigned identity holding AzureML Data Scientist on the workspace only", () => {
    expect(t.resource("azurerm_logic_app_workflow", `${P}_launcher`)).toMatchObject({ identity: { type: "SystemAssigned" }, location: "eastus", name: "fraud-ct-azure-retrain-fraud-launcher" });
    expect(t.resource("azurerm_logic_app_trigger_http_request", `${P}_launcher_trigger`)).toMatchObject({ method: "POST", logic_app_id: ref(`azurerm_logic_app_workflow.${P}_launcher.id`) });
    expect(t.resource("azurerm_role_assignment", `${P}_launcher_submit-role`)).toMatchObject({
      scope: WORKSPACE,
      role_definition_name: "AzureML Data Scientist",
      principal_id: ref(`azurerm_logic_app_workflow.${P}_launcher.identity[0].principal_id`),
      principal_type: "ServicePrincipal",
    });
  });

  it("the launcher answers Event Grid's handshake, submits blob-created events and fired alerts with its identity, and replies to every call", () => {
    const route = JSON.parse(unescapeTerraformLiteral(t.resource("azurerm_logic_app_action_custom", `${P}_launcher_route`).body));
    expect(route.expression).toEqual({ and: [{ startsWith: ["@{string(triggerBody())}", "["] }] });
    const grid = route.actions.event_grid;
    expect(grid.expression.and[0].equals[1]).toBe("Microsoft.EventGrid.SubscriptionValidationEvent");
    expect(grid.actions.validate).toMatchObject({ type: "Response", inputs: { statusCode: 200, body: { validationResponse: "@first(triggerBody())?['data']?['validationCode']" } } });
    const blob = grid.else.actions.blob_created;
    expect(blob.expression.and[0].equals[1]).toBe("Microsoft.Storage.BlobCreated");
    const alert = route.else.actions.alert_fired;
    expect(alert.expression).toEqual({ and: [{ equals: ["@triggerBody()?['data']?['essentials']?['monitorCondition']", "Fired"] }] });
    for (const [submit, tag] of [[blob.actions.submit_new_data, "new-data"], [alert.actions.submit_alarm, "alarm"]] as const) {
      expect(submit.inputs).toMatchObject({
        method: "PUT",
        uri: `https://management.azure.com${WORKSPACE}/jobs/@{guid()}?api-version=2024-10-01`,
        authentication: { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" },
      });
      expect(submit.inputs.body.properties.jobs).toEqual(DEFINITION.properties.jobs);
      expect(submit.inputs.body.properties.tags).toEqual({ "mlplat-trigger": tag });
    }
    // Every path ends in a Response, so Event Grid and the action group never wait and retry.
    expect(blob.actions.accepted_new_data.type).toBe("Response");
    expect(blob.else.actions.ignored_event.type).toBe("Response");
    expect(alert.actions.accepted_alarm.type).toBe("Response");
    expect(alert.else.actions.ignored_alert.type).toBe("Response");
  });

  it("subscribes the launcher to BlobCreated under the prefix on the storage account's one system topic", () => {
    expect(t.resource("azurerm_eventgrid_system_topic", "pipelines_storage-events")).toMatchObject({
      topic_type: "Microsoft.Storage.StorageAccounts",
      source_resource_id: ref("azurerm_storage_account.storage.id"),
      location: "eastus",
    });
    expect(t.resource("azurerm_eventgrid_system_topic_event_subscription", `${P}_new-data-0`)).toMatchObject({
      system_topic: ref("azurerm_eventgrid_system_topic.pipelines_storage-events.name"),
      included_event_types: ["Microsoft.Storage.BlobCreated"],
      subject_filter: { subject_begins_with: "/blobServices/default/containers/datasets/blobs/daily/" },
      event_delivery_schema: "EventGridSchema",
      webhook_endpoint: { url: ref(`azurerm_logic_app_trigger_http_request.${P}_launcher_trigger.callback_url`), max_events_per_batch: 1 },
    });
  });

  it("calls the launcher from the endpoint's metric alerts only, through the pipeline's own action group", () => {
    expect(t.resource("azurerm_monitor_action_group", `${P}_alarm`)).toMatchObject({
      location: "global",
      logic_app_receiver: [{ resource_id: ref(`azurerm_logic_app_workflow.${P}_launcher.id`), callback_url: ref(`azurerm_logic_app_trigger_http_request.${P}_launcher_trigger.callback_url`), use_common_alert_schema: true }],
    });
    const group = { action_group_id: ref(`azurerm_monitor_action_group.${P}_alarm.id`) };
    expect(t.resource("azurerm_monitor_metric_alert", "observability_scorer-latency").action).toEqual([{ action_group_id: ref("azurerm_monitor_action_group.observability_alerts.id") }, group]);
    // The storage availability alert does not retrain anything.
    expect(t.resource("azurerm_monitor_metric_alert", "observability_storage-availability").action).not.toContainEqual(group);
    expect(t.resource("azurerm_monitor_action_group", "observability_alerts").logic_app_receiver).toBeUndefined();
  });

  it("policy: roles only on the workspace, managed identity instead of secrets; the signed trigger URL is the sourced exception", () => {
    const mine = Object.entries(t.resources("azurerm_role_assignment")).filter(([id]) => id.startsWith("pipelines_"));
    expect(mine.map(([, r]) => [r.scope, r.role_definition_name])).toEqual([[WORKSPACE, "AzureML Data Scientist"]]);
    const route = unescapeTerraformLiteral(t.resource("azurerm_logic_app_action_custom", `${P}_launcher_route`).body);
    expect(route).not.toMatch(/"(password|secret|key|Authorization)"/i);
    // Exception (sourced): Logic Apps Consumption request triggers are reached through their
    // SAS-signed URL; Event Grid and action groups call from Azure addresses the trigger's allowed
    // caller ranges cannot list (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#access-to-request-based-triggers).
    expect(t.resource("azurerm_logic_app_workflow", `${P}_launcher`).access_control).toBeUndefined();
    expect(t.json.output.azure_limitations.value.find((l: string) => l.startsWith("pipelines:"))).toContain("SAS-signed trigger URL");
  });

  it("registers Event Grid and Logic Apps with the provider, and lists the launcher URL as a limitation", () => {
    expect(t.providers().azurerm[0].resource_providers_to_register).toEqual(expect.arrayContaining(["Microsoft.EventGrid", "Microsoft.Logic", "Microsoft.MachineLearningServices"]));
    expect(t.json.output.azure_limitations.value.some((l: string) => l.startsWith("pipelines: the launcher Logic App"))).toBe(true);
  });
});

describe("spec.pipelines on Azure: variants", () => {
  it("a schedule only: no Logic App, no Event Grid, no extra providers", async () => {
    const t = await synth("schedule-only", (spec) => (spec.pipelines[0].triggers = []));
    expect(Object.keys(t.resources("azapi_resource"))).toContain(`${P}_schedule`);
    for (const type of ["azurerm_logic_app_workflow", "azurerm_eventgrid_system_topic", "azurerm_eventgrid_system_topic_event_subscription", "azurerm_role_assignment"]) {
      expect(Object.keys(t.resources(type)).filter((k) => k.startsWith("pipelines"))).toEqual([]);
    }
    expect(t.resource("azurerm_monitor_metric_alert", "observability_scorer-latency").action).toEqual([{ action_group_id: ref("azurerm_monitor_action_group.observability_alerts.id") }]);
    expect(t.providers().azurerm[0].resource_providers_to_register).not.toContain("Microsoft.Logic");
    expect(t.providers().azurerm[0].resource_providers_to_register).not.toContain("Microsoft.EventGrid");
  }, 120_000);

  it("no schedule: the launcher only; two prefixes: two subscriptions on the one system topic", async () => {
    const t = await synth("events-only", (spec) => {
      delete spec.pipelines[0].schedule;
      spec.pipelines[0].triggers.push({ newData: { bucket: "models", prefix: "incoming/" } });
    });
    expect(t.resources("azapi_resource")[`${P}_schedule`]).toBeUndefined();
    t.resourceCountIs("azurerm_eventgrid_system_topic", 1);
    expect(Object.values(t.resources("azurerm_eventgrid_system_topic_event_subscription")).map((s) => s.subject_filter.subject_begins_with)).toEqual([
      "/blobServices/default/containers/datasets/blobs/daily/",
      "/blobServices/default/containers/models/blobs/incoming/",
    ]);
  }, 120_000);
});

describe("Azure pipeline job bodies", () => {
  const model = (text: string, parameters: Record<string, string> = {}) => ({ name: "p", definition: { path: "x", text }, parameters, buckets: [], triggers: [] });

  it("merge the parameters as literal inputs over the definition's, and name the job after the pipeline", () => {
    const text = JSON.stringify({ properties: { jobType: "Pipeline", jobs: {}, inputs: { a: { jobInputType: "literal", value: "1" }, b: { jobInputType: "uri_folder", uri: "x" } } } });
    expect(jobProperties(model(text, { a: "2" }))).toEqual({
      jobType: "Pipeline",
      jobs: {},
      displayName: "p",
      experimentName: "p",
      inputs: { a: { jobInputType: "literal", value: "2" }, b: { jobInputType: "uri_folder", uri: "x" } },
    });
  });

  it("escape Logic Apps expressions in literals: a leading @ and @{ anywhere", () => {
    expect(logicAppLiteral({ "@k": ["@x", "a@{b}", "plain", "mail@example.com", 3] })).toEqual({ "@@k": ["@@x", "a@@{b}", "plain", "mail@example.com", 3] });
    expect(logicAppLiteral("@{x}")).toBe("@@{x}");
  });
});

describe("spec.pipelines on Azure: the first deploy", () => {
  it("an alarm trigger of an endpoint the first deploy defers is left to the deploy that creates the endpoint", async () => {
    const { loadBlueprintOrThrow } = await import("../../src/blueprint/load.js");
    const { firstDeploy } = await import("../first-deploy/cases.js");
    const { resolveAzure } = await import("../../src/targets/azure/index.js");
    const { model } = loadBlueprintOrThrow(join(ROOT, "blueprints", "continuous-training.yaml"), { env: "azure", vars: {} });
    const ctx = { offline: true, localStatePath: "x.tfstate" };
    expect(resolveAzure(model, ctx).pipelines!.pipelines[0]!.alarm?.endpoints).toEqual(["scorer"]);
    const first = resolveAzure(firstDeploy(model), ctx).pipelines!.pipelines[0]!;
    expect(first.alarm).toBeUndefined();
    expect(first.logicApp).toBeDefined();
  });
});
