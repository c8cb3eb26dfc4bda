import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { diagnosticJson, isError, renderDiagnostic, type Diagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { escapeLiterals, escapeTerraformLiteral, unescapeTerraformLiteral, unsafeExpressions } from "../../stacks/common/terraform-literals.js";
import { terraformEnv } from "../helpers/terraform.js";
import { setAtPattern, stringFieldPatterns } from "./string-fields.js";

/**
 * Terraform expression injection, as a property of every string field of the blueprint.
 *
 * For each cloud, a blueprint that uses every section (llm-serving with the cloud's environment,
 * plus taints, admin ranges and a remote state backend) gets an expression payload in each string
 * field of the JSON Schema, one field at a time. A field either rejects the payload at validate
 * (an error, nothing synthesized) or accepts it; every accepted field is then synthesized at once
 * and the payload must reach cdk.tf.json exactly as written once Terraform reads it (escaped), the
 * Kubernetes manifests verbatim, and never as an expression. Real terraform evaluates a sample.
 */
const PAYLOAD = (i: number) => `inj${i}-\${file("/etc/hostname")}-%{ if true }d%{ endif }-\${{ inputs.x }}-$\${kept}`;
const MARKER = /inj(\d+)-/g;

const CLOUDS = {
  aws: { env: "aws", state: { backend: "s3", bucket: "acme-tfstate", region: "us-east-1", key: "platform/llm.tfstate" } },
  gcp: { env: "gcp", state: { backend: "gcs", bucket: "acme-tfstate", prefix: "platform/llm" } },
  azure: { env: "azure", state: { backend: "azurerm", resourceGroup: "tfstate", storageAccount: "acmetfstate", container: "tfstate", key: "llm.tfstate" } },
} as const;
type Cloud = keyof typeof CLOUDS;

/** Free-form fields that must accept arbitrary text: if none did, the property would hold vacuously. */
const MUST_ACCEPT = ["spec.serving.endpoints[].image", "spec.serving.endpoints[].model.path", "metadata.owner"];

let work: string;
const patterns = stringFieldPatterns();

function baseDoc(cloud: Cloud): Record<string, unknown> {
  const doc = parse(readFileSync("blueprints/llm-serving.yaml", "utf8")) as Record<string, any>;
  doc.spec.state = { ...CLOUDS[cloud].state };
  doc.spec.network.adminCidrs = ["10.99.0.0/16"];
  doc.spec.cluster.nodePools[0].taints = [{ key: "team", value: "risk", effect: "NoSchedule" }];
  doc.environments[CLOUDS[cloud].env].metadata = { labels: { tier: "gold" } };
  // spec.pipelines (issue 17): one pipeline with a schedule and both triggers, the definitions of
  // blueprints/pipelines/, copied beside the blueprint written to a temporary folder (a definition
  // must lie inside the blueprint's folder).
  const defs = "pipelines";
  doc.spec.pipelines = [
    {
      name: "retrain",
      definition: { aws: join(defs, "retrain-fraud.sagemaker.json"), gcp: join(defs, "retrain-fraud.kfp.yaml"), azure: join(defs, "retrain-fraud.azureml.json") },
      schedule: "0 3 * * 1",
      parameters: { num_round: "200" },
      buckets: ["models"],
      triggers: [{ newData: { bucket: "models", prefix: "daily/" } }, { alarm: { endpoint: "embed" } }],
    },
  ];
  // spec.workspaces and spec.tracking (issue 16): a section default GPU and per-user sizes, each
  // cloud's kind of identity (users merge on name, so the base names them per cloud).
  const identity = { aws: "arn:aws:iam::123456789012:role/ds-alice", gcp: "alice@example.com", azure: "33333333-3333-3333-3333-333333333333" }[cloud];
  doc.spec.workspaces = {
    gpu: { type: "T4", count: 1 },
    buckets: ["models"],
    users: [
      { name: "alice", identity, gpu: { type: "T4", count: 1 } },
      { name: "bob", identity, instanceType: { aws: "ml.t3.large", gcp: "e2-standard-4", azure: "Standard_DS3_v2" }[cloud] },
    ],
  };
  doc.spec.tracking = { mlflow: { bucket: "models", size: "small" } };
  // serving.endpoints[].rollout and .monitoring (issue 18): monitoring exists on SageMaker only.
  const embed = (doc.spec.serving.endpoints as Record<string, any>[]).find((e) => e.name === "embed")!;
  embed.rollout = { strategy: "allAtOnce", bakeMinutes: 5, rollbackOnAlarms: cloud === "aws" };
  if (cloud === "aws") embed.monitoring = { capture: { samplePercent: 10, bucket: "models" }, drift: { schedule: "daily", baseline: { bucket: "models", path: "baseline/embed/" } } };
  return doc;
}

function load(doc: unknown, cloud: Cloud, name: string, vars: NodeJS.ProcessEnv = {}) {
  const file = join(work, `${cloud}-${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return { file, result: loadBlueprint(file, { env: CLOUDS[cloud].env, vars: { ...vars }, today: "2026-11-25" }) };
}

interface Classified {
  accepted: string[];
  rejected: string[];
  uncovered: string[];
}

function classify(cloud: Cloud): Classified {
  const out: Classified = { accepted: [], rejected: [], uncovered: [] };
  patterns.forEach((p, i) => {
    const doc = baseDoc(cloud);
    if (setAtPattern(doc, p, PAYLOAD(i), CLOUDS[cloud].env) === 0) return out.uncovered.push(p);
    const { result } = load(doc, cloud, `field${i}`);
    (result.diagnostics.some(isError) ? out.rejected : out.accepted).push(p);
  });
  return out;
}

function allStrings(value: unknown, path: string, out: { path: string; value: string }[]): void {
  if (typeof value === "string") out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => allStrings(v, `${path}[${i}]`, out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: `${path}.<key>`, value: k });
      allStrings(v, `${path}.${k}`, out);
    }
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mlplat-inj-"));
  cpSync(join(process.cwd(), "blueprints", "pipelines"), join(work, "pipelines"), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the escaping sink", () => {
  it("escapes ${ and %{ so that terraform reads back exactly the literal", () => {
    for (const s of ["${x}", "%{ if a }", "$${x}", "a$b%c{d}", "${{ inputs.x }}", "$$${y}", "}{$%"]) {
      expect(unescapeTerraformLiteral(escapeTerraformLiteral(s))).toBe(s);
    }
    expect(escapeTerraformLiteral('x:${file("/etc/passwd")}')).toBe('x:$${file("/etc/passwd")}');
    expect(escapeTerraformLiteral("%{ for x in y }")).toBe("%%{ for x in y }");
  });

  it("escapes every string of the props, keys included, but not the literal backend block", () => {
    const props = { a: ["${x}", { "k${y}": "%{z}" }], backend: { kind: "local", path: "st${x}" }, n: 3, b: true };
    expect(escapeLiterals(props)).toEqual({ a: ["$${x}", { "k$${y}": "%%{z}" }], backend: { kind: "local", path: "st${x}" }, n: 3, b: true });
  });

  it("refuses props that are not plain data", () => {
    expect(() => escapeLiterals({ d: new Date(0) })).toThrow(/plain data/);
  });

  it("the backstop flags functions, directives and nested templates, and allows references and mlplat's calls", () => {
    const json = {
      terraform: { backend: { local: { path: "${file(x)}" } } },
      resource: {
        a: {
          ok: { r: "${aws_s3_bucket.x.arn}/p", c: '${replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")}', e: "$${file(x)} %%{ if }" },
          bad: { f: '${file("/etc/hostname")}', d: "%{ if true }x%{ endif }", n: '${lower("${file(x)}")}', u: "${abc", t: "${{ x }}" },
        },
      },
    };
    const found = unsafeExpressions(json).map((p) => `${p.path}: ${p.reason}`);
    expect(found).toEqual([
      "resource.a.bad.f: a call of file(), which mlplat never writes",
      "resource.a.bad.d: a template directive; mlplat never writes one",
      "resource.a.bad.d: a template directive; mlplat never writes one",
      "resource.a.bad.n: a nested template inside a quoted argument",
      "resource.a.bad.u: an unterminated expression",
      'resource.a.bad.t: unexpected text "{ x }"',
    ]);
  });
});

describe.each(Object.keys(CLOUDS) as Cloud[])("every string field of the schema on %s", (cloud) => {
  let classified: Classified;
  beforeAll(() => {
    classified = classify(cloud);
  });

  it("has a parent for every field in the base blueprint, or the field is named here", () => {
    // Sections the base blueprint does not use on this cloud: listed, so a new field is noticed.
    const knownUncovered = new Set([
      "spec.aws.accountId",
      "spec.gcp.project",
      "spec.gcp.billingAccount",
      "spec.azure.subscriptionId",
      "spec.azure.tenantId",
      "spec.azure.resourceGroup",
      "spec.cluster.admins[]",
      "spec.cluster.systemPool.instanceType",
      "spec.cluster.nodePools[].instanceType",
      "spec.serving.endpoints[].instanceType",
      "spec.state.bucket",
      "spec.state.region",
      "spec.state.key",
      "spec.state.prefix",
      "spec.state.resourceGroup",
      "spec.state.storageAccount",
      "spec.state.container",
      // Monitoring is a validation error off SageMaker (test/rollout/rules.test.ts).
      ...(cloud === "aws" ? [] : ["spec.serving.endpoints[].monitoring.capture.bucket", "spec.serving.endpoints[].monitoring.drift.baseline.bucket", "spec.serving.endpoints[].monitoring.drift.baseline.path", "spec.serving.endpoints[].monitoring.drift.schedule"]),
    ]);
    expect(classified.uncovered.filter((p) => !knownUncovered.has(p))).toEqual([]);
  });

  it("accepts payloads in free-form fields (the property is not vacuous)", () => {
    expect(classified.accepted).toEqual(expect.arrayContaining(MUST_ACCEPT));
  });

  it("synthesizes every accepted payload as a literal: escaped in cdk.tf.json, verbatim in the manifests", async () => {
    const doc = baseDoc(cloud);
    for (const p of classified.accepted) setAtPattern(doc, p, PAYLOAD(patterns.indexOf(p)), CLOUDS[cloud].env);
    const { file, result } = load(doc, cloud, "all");
    expect(result.diagnostics.filter(isError)).toEqual([]);
    const out = join(work, `out-${cloud}`);
    const synth = await synthesizeBlueprint(file, { env: CLOUDS[cloud].env, outDir: out, stateDir: join(work, `state-${cloud}`) });
    const stackDir = synth.stacks[0]!.dir;
    const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;

    expect(unsafeExpressions(json)).toEqual([]);
    const strings: { path: string; value: string }[] = [];
    allStrings(json, "", strings);
    const reached = new Set<number>();
    for (const { path, value: raw } of strings) {
      // The terraform block is read literally; everything else as a template. A JSON document
      // in a string (an IAM policy) is checked string by string once Terraform has read it.
      const value = path.startsWith(".terraform.") ? raw : unescapeTerraformLiteral(raw);
      const embedded = /^[[{]/.test(value) ? tryJson(value) : undefined;
      if (embedded !== undefined) {
        const inner: { path: string; value: string }[] = [];
        allStrings(embedded, `${path}<json>`, inner);
        strings.push(...inner.map((s) => ({ path: `.json${s.path}`, value: escapeTerraformLiteral(s.value) })));
        continue;
      }
      for (const m of value.matchAll(MARKER)) {
        const i = Number(m[1]);
        reached.add(i);
        const seen = value;
        // Exactly as written, or rewritten by the target into a form the cloud takes (tag and
        // label values are sanitized): then no template syntax of the payload survives at all.
        if (!seen.includes(PAYLOAD(i))) expect(seen, `${patterns[i]} at ${path}`).not.toMatch(/\$\{|%\{/);
      }
    }
    const manifests = filesUnder(stackDir).filter((f) => f.endsWith(".yaml"));
    for (const f of manifests) {
      const k8s: { path: string; value: string }[] = [];
      for (const d of parseAllDocuments(readFileSync(f, "utf8"))) allStrings(d.toJS(), f, k8s);
      for (const { path, value } of k8s) for (const m of value.matchAll(MARKER)) {
        reached.add(Number(m[1]));
        expect(value, `${patterns[Number(m[1])]} at ${path}`).toContain(PAYLOAD(Number(m[1])));
      }
    }
    // The payloads that the platform uses must be found in the output at all.
    for (const p of ["spec.serving.endpoints[].image", "metadata.owner"]) expect(reached.has(patterns.indexOf(p)), p).toBe(true);
  });
});

describe("terraform reads an escaped payload back as the literal", () => {
  const tf = terraformEnv();
  it.skipIf(!tf.available)("outputs of escaped payloads evaluate to the payload text, with no file read", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-inj-tf-"));
    try {
      const payloads = [PAYLOAD(1), "${{ github.sha }}", "%{ for x in [1] }${x}%{ endfor }", "$${a}", "a$${b}%%{c}"];
      const output = Object.fromEntries(payloads.map((p, i) => [`p${i}`, { value: escapeTerraformLiteral(p) }]));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ output }));
      const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, env: tf.env, encoding: "utf8" });
      expect(run(["init", "-input=false"]).status).toBe(0);
      expect(run(["apply", "-auto-approve", "-input=false"]).status).toBe(0);
      const got = JSON.parse(run(["output", "-json"]).stdout) as Record<string, { value: string }>;
      expect(payloads.map((_, i) => got[`p${i}`]!.value)).toEqual(payloads);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Secrets: a value that came from `${env:NAME}` is shown as the reference in every rendering of
 * a diagnostic, text and JSON, whichever field it was put in.
 */
describe.each(Object.keys(CLOUDS) as Cloud[])("secrets from the environment on %s", (cloud) => {
  it("never appear in any diagnostic, text or JSON, whatever field they are put in", () => {
    const secret = "TOPSECRET-Zq7-${file(\"/x\")}";
    const leaks: string[] = [];
    patterns.forEach((p, i) => {
      const doc = baseDoc(cloud);
      if (setAtPattern(doc, p, "${env:MLP_TEST_SECRET}", CLOUDS[cloud].env) === 0) return;
      const { result } = load(doc, cloud, `secret${i}`, { MLP_TEST_SECRET: secret });
      const rendered = result.diagnostics.map((d: Diagnostic) => renderDiagnostic(d) + JSON.stringify(diagnosticJson(d))).join("\n");
      if (rendered.includes("TOPSECRET")) leaks.push(p);
    });
    expect(leaks).toEqual([]);
  });
});

/** Control characters and bidirectional overrides are refused in every string field that accepts text. */
describe.each(Object.keys(CLOUDS) as Cloud[])("control characters on %s", (cloud) => {
  it("are rejected at validate in every string field", () => {
    const accepted: string[] = [];
    // Each field gets one of the payloads, rotated by field and cloud (every pair would be 750
    // loads; the check is one rule over all strings, so a rotation exercises it in every field).
    const payloads = ["ok\u202Eevil", "bell\u0007", "nul\u0000x", "esc\u001b[31m", "iso\u2066x"];
    const offset = Object.keys(CLOUDS).indexOf(cloud);
    {
      patterns.forEach((p, i) => {
        const bad = payloads[(i + offset) % payloads.length]!;
        const doc = baseDoc(cloud);
        if (setAtPattern(doc, p, bad, CLOUDS[cloud].env) === 0) return;
        const { result } = load(doc, cloud, `ctrl${i}`);
        if (!result.diagnostics.some(isError)) accepted.push(`${p} ${JSON.stringify(bad)}`);
      });
    }
    expect(accepted).toEqual([]);
  });
});
