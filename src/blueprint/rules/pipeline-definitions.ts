import { LineCounter } from "yaml";
import type { Cloud } from "../../model/platform.js";
import { diag, type Diagnostic, type FieldPath } from "../diagnostics.js";
import { locate, type ParsedFile } from "../parse.js";
import { checkDocument, parseYamlText } from "../yaml-checks.js";
import { treeOf } from "../yaml-tree.js";

/**
 * A pipeline's definition file, checked in its cloud's format. Problems are located in the
 * DEFINITION file (file, line, column, the field's path inside it), not in the blueprint:
 *  - aws: a SageMaker pipeline definition JSON (schema 2020-12-01: Version, Steps[] with Name,
 *    Type, Arguments; Parameters[] with Name)
 *    https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/
 *  - gcp: a compiled KFP pipeline spec (IR YAML or JSON, bare or under `pipelineSpec`) with
 *    pipelineInfo.name, root and components; parameters in root.inputDefinitions.parameters
 *    https://www.kubeflow.org/docs/components/pipelines/user-guides/core-functions/compile-a-pipeline/
 *  - azure: the REST JobBase JSON of a pipeline job (properties.jobType "Pipeline", properties.jobs
 *    whose componentId names a registered `azureml:` component); the CLI v2 YAML with local
 *    paths cannot be submitted through the REST API that the schedule and the Logic App call
 *    https://learn.microsoft.com/en-us/rest/api/azureml/jobs/create-or-update
 */

/** What a rule knows of the definition it checks. */
export interface DefinitionInput {
  readonly cloud: Cloud;
  readonly file: string;
  readonly text: string;
  /** The blueprint field that names the file, for messages: `spec.pipelines[0].definition.aws`. */
  readonly field: string;
  readonly pipeline: string;
  /** `parameters` of the pipeline: each key must be declared by the definition (and on aws fit its type). */
  readonly parameters: Readonly<Record<string, string>>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** A value of the definition for `found`: a scalar as JSON, a list or mapping only by its kind (not its content). */
const shown = (v: unknown): string => (v === undefined ? "missing" : Array.isArray(v) ? "a list" : isObj(v) ? "a mapping" : JSON.stringify(v));

/** Checks one definition; returns located diagnostics (empty when it is fine). */
export function checkDefinition(input: DefinitionInput): Diagnostic[] {
  const parsed = parseDefinition(input);
  if ("problems" in parsed) return parsed.problems;
  const at = new Locator(input, parsed.file);
  switch (input.cloud) {
    case "aws":
      return checkSageMaker(parsed.file.value, at, input);
    case "gcp":
      return checkKfp(parsed.file.value, at, input);
    case "azure":
      return checkAzureJob(parsed.file.value, at, input);
  }
}

/** YAML parse with locations (JSON is YAML 1.2); aws and azure must also be strict JSON. */
function parseDefinition(input: DefinitionInput): { file: ParsedFile } | { problems: Diagnostic[] } {
  const { file, text } = input;
  const lineCounter = new LineCounter();
  const lines = text.split(/\r?\n/);
  const syntax = (offset: number, message: string) => {
    const before = text.slice(0, Math.min(offset, text.length)).split("\n");
    const line = before.length;
    const col = before[before.length - 1]!.length + 1;
    return {
      problems: [
        {
          ...diag({ code: "MLP_PIPELINE_DEFINITION_SYNTAX", message: `${intro(input)} is not valid ${format(input.cloud)}: ${message}`, path: [], hint: hintFor(input.cloud) }),
          file,
          line,
          col,
          source: lines[line - 1] ?? "",
        },
      ],
    };
  };
  if (text.trim() === "") return syntax(0, "the file is empty.");
  // JSON's own messages first where the format is JSON (yaml's read oddly for JSON mistakes);
  // azure's CLI v2 YAML is recognised before, to say which form is needed.
  const jsonError = input.cloud === "gcp" ? undefined : strictJson(text);
  if (jsonError && input.cloud === "aws") return syntax(jsonError.offset, jsonError.message);
  const r = parseYamlText(text, lineCounter);
  if ("tooDeep" in r) return syntax(r.tooDeep.offset, r.tooDeep.message);
  if (r.docs.length !== 1) return syntax(r.docs[1]?.range[0] ?? 0, `the file holds ${r.docs.length} YAML documents; a definition is one.`);
  const doc = r.docs[0]!;
  const err = doc.errors[0];
  if (err) return syntax(err.pos[0], err.message.split("\n")[0]!);
  if (jsonError) {
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (isObj(v) && isCliV2(v)) {
      const key = v.$schema !== undefined ? "$schema" : v.type !== undefined ? "type" : "jobs";
      const node = doc.getIn([key], true) as { range?: [number, number] } | undefined;
      const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
      return { problems: [{ ...cliV2(input, [key]), file, line, col, source: lines[line - 1] ?? "" }] };
    }
    return syntax(jsonError.offset, jsonError.message);
  }
  const findings = checkDocument(doc, text).filter((f) => f.code !== "MLP_CONTROL_CHARACTER");
  if (findings.length) {
    const f = findings[0]!;
    return syntax(f.offset, f.message);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return syntax(0, String((e as Error).message).split("\n")[0]!);
  }
  return { file: { file, text, tree: treeOf(doc.contents), lineCounter, lines, value: value as Record<string, unknown> } };
}

function strictJson(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const raw = String((e as Error).message);
    const pos = /position (\d+)/.exec(raw);
    return { offset: pos ? Number(pos[1]) : /end of JSON/.test(raw) ? text.trimEnd().length : 0, message: withoutExcerpt(raw) };
  }
}

