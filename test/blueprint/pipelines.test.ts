import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { eventBridgeCron, parseCron } from "../../src/model/cron.js";

/**
 * `spec.pipelines` rules through the public entry point (loadBlueprint), with the definition
 * files written beside the blueprint. Problems inside a definition are located in that file.
 */
const today = "2026-11-25";
const EXAMPLES = join(__dirname, "../../blueprints/pipelines");

const HEADS = {
  aws: 'cloud: aws\n  region: us-east-1\n  aws: { accountId: "123456789012" }',
  gcp: "cloud: gcp\n  region: us-central1\n  gcp: { project: demo-project, billingAccount: 012345-6789AB-CDEF01 }",
  azure: "cloud: azure\n  region: eastus\n  azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }",
} as const;
type Cloud = keyof typeof HEADS;

interface Case {
  cloud?: Cloud;
  /** The `pipelines:` list, indented under spec. */
  pipelines: string;
  /** Files beside the blueprint: name → text (a name ending in `/`: a folder). */
  files?: Record<string, string>;
  endpoints?: string;
}

function load(c: Case) {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-pipelines-"));
  for (const f of ["retrain-fraud.sagemaker.json", "retrain-fraud.kfp.yaml", "retrain-fraud.azureml.json"]) copyFileSync(join(EXAMPLES, f), join(dir, f));
  for (const [name, text] of Object.entries(c.files ?? {})) {
    if (name.endsWith("/")) mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), text);
  }
  const file = join(dir, "platform.yaml");
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com }
spec:
  ${HEADS[c.cloud ?? "aws"]}
  storage:
    buckets: [{ name: datasets }, { name: models }]
  registry: { models: true }
  serving:
    endpoints:
${c.endpoints ?? "      - { name: scorer, image: nginx.example.com/s:1, cpu: 1, memoryGiB: 2, alarms: { latencyP99Ms: 100 } }"}
  pipelines:
