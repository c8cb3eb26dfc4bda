import { parse } from "yaml";
import type { GcpPipelineProps, GcpPipelinesProps } from "../../../stacks/gcp/pipelines.js";
import { NAME_RULES, deriveName, globalName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import type { PipelineModel } from "../../model/pipelines.js";
import { GCP_NAME_RULES } from "./names.js";
import type { GcpBucketProps, GcpEndpointProps } from "./props.js";

/**
 * `spec.pipelines[]` on GCP, resolved. There is no Vertex AI pipeline or schedule resource in the
 * google provider (6.50; the request is hashicorp/terraform-provider-google#23290), so each
 * pipeline becomes:
 *  - the PipelineJob request body (the compiled KFP spec inline as `pipelineSpec`, the
 *    parameters as `runtimeConfig.parameterValues`, the run root, the runner service account and
 *    the CMEK key) uploaded as a JSON object to the platform's pipelines bucket. Vertex AI's
 *    `templateUri` accepts Artifact Registry templates only, so the spec travels inline
 *    (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs#PipelineJob).
 *    The body is JSON even for a YAML spec: Workflows decodes JSON, not YAML;
 *  - one Workflows workflow that reads that object and calls `pipelineJobs.create`
 *    (https://cloud.google.com/workflows/docs/reference/googleapis/aiplatform/v1/projects.locations.pipelineJobs/create);
 *  - what starts it: Cloud Scheduler (`schedule`), an Eventarc trigger per watched bucket on
 *    `google.cloud.storage.object.v1.finalized` (`newData`, the prefix filtered in the workflow),
 *    and a Pub/Sub notification channel on the endpoint's alert policies with an Eventarc
 *    trigger on its topic (`alarm`).
 * Pure: every name, the request body and the workflow source are computed here; the source is a
 * fixed text whose `${...}` are Workflows expressions, escaped for Terraform by the sink.
 */

/** Resource names: Workflows ≤ 64 ([a-zA-Z][a-zA-Z0-9_-]*), Eventarc triggers and Pub/Sub topics ≤ 63 here. */
const WORKFLOW_NAME = { maxLength: 64, separator: "-" } as const;

/**
 * The workflow every pipeline runs (one copy per pipeline, so a pipeline's edit never touches
 * another's). Standard library used: `map.get` (null for a missing key or a non-map, so a manual
 * run without argument takes the default branch), `default`, `json.decode`, `base64.decode`,
 * `text.substring`, `text.url_encode` (https://cloud.google.com/workflows/docs/reference/stdlib/overview),
 * and the Cloud Storage and Vertex AI connectors.
 */
export const LAUNCHER_WORKFLOW = `# mlplat pipeline launcher (stacks/gcp/vertex-pipeline.ts). Started by Cloud Scheduler
# ({"source": "schedule"}), by Eventarc with a Cloud Storage "object finalized" CloudEvent, or by
# Eventarc with the Pub/Sub message of an alert policy's notification. Reads the PipelineJob body
# mlplat uploaded and creates a Vertex AI pipeline run with it.
main:
  params: [event]
  steps:
    - init:
        assign:
          - args: \${event}
          - type: \${default(map.get(args, "type"), "")}
          - trigger: \${default(map.get(args, "source"), "manual")}
          - watched: \${json.decode(sys.get_env("MLPLAT_NEW_DATA"))}
          - matched: false
    - route:
        switch:
          - condition: \${type == "google.cloud.storage.object.v1.finalized"}
            next: matchObject
          - condition: \${type == "google.cloud.pubsub.topic.v1.messagePublished"}
            next: readIncident
        next: readJob
    - matchObject:
        for:
          value: w
          in: \${watched}
          steps:
            - sameBucket:
                switch:
                  - condition: \${args.data.bucket != w.bucket or len(args.data.name) < len(w.prefix)}
                    next: continue
            - underPrefix:
                switch:
                  - condition: \${text.substring(args.data.name, 0, len(w.prefix)) == w.prefix}
                    steps:
                      - found:
                          assign:
                            - matched: true
    - newDataOnly:
        switch:
          - condition: \${matched}
            next: fromNewData
        next: skipped
    - fromNewData:
        assign:
          - trigger: "new-data"
        next: readJob
    - readIncident:
        assign:
          - notification: \${json.decode(base64.decode(args.data.message.data))}
          - trigger: "alarm"
    - openedOnly:
        switch:
          - condition: \${map.get(notification, ["incident", "state"]) == "open"}
            next: readJob
        next: skipped
    - readJob:
        call: googleapis.storage.v1.objects.get
        args:
          bucket: \${sys.get_env("MLPLAT_JOB_BUCKET")}
          object: \${text.url_encode(sys.get_env("MLPLAT_JOB_OBJECT"))}
          alt: media
        result: job
    - label:
        assign:
          - job.labels["mlplat-trigger"]: \${trigger}
    - create:
        call: googleapis.aiplatform.v1.projects.locations.pipelineJobs.create
        args:
          parent: \${"projects/" + sys.get_env("GOOGLE_CLOUD_PROJECT_ID") + "/locations/" + sys.get_env("GOOGLE_CLOUD_LOCATION")}
          region: \${sys.get_env("GOOGLE_CLOUD_LOCATION")}
          body: \${job}
        result: run
    - done:
        return: \${run.name}
    - skipped:
        return: "skipped: not an object under a watched prefix, or an alert that closed"
`;

/** The compiled KFP spec of a definition (bare, or under `pipelineSpec` as in PipelineJob JSON). */
export function kfpSpecOf(text: string): Record<string, unknown> {
  const v = parse(text, { maxAliasCount: 100 }) as unknown;
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  // The blueprint rules checked the definition (src/blueprint/rules/pipeline-definitions.ts).
  if (!isObj(v)) throw new Error("pipeline definition: not a mapping (the validation rules should have refused it)");
  return isObj(v.pipelineSpec) ? v.pipelineSpec : v;
}

/**
 * The blueprint's string parameters as the values the spec declares
 * (`root.inputDefinitions.parameters.<name>.parameterType`): Vertex AI rejects a string for a
 * NUMBER_INTEGER parameter. A value that does not read as its type stays a string, and Vertex
 * AI's error names it at run time.
 */
export function parameterValues(spec: Record<string, unknown>, parameters: Readonly<Record<string, string>>): Record<string, unknown> {
  const root = spec.root as { inputDefinitions?: { parameters?: Record<string, { parameterType?: string }> } } | undefined;
  const declared = root?.inputDefinitions?.parameters ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parameters)) {
    const type = declared[k]?.parameterType;
    let value: unknown = v;
    if (type === "NUMBER_INTEGER" && /^-?\d+$/.test(v)) value = Number(v);
    else if (type === "NUMBER_DOUBLE" && v.trim() !== "" && Number.isFinite(Number(v))) value = Number(v);
    else if (type === "BOOLEAN" && (v === "true" || v === "false")) value = v === "true";
    else if (type === "STRUCT" || type === "LIST") {
      try {
        value = JSON.parse(v);
      } catch {
        value = v;
      }
    }
    out[k] = value;
  }
  return out;
}

