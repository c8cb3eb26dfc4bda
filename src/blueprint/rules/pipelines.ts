import { isAbsolute, relative } from "node:path";
import { eventBridgeCron, parseCron } from "../../model/cron.js";
import { definitionPathOf } from "../../model/pipelines.js";
import { diag, type Diagnostic } from "../diagnostics.js";
import { closest } from "../did-you-mean.js";
import { checkDefinition } from "./pipeline-definitions.js";
import type { Rule } from "./rule.js";

/**
 * `spec.pipelines[]` (v1.1): names unique, the schedule a 5-field cron the cloud can run,
 * bucket and endpoint references declared, the resolved cloud's definition present, a regular
 * file, and valid in that cloud's format (checked in ./pipeline-definitions.ts, located in the
 * definition file), and `alarm` triggers pointing at an endpoint that has alarms to fire.
 * That azure needs the ML workspace is the workspace rule's (./azure-ml-workspace.ts).
 */
export const pipelines: Rule = (ctx) => {
  const { bp } = ctx;
  const cloud = bp.spec.cloud;
  const out: Diagnostic[] = [];
  const buckets = bp.spec.storage.buckets.map((b) => b.name);
  const endpoints = bp.spec.serving.endpoints;
  const seen = new Map<string, number>();

  const bucketRef = (name: string, path: (string | number)[]) => {
    if (buckets.includes(name)) return;
    const guess = closest(name, buckets);
    out.push(
      diag({
        code: "MLP_PIPELINE_BUCKET_UNKNOWN",
        message: `bucket \`${name}\` is not declared in spec.storage.buckets.`,
        path,
        found: name,
        allowed: buckets.length ? buckets.join(", ") : "none declared",
        hint: guess ? `did you mean \`${guess}\`?` : "declare the bucket under spec.storage.buckets.",
      }),
    );
  };

  bp.spec.pipelines.forEach((p, i) => {
    const path = ["spec", "pipelines", i];
    const first = seen.get(p.name);
    if (first !== undefined) {
      out.push(diag({ code: "MLP_DUPLICATE_NAME", message: `pipeline name \`${p.name}\` is used twice (also at spec.pipelines[${first}]).`, path: [...path, "name"], found: p.name, hint: "give each pipeline its own name." }));
    } else seen.set(p.name, i);

    if (p.schedule !== undefined) out.push(...scheduleProblems(p.schedule, cloud, [...path, "schedule"]));
    if (cloud === "aws") {
      // EventBridge Scheduler and rule targets carry at most 1024 characters per value, 200 parameters.
      // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_SageMakerPipelineParameter.html
      for (const [k, v] of Object.entries(p.parameters)) {
        if (v.length > 1024) out.push(diag({ code: "MLP_PIPELINE_PARAMETER_VALUE", message: `parameter \`${k}\` is ${v.length} characters; EventBridge passes at most 1024 per value to a SageMaker pipeline.`, path: [...path, "parameters", k], found: `${v.length} characters`, allowed: "at most 1024", hint: "pass a shorter value, such as an S3 URI of a file that holds it." }));
      }
    }
    p.buckets.forEach((b, j) => bucketRef(b, [...path, "buckets", j]));

    p.triggers.forEach((t, j) => {
      const tpath = [...path, "triggers", j];
      if ("newData" in t) return bucketRef(t.newData.bucket, [...tpath, "newData", "bucket"]);
      const e = endpoints.find((x) => x.name === t.alarm.endpoint);
      const epath = [...tpath, "alarm", "endpoint"];
      if (!e) {
        const names = endpoints.map((x) => x.name);
        const guess = closest(t.alarm.endpoint, names);
        return void out.push(
          diag({
            code: "MLP_PIPELINE_ENDPOINT_UNKNOWN",
            message: `endpoint \`${t.alarm.endpoint}\` is not declared in spec.serving.endpoints.`,
            path: epath,
            found: t.alarm.endpoint,
            allowed: names.length ? names.join(", ") : "none declared",
            hint: guess ? `did you mean \`${guess}\`?` : "declare the endpoint, or remove the trigger.",
          }),
        );
      }
      if (e.runtime !== "managed") {
        return void out.push(
          diag({
            code: "MLP_PIPELINE_TRIGGER_UNSUPPORTED",
            message: `endpoint \`${e.name}\` runs on Kubernetes, where mlplat creates no cloud alarms, so an \`alarm\` trigger would never fire.`,
            path: epath,
            found: `runtime: ${e.runtime}`,
            allowed: "runtime: managed",
            hint: "point the trigger at a managed endpoint with alarms, or use a schedule or a newData trigger.",
          }),
        );
      }
      const drift = cloud === "aws" && e.monitoring?.drift !== undefined;
      if (e.alarms.latencyP99Ms === undefined && e.alarms.errorRatePercent === undefined && !drift) {
        out.push(
          diag({
            code: "MLP_PIPELINE_ALARM_NONE",
            message: `endpoint \`${e.name}\` has no alarms${cloud === "aws" ? " and no drift monitoring" : ""}, so this trigger would never fire.`,
            path: epath,
            found: e.name,
            hint: `set spec.serving.endpoints[${endpoints.indexOf(e)}].alarms.latencyP99Ms or .errorRatePercent${cloud === "aws" ? " (or monitoring.drift)" : ""}.`,
          }),
        );
      }
      // On aws the rule matches alarm names by the prefix `<endpoint name>-` (stacks/aws/retraining-pipeline.ts).
      const overlap = cloud === "aws" ? endpoints.filter((x) => x.runtime === "managed" && x.name.startsWith(`${e.name}-`)).map((x) => x.name) : [];
      if (overlap.length) {
        out.push(
          diag({
            code: "MLP_PIPELINE_ALARM_PREFIX_OVERLAP",
            severity: "warning",
            message: `on aws the trigger matches alarms named \`<${e.name}'s SageMaker name>-…\`, which also names the alarms of ${overlap.map((n) => `\`${n}\``).join(", ")}: their alarms would start this pipeline too.`,
            path: epath,
            found: overlap.join(", "),
            hint: `rename the endpoint${overlap.length > 1 ? "s" : ""} so that no name starts with \`${e.name}-\`, or accept the extra runs.`,
          }),
        );
      }
    });

    out.push(...definitionProblems(ctx, i));
  });
  return out;
};

