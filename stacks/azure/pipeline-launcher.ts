import { LogicAppActionCustom } from "@cdktf/provider-azurerm/lib/logic-app-action-custom/index.js";
import { LogicAppTriggerHttpRequest } from "@cdktf/provider-azurerm/lib/logic-app-trigger-http-request/index.js";
import { LogicAppWorkflow } from "@cdktf/provider-azurerm/lib/logic-app-workflow/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { Construct } from "constructs";

/**
 * A Logic App (Consumption) that submits one Azure ML pipeline job when it is called: by an Event
 * Grid subscription (blob created; Event Grid's schema, an array of events) or by an action group
 * (an alert, common alert schema, an object). It answers Event Grid's subscription validation
 * handshake itself (https://learn.microsoft.com/azure/event-grid/webhook-event-delivery#endpoint-validation-with-event-grid-events),
 * submits only for blob events and for alerts that fired (not resolved), and replies to every
 * call so that neither caller retries.
 *
 * The job goes to the workspace's jobs API (PUT …/jobs/<guid>, api-version 2024-10-01) with the
 * Logic App's system-assigned identity, which holds "AzureML Data Scientist" on the workspace
 * only (https://learn.microsoft.com/azure/machine-learning/how-to-assign-roles#default-roles).
 *
 * The request trigger's URL is signed (SAS `sig`): Logic Apps Consumption has no private inbound
 * path, and Event Grid and action groups call from addresses that cannot be listed in the
 * trigger's allowed IP ranges (stacks/azure/README.md "Pipelines").
 *
 * Construct ids are API: `Resource` (the workflow), `trigger`, `route`, `submit-role`.
 */
export interface PipelineLauncherProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly pipeline: string;
  /** ARM id of the Azure ML workspace. */
  readonly workspaceId: string;
  /** The job request body (`{ properties: … }`), its strings escaped for Logic Apps. */
  readonly jobBody: Record<string, unknown>;
}

/** GA API version of Microsoft.MachineLearningServices (jobs, schedules). */
export const ML_JOBS_API_VERSION = "2024-10-01";

export class PipelineLauncher extends Construct {
  readonly workflow: LogicAppWorkflow;
  readonly trigger: LogicAppTriggerHttpRequest;

  constructor(scope: Construct, id: string, props: PipelineLauncherProps) {
    super(scope, id);
    this.workflow = new LogicAppWorkflow(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      identity: { type: "SystemAssigned" },
      tags: props.tags,
    });
    this.trigger = new LogicAppTriggerHttpRequest(this, "trigger", {
      name: "call",
      logicAppId: this.workflow.id,
      method: "POST",
      schema: JSON.stringify({}),
    });

    const submit = (trigger: string) => ({
      type: "Http",
      inputs: {
        method: "PUT",
        uri: `https://management.azure.com${props.workspaceId}/jobs/@{guid()}?api-version=${ML_JOBS_API_VERSION}`,
        body: withTag(props.jobBody, trigger),
        authentication: { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" },
      },
      runAfter: {},
    });
    const reply = (after: string, body: unknown = { status: "ok" }, status = 202) => ({
      type: "Response",
      kind: "Http",
      inputs: { statusCode: status, body },
      runAfter: after ? { [after]: ["Succeeded"] } : {},
    });
    const first = "first(triggerBody())";
    new LogicAppActionCustom(this, "route", {
      name: "route",
      logicAppId: this.workflow.id,
      body: JSON.stringify({
        type: "If",
        runAfter: {},
        // Event Grid posts an array of events; an action group posts one alert object.
        expression: { and: [{ startsWith: ["@{string(triggerBody())}", "["] }] },
        actions: {
          event_grid: {
            type: "If",
            runAfter: {},
            expression: { and: [{ equals: [`@${first}?['eventType']`, "Microsoft.EventGrid.SubscriptionValidationEvent"] }] },
            actions: { validate: reply("", { validationResponse: `@${first}?['data']?['validationCode']` }, 200) },
            else: {
              actions: {
                blob_created: {
                  type: "If",
                  runAfter: {},
                  expression: { and: [{ equals: [`@${first}?['eventType']`, "Microsoft.Storage.BlobCreated"] }] },
                  actions: { submit_new_data: submit("new-data"), accepted_new_data: reply("submit_new_data") },
                  else: { actions: { ignored_event: reply("", { status: "ignored" }, 200) } },
                },
              },
            },
          },
        },
        else: {
          actions: {
            alert_fired: {
              type: "If",
              runAfter: {},
              expression: { and: [{ equals: ["@triggerBody()?['data']?['essentials']?['monitorCondition']", "Fired"] }] },
              actions: { submit_alarm: submit("alarm"), accepted_alarm: reply("submit_alarm") },
              else: { actions: { ignored_alert: reply("", { status: "ignored" }, 200) } },
            },
          },
        },
      }),
    });

    new RoleAssignment(this, "submit-role", {
      scope: props.workspaceId,
      roleDefinitionName: "AzureML Data Scientist",
      principalId: this.workflow.identity.principalId,
      principalType: "ServicePrincipal",
      description: `mlplat: pipeline ${props.pipeline}'s launcher submits jobs`,
    });
  }
}

/** The job body with `tags.mlplat-trigger` set (how the run was started). */
function withTag(body: Record<string, unknown>, trigger: string): Record<string, unknown> {
  const props = (body.properties ?? {}) as Record<string, unknown>;
  const tags = (props.tags ?? {}) as Record<string, unknown>;
  return { ...body, properties: { ...props, tags: { ...tags, "mlplat-trigger": trigger } } };
}