export interface GcpPipelineContext {
  readonly project: string;
  readonly region: string;
  readonly buckets: readonly GcpBucketProps[];
  /** Managed endpoints in this synth (alert policies exist for these only). */
  readonly endpoints: readonly GcpEndpointProps[];
  /** `projects/…/cryptoKeys/…` of the pipelines key, known offline. */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function resolvePipelines(model: PlatformModel, c: GcpPipelineContext): GcpPipelinesProps | undefined {
  const pipelines = model.pipelines ?? [];
  if (pipelines.length === 0) return undefined;
  const bucketName = globalName(model, "pipelines:runs", NAME_RULES.dns63);
  const bucketOf = new Map(c.buckets.map((b) => [b.id, b.name]));
  return {
    bucketName,
    submitRoleId: deriveName(model, "pipeline-submit", { maxLength: 64, separator: "_" }),
    workflowSource: LAUNCHER_WORKFLOW,
    pipelines: pipelines.map((p) => resolvePipeline(model, p, c, bucketName, bucketOf)),
  };
}

function resolvePipeline(model: PlatformModel, p: PipelineModel, c: GcpPipelineContext, bucketName: string, bucketOf: Map<string, string>): GcpPipelineProps {
  const sa = (role: string) => deriveName(model, `pl-${p.name}-${role}`, GCP_NAME_RULES.serviceAccount);
  const runnerAccountId = sa("run");
  const runPrefix = `runs/${p.name}/`;
  const jobObject = `specs/${p.name}.json`;
  const spec = kfpSpecOf(p.definition.text);
  const body = {
    displayName: p.name,
    pipelineSpec: spec,
    runtimeConfig: {
      gcsOutputDirectory: `gs://${bucketName}/${runPrefix}root`,
      parameterValues: parameterValues(spec, p.parameters),
    },
    serviceAccount: `${runnerAccountId}@${c.project}.iam.gserviceaccount.com`,
    encryptionSpec: { kmsKeyName: c.kmsKeyId },
    labels: { ...c.labels, "mlplat-pipeline": p.name },
  };

  const watchedBuckets = [...new Set(p.triggers.flatMap((t) => (t.kind === "newData" ? [t.bucket] : [])))].sort();
  const newData = watchedBuckets.map((bucketId) => ({
    bucketId,
    bucketName: bucketOf.get(bucketId)!,
    triggerName: deriveName(model, `${p.name}-new-${bucketId}`, NAME_RULES.dns63),
  }));
  const watch = p.triggers.flatMap((t) => (t.kind === "newData" ? [{ bucket: bucketOf.get(t.bucket)!, prefix: t.prefix }] : []));
  // An endpoint deferred on the first deploy (its image not pushed yet) has no alert policies in
  // this synth; its alarm trigger is wired by the deploy that creates the endpoint.
  const present = new Set(c.endpoints.map((e) => e.id));
  const alarmEndpoints = [...new Set(p.triggers.flatMap((t) => (t.kind === "alarm" && present.has(t.endpoint) ? [t.endpoint] : [])))].sort();

  return {
    id: p.name,
    workflowName: deriveName(model, `${p.name}-pipeline`, WORKFLOW_NAME),
    runnerAccountId,
    workflowAccountId: sa("wf"),
    invokerAccountId: sa("inv"),
    jobObject,
    jobBody: JSON.stringify(body),
    runPrefix,
    bucketIds: [...p.buckets],
    schedule: p.schedule
      ? {
          jobName: deriveName(model, `${p.name}-schedule`, WORKFLOW_NAME),
          cron: p.schedule,
          // The executions API takes the argument as a JSON string
          // (https://cloud.google.com/workflows/docs/reference/executions/rest/v1/projects.locations.workflows.executions/create).
          bodyBase64: Buffer.from(JSON.stringify({ argument: JSON.stringify({ source: "schedule" }) })).toString("base64"),
        }
      : undefined,
    newData,
    newDataWatch: JSON.stringify(watch),
    alarm:
      alarmEndpoints.length > 0
        ? {
            endpointIds: alarmEndpoints,
            topicName: deriveName(model, `${p.name}-alarms`, NAME_RULES.dns63),
            triggerName: deriveName(model, `${p.name}-alarm`, NAME_RULES.dns63),
          }
        : undefined,
  };
}