${c.pipelines}
`,
  );
  const r = loadBlueprint(file, { today, vars: {} });
  return { r, dir, problems: r.diagnostics.filter((d) => d.code.startsWith("MLP_PIPELINE") || d.code === "MLP_DUPLICATE_NAME").map((d) => renderDiagnostic({ ...d, file: d.file && basename(d.file) })) };
}

const AWS_DEF = "retrain-fraud.sagemaker.json";

describe("valid pipelines", () => {
  it("loads the example definition of each cloud into the model with its text", () => {
    for (const [cloud, def] of [["aws", AWS_DEF], ["gcp", "retrain-fraud.kfp.yaml"], ["azure", "retrain-fraud.azureml.json"]] as const) {
      const { r, dir } = load({ cloud, pipelines: `    - { name: retrain, definition: { ${cloud}: ${def} }, schedule: "0 3 * * 1", parameters: { num_round: "9" }, buckets: [datasets], triggers: [{ newData: { bucket: datasets, prefix: daily/ } }, { alarm: { endpoint: scorer } }] }` });
      expect(r.diagnostics.filter((d) => d.severity === "error" && d.code.startsWith("MLP_PIPELINE"))).toEqual([]);
      if (cloud !== "azure") {
        const p = r.model?.pipelines?.[0];
        if (!p) throw new Error(`no model for ${cloud}`);
        expect(p.definition.path).toBe(join(dir, def));
        expect(p.definition.text).toContain(cloud === "aws" ? '"Version": "2020-12-01"' : "pipelineInfo:");
        expect(p.triggers).toEqual([{ kind: "newData", bucket: "datasets", prefix: "daily/" }, { kind: "alarm", endpoint: "scorer" }]);
      }
    }
  });
});

describe("rejects pipelines the clouds cannot run", () => {
  it("rejects a bad cron, located at the schedule", () => {
    expect(load({ pipelines: `    - { name: p, definition: ${AWS_DEF}, schedule: "0 25 * * 1" }` }).problems).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:70 error MLP_PIPELINE_CRON spec.pipelines[0].schedule
        hour field \`25\`: \`25\` is not 0-23.
        15 |     - { name: p, definition: retrain-fraud.sagemaker.json, schedule: "0 25 * * 1" }
           |                                                                      ^
        found: 0 25 * * 1 · allowed: minute hour day-of-month month day-of-week (UTC), e.g. "0 3 * * 1"
        hint: write 5 cron fields: \`*\`, a value, a range \`a-b\`, a step \`*/n\`, or a comma list of them.",
      ]
    `);
    expect(load({ pipelines: `    - { name: p, definition: ${AWS_DEF}, schedule: "@weekly" }` }).problems[0]).toContain("cron macro");
    expect(load({ pipelines: `    - { name: p, definition: ${AWS_DEF}, schedule: "0 3 * *" }` }).problems[0]).toContain("got 4");
  });

  it("rejects on aws a cron restricting both day fields (EventBridge cannot), accepts it on gcp", () => {
    expect(load({ pipelines: `    - { name: p, definition: ${AWS_DEF}, schedule: "0 3 1 * 1" }` }).problems).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:70 error MLP_PIPELINE_CRON_UNSUPPORTED spec.pipelines[0].schedule
        \`0 3 1 * 1\` restricts both day-of-month and day-of-week (unix cron runs when either matches); EventBridge Scheduler can only restrict one of them.
        15 |     - { name: p, definition: retrain-fraud.sagemaker.json, schedule: "0 3 1 * 1" }
           |                                                                      ^
        found: 0 3 1 * 1
        hint: restrict only one of the day fields (\`0 3 1 * *\` or \`0 3 * * 1\`), or use two pipelines' schedules.",
      ]
    `);
    expect(load({ cloud: "gcp", pipelines: `    - { name: p, definition: retrain-fraud.kfp.yaml, schedule: "0 3 1 * 1" }` }).problems).toEqual([]);
  });

  it("rejects undeclared buckets and endpoints with a did-you-mean, and duplicate names", () => {
    expect(
      load({
        pipelines: `    - { name: p, definition: ${AWS_DEF}, buckets: [dataset], triggers: [{ newData: { bucket: modles } }, { alarm: { endpoint: scorr } }] }
    - { name: p, definition: ${AWS_DEF} }`,
      }).problems,
    ).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:70 error MLP_PIPELINE_BUCKET_UNKNOWN spec.pipelines[0].buckets[0]
        bucket \`dataset\` is not declared in spec.storage.buckets.
        15 | …retrain-fraud.sagemaker.json, buckets: [dataset], triggers: [{ newData: { bucket: modles } }, { alarm: { endpoint: scorr…
           |                                          ^
        found: dataset · allowed: datasets, models
        hint: did you mean \`datasets\`?",
        "platform.yaml:15:112 error MLP_PIPELINE_BUCKET_UNKNOWN spec.pipelines[0].triggers[0].newData.bucket
        bucket \`modles\` is not declared in spec.storage.buckets.
        15 | …-fraud.sagemaker.json, buckets: [dataset], triggers: [{ newData: { bucket: modles } }, { alarm: { endpoint: scorr } }] }
           |                                                                             ^
        found: modles · allowed: datasets, models
        hint: did you mean \`models\`?",
        "platform.yaml:15:145 error MLP_PIPELINE_ENDPOINT_UNKNOWN spec.pipelines[0].triggers[1].alarm.endpoint
        endpoint \`scorr\` is not declared in spec.serving.endpoints.
        15 | …-fraud.sagemaker.json, buckets: [dataset], triggers: [{ newData: { bucket: modles } }, { alarm: { endpoint: scorr } }] }
           |                                                                                                              ^
        found: scorr · allowed: scorer
        hint: did you mean \`scorer\`?",
        "platform.yaml:16:15 error MLP_DUPLICATE_NAME spec.pipelines[1].name
        pipeline name \`p\` is used twice (also at spec.pipelines[0]).
        16 |     - { name: p, definition: retrain-fraud.sagemaker.json }
           |               ^
        found: p
        hint: give each pipeline its own name.",
      ]
    `);
  });

  it("rejects an alarm trigger on an endpoint without alarms, and on a Kubernetes endpoint", () => {
    expect(load({ pipelines: `    - { name: p, definition: ${AWS_DEF}, triggers: [{ alarm: { endpoint: scorer } }] }`, endpoints: "      - { name: scorer, image: nginx.example.com/s:1 }" }).problems).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:92 error MLP_PIPELINE_ALARM_NONE spec.pipelines[0].triggers[0].alarm.endpoint
        endpoint \`scorer\` has no alarms and no drift monitoring, so this trigger would never fire.
        15 |     - { name: p, definition: retrain-fraud.sagemaker.json, triggers: [{ alarm: { endpoint: scorer } }] }
           |                                                                                            ^
        found: scorer
        hint: set spec.serving.endpoints[0].alarms.latencyP99Ms or .errorRatePercent (or monitoring.drift).",
      ]
    `);
    const k8s = load({
      pipelines: `    - { name: p, definition: ${AWS_DEF}, triggers: [{ alarm: { endpoint: scorer } }] }`,
      endpoints: "      - { name: scorer, image: nginx.example.com/s:1, runtime: kubernetes, alarms: { latencyP99Ms: 100 } }",
    });
    expect(k8s.problems.filter((p) => p.includes("MLP_PIPELINE_TRIGGER_UNSUPPORTED"))).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:92 error MLP_PIPELINE_TRIGGER_UNSUPPORTED spec.pipelines[0].triggers[0].alarm.endpoint
        endpoint \`scorer\` runs on Kubernetes, where mlplat creates no cloud alarms, so an \`alarm\` trigger would never fire.
        15 |     - { name: p, definition: retrain-fraud.sagemaker.json, triggers: [{ alarm: { endpoint: scorer } }] }
           |                                                                                            ^
        found: runtime: kubernetes · allowed: runtime: managed
        hint: point the trigger at a managed endpoint with alarms, or use a schedule or a newData trigger.",
      ]
    `);
  });

  it("warns on aws when another endpoint's name extends the alarm endpoint's (the alarm-name prefix would match both)", () => {
    const r = load({
      pipelines: `    - { name: p, definition: ${AWS_DEF}, triggers: [{ alarm: { endpoint: scorer } }] }`,
      endpoints: "      - { name: scorer, image: nginx.example.com/s:1, alarms: { latencyP99Ms: 100 } }\n      - { name: scorer-v2, image: nginx.example.com/s:2, alarms: { latencyP99Ms: 100 } }",
    });
    expect(r.problems).toMatchInlineSnapshot(`
      [
        "platform.yaml:16:92 warning MLP_PIPELINE_ALARM_PREFIX_OVERLAP spec.pipelines[0].triggers[0].alarm.endpoint
        on aws the trigger matches alarms named \`<scorer's SageMaker name>-…\`, which also names the alarms of \`scorer-v2\`: their alarms would start this pipeline too.
        16 |     - { name: p, definition: retrain-fraud.sagemaker.json, triggers: [{ alarm: { endpoint: scorer } }] }
           |                                                                                            ^
        found: scorer-v2
        hint: rename the endpoint so that no name starts with \`scorer-\`, or accept the extra runs.",
      ]
    `);
  });

  it("rejects a definition map without the resolved cloud's entry", () => {
    expect(load({ pipelines: "    - { name: p, definition: { gcp: retrain-fraud.kfp.yaml } }" }).problems).toMatchInlineSnapshot(`
      [
        "platform.yaml:15:18 error MLP_PIPELINE_DEFINITION_MISSING spec.pipelines[0].definition
        pipeline \`p\` has no definition for aws, the cloud this blueprint resolves to.
        15 |     - { name: p, definition: { gcp: retrain-fraud.kfp.yaml } }
           |                  ^
        found: gcp · allowed: aws
        hint: add \`aws: <file>\` to the definition map (a SageMaker pipeline definition JSON).",
      ]
    `);
  });

  it("rejects a missing file, a directory and a device as the definition", () => {
    expect(load({ pipelines: "    - { name: p, definition: nope.json }" }).problems[0]).toContain("no such file");
    expect(load({ pipelines: "    - { name: p, definition: d }", files: { "d/": "" } }).problems[0]).toContain("is a directory, not a file");
    expect(load({ pipelines: "    - { name: p, definition: . }" }).problems[0]).toContain("is a directory, not a file");
    // A device outside the folder is refused before it is opened (test/security/pipeline-definitions.test.ts:
    // a FIFO inside the folder is MLP_PIPELINE_DEFINITION_UNREADABLE, not a regular file).
    expect(load({ pipelines: "    - { name: p, definition: /dev/null }" }).problems.join("\n")).toMatch(/MLP_PIPELINE_DEFINITION_OUTSIDE[\s\S]*is an absolute path/);
  });
});