/**
 * JSON.parse's message without the excerpt V8 quotes (`Unexpected token 'r', "root:x:0:0"... is
 * not valid JSON` quotes the file, across lines): a diagnostic shows the definition only as its
 * located line, as for the blueprint (a definition may hold secrets).
 */
export function withoutExcerpt(message: string): string {
  if (!/is not valid JSON\s*$/.test(message)) return message.split("\n")[0]!;
  const token = /^Unexpected token '([\s\S]{1,2})', /.exec(message);
  return token ? `Unexpected token '${token[1]}', not valid JSON.` : "not valid JSON.";
}

/** The Azure ML CLI v2 pipeline YAML (or its JSON): `$schema`, `type: pipeline`, top-level `jobs`. */
function isCliV2(v: Obj): boolean {
  return v.$schema !== undefined || v.type !== undefined || (v.properties === undefined && v.jobs !== undefined);
}

function cliV2(input: DefinitionInput, path: FieldPath): Diagnostic {
  return diag({
    code: "MLP_PIPELINE_AZURE_NOT_REST",
    message: `${intro(input)}: this is the Azure ML CLI v2 form; the schedule and the Logic App submit the REST form (JobBase), which references components registered in the workspace.`,
    path,
    hint: "register each component (`az ml component create`), then write { properties: { jobType: Pipeline, jobs: { <step>: { componentId: azureml:<name>:<version> } } } } as JSON.",
  });
}

/** Builds diagnostics located at a field of the definition file. */
class Locator {
  constructor(
    private readonly input: DefinitionInput,
    private readonly file: ParsedFile,
  ) {}

  at(path: FieldPath, message: string, extra: { code?: string; found?: string; allowed?: string; hint?: string } = {}): Diagnostic {
    return this.place(diag({ code: extra.code ?? "MLP_PIPELINE_DEFINITION_INVALID", message: `${intro(this.input)}: ${message}`, path, found: extra.found, allowed: extra.allowed, hint: extra.hint ?? hintFor(this.input.cloud) }));
  }

  /** The diagnostic located at its path in the definition file. */
  place(d: Diagnostic): Diagnostic {
    const where = locate(this.file, d.path);
    return { ...d, file: this.input.file, line: where?.line ?? 1, col: where?.col ?? 1, source: where?.source ?? this.file.lines[0] ?? "" };
  }
}

function intro(i: DefinitionInput): string {
  return `pipeline \`${i.pipeline}\`'s definition (${i.field})`;
}

function format(cloud: Cloud): string {
  return cloud === "aws" ? "JSON (a SageMaker pipeline definition)" : cloud === "gcp" ? "YAML or JSON (a compiled KFP pipeline spec)" : "JSON (an Azure ML pipeline job, REST JobBase)";
}

function hintFor(cloud: Cloud): string {
  switch (cloud) {
    case "aws":
      return "export the definition with the SageMaker Python SDK: `pipeline.definition()` written to a .json file.";
    case "gcp":
      return "compile the pipeline with the KFP SDK: `kfp.compiler.Compiler().compile(pipeline_func, 'pipeline.yaml')`.";
    case "azure":
      return "write the REST form of the pipeline job ({ properties: { jobType: Pipeline, jobs: { <step>: { componentId: azureml:<component>:<version> } } } }) with components registered in the workspace.";
  }
}

// --- aws: SageMaker ------------------------------------------------------------------------