function scheduleProblems(schedule: string, cloud: string, path: (string | number)[]): Diagnostic[] {
  const c = parseCron(schedule);
  if (!c.ok) {
    return [diag({ code: "MLP_PIPELINE_CRON", message: c.message, path, found: c.found, allowed: "minute hour day-of-month month day-of-week (UTC), e.g. \"0 3 * * 1\"", hint: "write 5 cron fields: `*`, a value, a range `a-b`, a step `*/n`, or a comma list of them." })];
  }
  if (cloud === "aws") {
    const eb = eventBridgeCron(schedule);
    if (!eb.ok) {
      return [diag({ code: "MLP_PIPELINE_CRON_UNSUPPORTED", message: eb.message, path, found: schedule, hint: "restrict only one of the day fields (`0 3 1 * *` or `0 3 * * 1`), or use two pipelines' schedules." })];
    }
  }
  return [];
}

/** The resolved cloud's definition: named, readable as a regular file, valid in the cloud's format. */
function definitionProblems(ctx: Parameters<Rule>[0], i: number): Diagnostic[] {
  const { bp } = ctx;
  const cloud = bp.spec.cloud;
  const p = bp.spec.pipelines[i]!;
  const base = ["spec", "pipelines", i, "definition"];
  const file = definitionPathOf(p, cloud, ctx.blueprintDir);
  const field = typeof p.definition === "string" ? `spec.pipelines[${i}].definition` : `spec.pipelines[${i}].definition.${cloud}`;
  const path = typeof p.definition === "string" ? base : [...base, cloud];
  if (file === undefined) {
    const given = Object.keys(p.definition).filter((k) => (p.definition as Record<string, unknown>)[k] !== undefined);
    return [
      diag({
        code: "MLP_PIPELINE_DEFINITION_MISSING",
        message: `pipeline \`${p.name}\` has no definition for ${cloud}, the cloud this blueprint resolves to.`,
        path: base,
        found: given.length ? given.join(", ") : "an empty map",
        allowed: cloud,
        hint: `add \`${cloud}: <file>\` to the definition map (${cloud === "aws" ? "a SageMaker pipeline definition JSON" : cloud === "gcp" ? "a compiled KFP pipeline spec" : "an Azure ML REST pipeline job JSON"}).`,
      }),
    ];
  }
  const written = typeof p.definition === "string" ? p.definition : p.definition[cloud]!;
  // Only files inside the blueprint's folder are read (and uploaded): see ../referenced-file.ts.
  if (isAbsolute(written)) {
    return [
      diag({
        code: "MLP_PIPELINE_DEFINITION_OUTSIDE",
        message: `pipeline \`${p.name}\`'s definition is an absolute path; mlplat reads (and uploads) only files inside the blueprint's folder, named relative to it.`,
        path,
        found: written,
        hint: "copy the file into the blueprint's folder (for example pipelines/<file>) and name it relative to the blueprint; `mlplat init --template <name>` does this for a template's definitions.",
      }),
    ];
  }
  const read = ctx.readFile(file);
  if (!read.ok && (read.code === "MLP_PIPELINE_DEFINITION_OUTSIDE" || read.code === "MLP_PIPELINE_DEFINITION_SYMLINK")) {
    return [diag({ code: read.code, message: `pipeline \`${p.name}\`'s definition: ${read.message}`, path, found: written, hint: read.hint })];
  }
  if (!read.ok) {
    const rel = relative(ctx.blueprintDir, file) || file;
    const why =
      read.code === "MLP_FILE_IS_DIRECTORY" ? `\`${rel}\` is a directory, not a file.`
      : read.code === "MLP_FILE_NOT_REGULAR" ? `\`${rel}\` is not a regular file (a pipe, device or socket).`
      : read.code === "MLP_FILE_TOO_LARGE" ? `\`${rel}\` is larger than 4 MiB.`
      : read.message;
    return [diag({ code: "MLP_PIPELINE_DEFINITION_UNREADABLE", message: `pipeline \`${p.name}\`'s definition: ${why}`, path, found: rel, hint: "the path is relative to the blueprint's folder and must name a regular file of at most 4 MiB." })];
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return [diag({ code: "MLP_PIPELINE_DEFINITION_UNREADABLE", message: `pipeline \`${p.name}\`'s definition is not UTF-8 text.`, path, found: relative(ctx.blueprintDir, file), hint: "point at the exported definition (JSON or YAML text)." })];
  }
  return checkDefinition({ cloud, file, text, field, pipeline: p.name, parameters: p.parameters });
}