describe("definition files are checked in their cloud's format, located in the definition", () => {
  it("reports a JSON syntax error at its line in the definition file", () => {
    expect(load({ pipelines: "    - { name: p, definition: bad.json }", files: { "bad.json": '{\n  "Version": "2020-12-01",\n  "Steps": [ { "Name": "a" } }\n}\n' } }).problems).toMatchInlineSnapshot(`
      [
        "bad.json:3:30 error MLP_PIPELINE_DEFINITION_SYNTAX (document)
        pipeline \`p\`'s definition (spec.pipelines[0].definition) is not valid JSON (a SageMaker pipeline definition): Expected ',' or ']' after array element in JSON at position 58
        3 |   "Steps": [ { "Name": "a" } }
          |                              ^
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
      ]
    `);
  });

  it("reports SageMaker's required fields at the step, and parameters the definition does not declare", () => {
    const def = JSON.stringify({ Version: "2020-12-01", Parameters: [{ Name: "Epochs", Type: "String" }], Steps: [{ Name: "Train", Arguments: {} }, { Name: "Train", Type: "Training" }] }, null, 2);
    expect(load({ pipelines: '    - { name: p, definition: sm.json, parameters: { epochs: "3" } }', files: { "sm.json": def } }).problems).toMatchInlineSnapshot(`
      [
        "sm.json:3:3 error MLP_PIPELINE_PARAMETER_UNDECLARED Parameters
        pipeline \`p\`'s definition (spec.pipelines[0].definition): the blueprint passes parameter \`epochs\`, which the definition does not declare in \`Parameters\` (Name).
        3 |   "Parameters": [
          |   ^
        found: epochs · allowed: Epochs
        hint: declare the parameter in the pipeline (and re-export the definition), or remove it from \`parameters\`.",
        "sm.json:10:5 error MLP_PIPELINE_DEFINITION_INVALID Steps[0]
        pipeline \`p\`'s definition (spec.pipelines[0].definition): step 0 has no \`Type\` (a non-empty string).
        10 |     {
           |     ^
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
        "sm.json:14:5 error MLP_PIPELINE_DEFINITION_INVALID Steps[1]
        pipeline \`p\`'s definition (spec.pipelines[0].definition): step 1 (\`Train\`) has no \`Arguments\` object.
        14 |     {
           |     ^
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
        "sm.json:15:15 error MLP_PIPELINE_DEFINITION_INVALID Steps[1].Name
        pipeline \`p\`'s definition (spec.pipelines[0].definition): step name \`Train\` is used twice.
        15 |       "Name": "Train",
           |               ^
        found: Train
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
      ]
    `);
    expect(load({ pipelines: "    - { name: p, definition: sm.json }", files: { "sm.json": '{ "Steps": [] }' } }).problems).toMatchInlineSnapshot(`
      [
        "sm.json:1:1 error MLP_PIPELINE_DEFINITION_INVALID (document)
        pipeline \`p\`'s definition (spec.pipelines[0].definition): \`Version\` (the schema version, "2020-12-01") is missing or not a string.
        1 | { "Steps": [] }
          | ^
        allowed: 2020-12-01
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
        "sm.json:1:3 error MLP_PIPELINE_DEFINITION_INVALID Steps
        pipeline \`p\`'s definition (spec.pipelines[0].definition): \`Steps\` must be a non-empty list of steps.
        1 | { "Steps": [] }
          |   ^
        allowed: [{ Name, Type, Arguments }, …]
        hint: export the definition with the SageMaker Python SDK: \`pipeline.definition()\` written to a .json file.",
      ]
    `);
  });

  it("reports on aws a value that does not fit the parameter's SageMaker type, one past EventBridge's length, and a definition past 1 MB", () => {
    const def = JSON.stringify({ Version: "2020-12-01", Parameters: [{ Name: "epochs", Type: "Integer" }, { Name: "note", Type: "String" }], Steps: [{ Name: "S", Type: "Fail", Arguments: {} }] }, null, 2);
    const r = load({ pipelines: `    - { name: p, definition: sm.json, parameters: { epochs: "ten", note: "${"n".repeat(1025)}" } }`, files: { "sm.json": def } });
    expect(r.problems.map((x) => x.split("\n").slice(0, 2).join(" | "))).toEqual([
      "platform.yaml:15:74 error MLP_PIPELINE_PARAMETER_VALUE spec.pipelines[0].parameters.note |   parameter `note` is 1025 characters; EventBridge passes at most 1024 per value to a SageMaker pipeline.",
      'sm.json:6:15 error MLP_PIPELINE_PARAMETER_VALUE Parameters[0].Type |   pipeline `p`\'s definition (spec.pipelines[0].definition): the blueprint passes `epochs: "ten"`, which is not a SageMaker Integer: the run would fail to start.',
    ]);
    const big = JSON.stringify({ Version: "2020-12-01", Steps: [{ Name: "S", Type: "Fail", Arguments: { ErrorMessage: "x".repeat(1_048_576) } }] });
    expect(load({ pipelines: "    - { name: p, definition: big.json }", files: { "big.json": big } }).problems[0]).toContain(`the definition is ${big.length} characters; SageMaker takes at most 1048576 inline.`);
  });

  it("reports a KFP spec without pipelineInfo.name or root.dag, and undeclared parameters", () => {
    const spec = "pipelineInfo: {}\ncomponents: {}\nroot:\n  inputDefinitions:\n    parameters:\n      lr: { parameterType: STRING }\n";
    expect(load({ cloud: "gcp", pipelines: '    - { name: p, definition: spec.yaml, parameters: { epochs: "3" } }', files: { "spec.yaml": spec } }).problems).toMatchInlineSnapshot(`
      [
        "spec.yaml:1:1 error MLP_PIPELINE_DEFINITION_INVALID pipelineInfo
        pipeline \`p\`'s definition (spec.pipelines[0].definition): \`pipelineInfo.name\` is missing: a compiled spec names its pipeline.
        1 | pipelineInfo: {}
          | ^
        hint: compile the pipeline with the KFP SDK: \`kfp.compiler.Compiler().compile(pipeline_func, 'pipeline.yaml')\`.",
        "spec.yaml:3:1 error MLP_PIPELINE_DEFINITION_INVALID root
        pipeline \`p\`'s definition (spec.pipelines[0].definition): \`root.dag\` is missing: a compiled spec has the pipeline's DAG under root.
        3 | root:
          | ^
        hint: compile the pipeline with the KFP SDK: \`kfp.compiler.Compiler().compile(pipeline_func, 'pipeline.yaml')\`.",
        "spec.yaml:5:5 error MLP_PIPELINE_PARAMETER_UNDECLARED root.inputDefinitions.parameters
        pipeline \`p\`'s definition (spec.pipelines[0].definition): the blueprint passes parameter \`epochs\`, which the definition does not declare in \`root.inputDefinitions.parameters\`.
        5 |     parameters:
          |     ^
        found: epochs · allowed: lr
        hint: declare the parameter in the pipeline (and re-export the definition), or remove it from \`parameters\`.",
      ]
    `);
  });

  it("refuses the Azure ML CLI v2 YAML and local component paths, asking for the REST form", () => {
    const cli = "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\njobs:\n  train:\n    component: ./train.yml\n";
    const azure = (files: Record<string, string>, def: string) => load({ cloud: "azure", pipelines: `    - { name: p, definition: ${def} }`, files }).problems.filter((p) => !p.includes("MLP_AZURE_ML"));
    expect(azure({ "job.yml": cli }, "job.yml")).toMatchInlineSnapshot(`
      [
        "job.yml:1:10 error MLP_PIPELINE_AZURE_NOT_REST $schema
        pipeline \`p\`'s definition (spec.pipelines[0].definition): this is the Azure ML CLI v2 form; the schedule and the Logic App submit the REST form (JobBase), which references components registered in the workspace.
        1 | $schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
          |          ^
        hint: register each component (\`az ml component create\`), then write { properties: { jobType: Pipeline, jobs: { <step>: { componentId: azureml:<name>:<version> } } } } as JSON.",
      ]
    `);
    const local = JSON.stringify({ properties: { jobType: "Pipeline", jobs: { train: { type: "command", code: "./src" }, score: { type: "command", componentId: "score" } } } }, null, 2);
    expect(azure({ "job.json": local }, "job.json")).toMatchInlineSnapshot(`
      [
        "job.json:7:17 error MLP_PIPELINE_AZURE_NOT_REST properties.jobs.train.code
        pipeline \`p\`'s definition (spec.pipelines[0].definition): job \`train\` points at a local path (\`./src\`): the REST API cannot upload it, so the job needs a registered component.
        7 |         "code": "./src"
          |                 ^
        found: ./src
        hint: register the component (\`az ml component create --file …\`) and write \`componentId: azureml:<name>:<version>\` instead.",
        "job.json:11:24 error MLP_PIPELINE_DEFINITION_INVALID properties.jobs.score.componentId
        pipeline \`p\`'s definition (spec.pipelines[0].definition): job \`score\` needs \`componentId\` naming a registered component.
        11 |         "componentId": "score"
           |                        ^
        found: "score" · allowed: azureml:<name>:<version>, or the component version's resource id
        hint: write the REST form of the pipeline job ({ properties: { jobType: Pipeline, jobs: { <step>: { componentId: azureml:<component>:<version> } } } }) with components registered in the workspace.",
      ]
    `);
  });
});