/** What a value passed to a parameter of each SageMaker type must look like (ParameterType). */
const SAGEMAKER_TYPES: Readonly<Record<string, RegExp>> = {
  String: /^[\s\S]*$/,
  Integer: /^-?\d+$/,
  Float: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/,
  Boolean: /^(true|false)$/,
};
export const SAGEMAKER_MAX_DEFINITION = 1_048_576;

function checkSageMaker(v: unknown, at: Locator, input: DefinitionInput): Diagnostic[] {
  if (!isObj(v)) return [at.at([], "the definition is not a JSON object.", { found: typeof v })];
  const out: Diagnostic[] = [];
  if (typeof v.Version !== "string") out.push(at.at(v.Version === undefined ? [] : ["Version"], "`Version` (the schema version, \"2020-12-01\") is missing or not a string.", { allowed: "2020-12-01" }));
  if (!Array.isArray(v.Steps) || v.Steps.length === 0) {
    out.push(at.at(v.Steps === undefined ? [] : ["Steps"], "`Steps` must be a non-empty list of steps.", { allowed: "[{ Name, Type, Arguments }, …]" }));
  } else {
    const names = new Set<string>();
    v.Steps.forEach((s, i) => {
      if (!isObj(s)) return void out.push(at.at(["Steps", i], "a step must be an object with Name, Type and Arguments."));
      for (const key of ["Name", "Type"] as const) {
        if (typeof s[key] !== "string" || s[key] === "") out.push(at.at(s[key] === undefined ? ["Steps", i] : ["Steps", i, key], `step ${i} has no \`${key}\` (a non-empty string).`));
      }
      if (!isObj(s.Arguments)) out.push(at.at(s.Arguments === undefined ? ["Steps", i] : ["Steps", i, "Arguments"], `step ${i}${typeof s.Name === "string" ? ` (\`${s.Name}\`)` : ""} has no \`Arguments\` object.`));
      if (typeof s.Name === "string") {
        if (names.has(s.Name)) out.push(at.at(["Steps", i, "Name"], `step name \`${s.Name}\` is used twice.`, { found: s.Name }));
        names.add(s.Name);
      }
    });
  }
  const declared: string[] = [];
  if (v.Parameters !== undefined) {
    if (!Array.isArray(v.Parameters)) out.push(at.at(["Parameters"], "`Parameters` must be a list of { Name, Type, DefaultValue }."));
    else
      v.Parameters.forEach((p, i) => {
        if (!isObj(p) || typeof p.Name !== "string") return void out.push(at.at(["Parameters", i], `parameter ${i} has no \`Name\`.`));
        declared.push(p.Name);
        const value = input.parameters[p.Name];
        const fits = SAGEMAKER_TYPES[String(p.Type ?? "String")];
        if (value !== undefined && fits && !fits.test(value)) {
          out.push(
            at.at(["Parameters", i, "Type"], `the blueprint passes \`${p.Name}: "${value}"\`, which is not a SageMaker ${String(p.Type)}: the run would fail to start.`, {
              code: "MLP_PIPELINE_PARAMETER_VALUE",
              found: value,
              allowed: String(p.Type),
              hint: `pass a ${String(p.Type).toLowerCase()} value (as a string), or declare the parameter as String.`,
            }),
          );
        }
      });
  }
  // CreatePipeline takes at most 1 MB of definition inline (PipelineDefinition, 1-1048576 characters).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePipeline.html
  if (input.text.length > SAGEMAKER_MAX_DEFINITION) {
    out.push(at.at([], `the definition is ${input.text.length} characters; SageMaker takes at most ${SAGEMAKER_MAX_DEFINITION} inline.`, { found: String(input.text.length), allowed: `at most ${SAGEMAKER_MAX_DEFINITION}` }));
  }
  out.push(...undeclared(input, declared, at, v.Parameters === undefined ? [] : ["Parameters"], "`Parameters` (Name)"));
  return out;
}

// --- gcp: compiled KFP spec ----------------------------------------------------------------

