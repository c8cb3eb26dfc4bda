import type { AzurePipelineProps, AzurePipelinesProps } from "../../../stacks/azure/pipelines.js";
import { deriveName, fitName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import type { PipelineModel } from "../../model/pipelines.js";
import { ACTION_GROUP_SHORT, AZ_NAME } from "./names.js";

/**
 * `spec.pipelines[]` on Azure, resolved. The definition is the REST JobBase of an Azure ML
 * pipeline job (`{ properties: { jobType: Pipeline, jobs: … } }`, components registered as
 * `azureml:`), checked by the blueprint rules. Each pipeline becomes:
 *  - `schedule`: an Azure ML schedule (`Microsoft.MachineLearningServices/workspaces/schedules`,
 *    through azapi: azurerm has no resource for it) with a cron trigger in UTC and a CreateJob
 *    action whose job definition is the definition's `properties`, the parameters as literal
 *    inputs (https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/2024-10-01/workspaces/schedules);
 *  - `newData` / `alarm`: a Logic App (system-assigned identity) that submits the same job to the
 *    workspace's jobs API (https://learn.microsoft.com/rest/api/azureml/jobs/create-or-update),
 *    called by an Event Grid subscription on the storage account's system topic (BlobCreated,
 *    subject prefix filter) and by an action group on the endpoint's metric alerts.
 * Pure: names and job bodies are computed here; the sink escapes every literal.
 */

/** Event Grid event subscription names: 3-64 letters, digits and hyphens. */
const SUBSCRIPTION_NAME = { maxLength: 64, minLength: 3, separator: "-" } as const;
/** Logic App workflow names: up to 43 characters here (80 allowed; kept short for the portal). */
const LOGIC_APP_NAME = { maxLength: 43, separator: "-" } as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * The job's `properties` with the blueprint's parameters as literal inputs (they win over the
 * definition's own values) and the pipeline's name as display and default experiment name.
 */
export function jobProperties(p: PipelineModel): Obj {
  const parsed = JSON.parse(p.definition.text) as unknown;
  // The blueprint rules checked the shape (src/blueprint/rules/pipeline-definitions.ts).
  if (!isObj(parsed) || !isObj(parsed.properties)) throw new Error(`pipeline ${p.name}: the definition has no properties object (the validation rules should have refused it)`);
  const props = parsed.properties;
  const inputs = isObj(props.inputs) ? { ...props.inputs } : {};
  for (const [k, v] of Object.entries(p.parameters)) inputs[k] = { jobInputType: "literal", value: v };
  return {
    ...props,
    displayName: typeof props.displayName === "string" ? props.displayName : p.name,
    experimentName: typeof props.experimentName === "string" ? props.experimentName : p.name,
    ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
  };
}

/**
 * A value for a Logic App definition: Logic Apps evaluate a string that starts with `@` and
 * interpolate `@{…}` anywhere, so each literal string is escaped (`@@`)
 * (https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-schema#expressions).
 */
export function logicAppLiteral(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/^@/, "@@").replace(/(?<!^@)@\{/g, "@@{");
  if (Array.isArray(v)) return v.map(logicAppLiteral);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [logicAppLiteral(k) as string, logicAppLiteral(x)]));
  return v;
}

export function resolvePipelines(model: PlatformModel, containerNames: ReadonlyMap<string, string>, managedEndpoints: readonly string[]): AzurePipelinesProps | undefined {
  const pipelines = model.pipelines ?? [];
  if (pipelines.length === 0) return undefined;
  if (!model.registry.models) {
    // The blueprint rule MLP_AZURE_ML_WORKSPACE_REQUIRED refuses this at validate.
    throw new Error("pipelines on azure need the Azure ML workspace (registry.models: true)");
  }
  const resolved = pipelines.map((p) => resolvePipeline(model, p, containerNames, new Set(managedEndpoints)));
  return {
    pipelines: resolved,
    systemTopicName: resolved.some((p) => p.newData.length > 0) ? deriveName(model, "storage-events", AZ_NAME) : undefined,
  };
}

function resolvePipeline(model: PlatformModel, p: PipelineModel, containerNames: ReadonlyMap<string, string>, present: ReadonlySet<string>): AzurePipelineProps {
  const job = jobProperties(p);
  const newData = p.triggers.flatMap((t, i) => {
    if (t.kind !== "newData") return [];
    const container = containerNames.get(t.bucket);
    if (!container) throw new Error(`pipeline ${p.name}: no container for bucket '${t.bucket}'`);
    return [
      {
        id: `new-data-${i}`,
        subscriptionName: deriveName(model, `${p.name}-new-${i}`, SUBSCRIPTION_NAME),
        // Blob subjects: /blobServices/default/containers/<container>/blobs/<path>
        // (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage#example-events).
        subjectBeginsWith: `/blobServices/default/containers/${container}/blobs/${t.prefix}`,
      },
    ];
  });
  // An endpoint deferred on the first deploy (its image not pushed yet) has no metric alerts in
  // this synth; the deploy that creates it wires the trigger.
  const alarmEndpoints = [...new Set(p.triggers.flatMap((t) => (t.kind === "alarm" && present.has(t.endpoint) ? [t.endpoint] : [])))].sort();
  const events = newData.length > 0 || alarmEndpoints.length > 0;
  return {
    id: p.name,
    schedule: p.schedule ? { name: fitName(p.name, AZ_NAME), cron: p.schedule } : undefined,
    jobDefinition: job,
    logicApp: events
      ? {
          name: deriveName(model, `${p.name}-launcher`, LOGIC_APP_NAME),
          jobBody: logicAppLiteral({ properties: job }) as Obj,
        }
      : undefined,
    newData,
    alarm:
      alarmEndpoints.length > 0
        ? {
            endpoints: alarmEndpoints,
            actionGroupName: deriveName(model, `${p.name}-retrain`, AZ_NAME),
            actionGroupShortName: fitName(`rt-${p.name}`, ACTION_GROUP_SHORT),
          }
        : undefined,
  };
}