describe("cron", () => {
  it("accepts names, ranges, steps and lists, and rejects what is out of range", () => {
    expect(parseCron("*/15 0-6/2 1,15 JAN-MAR mon-fri").ok).toBe(true);
    expect(parseCron("0 0 0 * *")).toMatchObject({ ok: false, message: "day-of-month field `0`: `0` is not 1-31." });
    expect(parseCron("0 0 5-1 * *")).toMatchObject({ ok: false, message: "day-of-month field `5-1`: range `5-1` runs backwards." });
    expect(parseCron("0 0 5/2 * *")).toMatchObject({ ok: false });
  });

  it("translates to EventBridge's 6 fields with `?` in the unrestricted day field and days by name", () => {
    expect(eventBridgeCron("0 3 * * 1")).toEqual({ ok: true, expression: "cron(0 3 ? * MON *)" });
    expect(eventBridgeCron("30 2 1 * *")).toEqual({ ok: true, expression: "cron(30 2 1 * ? *)" });
    expect(eventBridgeCron("0 * * * *")).toEqual({ ok: true, expression: "cron(0 * * * ? *)" });
    // Unix 0 and 7 are Sunday; a step in day-of-week (which EventBridge lacks) becomes a list.
    expect(eventBridgeCron("0 6 * * 0,7")).toEqual({ ok: true, expression: "cron(0 6 ? * SUN *)" });
    expect(eventBridgeCron("0 6 * * */2")).toEqual({ ok: true, expression: "cron(0 6 ? * SUN,TUE,THU,SAT *)" });
    expect(eventBridgeCron("0 6 * jan-mar fri-sat")).toEqual({ ok: true, expression: "cron(0 6 ? JAN-MAR FRI,SAT *)" });
    // Every day of the week named with a day of month: unix cron runs daily.
    expect(eventBridgeCron("0 6 1 * 0-6")).toEqual({ ok: true, expression: "cron(0 6 * * ? *)" });
    expect(eventBridgeCron("0 6 1 * 1")).toMatchObject({ ok: false });
  });
});