function checkKfp(v: unknown, at: Locator, input: DefinitionInput): Diagnostic[] {
  if (!isObj(v)) return [at.at([], "the definition is not a mapping.", { found: Array.isArray(v) ? "a list" : typeof v })];
  const base: FieldPath = isObj(v.pipelineSpec) ? ["pipelineSpec"] : [];
  const spec = isObj(v.pipelineSpec) ? v.pipelineSpec : v;
  const out: Diagnostic[] = [];
  if (spec.jobs !== undefined || spec.$schema !== undefined || spec.apiVersion !== undefined) {
    return [at.at(base, "this is not a compiled KFP pipeline spec (it has no pipelineInfo/root/components, and looks like another format).", { hint: hintFor("gcp") })];
  }
  const info = spec.pipelineInfo;
  if (!isObj(info) || typeof info.name !== "string" || info.name === "") out.push(at.at(isObj(info) ? [...base, "pipelineInfo"] : base, "`pipelineInfo.name` is missing: a compiled spec names its pipeline."));
  if (!isObj(spec.root) || !isObj(spec.root.dag)) out.push(at.at(isObj(spec.root) ? [...base, "root"] : base, "`root.dag` is missing: a compiled spec has the pipeline's DAG under root."));
  if (!isObj(spec.components)) out.push(at.at(spec.components === undefined ? base : [...base, "components"], "`components` is missing or not a mapping."));
  const root = isObj(spec.root) ? spec.root : {};
  const inputs = isObj(root.inputDefinitions) && isObj(root.inputDefinitions.parameters) ? root.inputDefinitions.parameters : {};
  const path: FieldPath = isObj(root.inputDefinitions) && isObj(root.inputDefinitions.parameters) ? [...base, "root", "inputDefinitions", "parameters"] : isObj(spec.root) ? [...base, "root"] : base;
  out.push(...undeclared(input, Object.keys(inputs), at, path, "`root.inputDefinitions.parameters`"));
  return out;
}

// --- azure: REST JobBase -------------------------------------------------------------------

function checkAzureJob(v: unknown, at: Locator, input: DefinitionInput): Diagnostic[] {
  if (!isObj(v)) return [at.at([], "the definition is not a JSON object.", { found: Array.isArray(v) ? "a list" : typeof v })];
  if (isCliV2(v)) {
    const key = v.$schema !== undefined ? "$schema" : v.type !== undefined ? "type" : "jobs";
    return [at.place(cliV2(input, [key]))];
  }
  const props = v.properties;
  if (!isObj(props)) return [at.at([], "`properties` is missing: a REST JobBase holds the job under `properties`.")];
  const out: Diagnostic[] = [];
  if (props.jobType !== "Pipeline") out.push(at.at(props.jobType === undefined ? ["properties"] : ["properties", "jobType"], "`properties.jobType` must be \"Pipeline\".", { found: shown(props.jobType), allowed: "Pipeline" }));
  if (!isObj(props.jobs) || Object.keys(props.jobs).length === 0) {
    out.push(at.at(props.jobs === undefined ? ["properties"] : ["properties", "jobs"], "`properties.jobs` must map step names to jobs."));
  } else {
    for (const [name, job] of Object.entries(props.jobs)) {
      const path = ["properties", "jobs", name];
      if (!isObj(job)) {
        out.push(at.at(path, `job \`${name}\` is not an object.`));
        continue;
      }
      const local = ["component", "code"].find((k) => typeof job[k] === "string" && !String(job[k]).startsWith("azureml:"));
      if (local) {
        out.push(
          at.at([...path, local], `job \`${name}\` points at a local path (\`${String(job[local])}\`): the REST API cannot upload it, so the job needs a registered component.`, {
            code: "MLP_PIPELINE_AZURE_NOT_REST",
            found: String(job[local]),
            hint: "register the component (`az ml component create --file …`) and write `componentId: azureml:<name>:<version>` instead.",
          }),
        );
        continue;
      }
      const id = job.componentId;
      if (typeof id !== "string" || !(id.startsWith("azureml:") || /\/components\/[^/]+\/versions\/[^/]+$/.test(id))) {
        out.push(at.at(id === undefined ? path : [...path, "componentId"], `job \`${name}\` needs \`componentId\` naming a registered component.`, { found: shown(id), allowed: "azureml:<name>:<version>, or the component version's resource id" }));
      }
    }
  }
  const inputs = isObj(props.inputs) ? Object.keys(props.inputs) : [];
  out.push(...undeclared(input, inputs, at, isObj(props.inputs) ? ["properties", "inputs"] : ["properties"], "`properties.inputs`"));
  return out;
}

/** `parameters` keys the definition does not declare: one located error each. */
function undeclared(input: DefinitionInput, declared: readonly string[], at: Locator, path: FieldPath, where: string): Diagnostic[] {
  return Object.keys(input.parameters)
    .filter((p) => !declared.includes(p))
    .map((p) =>
      at.at(path, `the blueprint passes parameter \`${p}\`, which the definition does not declare in ${where}.`, {
        code: "MLP_PIPELINE_PARAMETER_UNDECLARED",
        found: p,
        allowed: declared.length ? declared.join(", ") : "none declared",
        hint: "declare the parameter in the pipeline (and re-export the definition), or remove it from `parameters`.",
      }),
    );
}
