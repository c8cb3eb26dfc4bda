import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { bakeEnvironment, cloudEnvironments, removeEnvironments } from "../../src/init/bake.js";
import { renderStarter } from "../../src/init/starter.js";

const root = new URL("../../", import.meta.url).pathname;
const dir = join(root, "blueprints");
const templates = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const work = mkdtempSync(join(tmpdir(), "mlplat-init-starter-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// Templates name their pipeline definitions relative to blueprints/ (`pipelines/`, which must lie
// inside the blueprint's folder); initPlatform copies them beside the starter (init.test.ts). Here
// only the text is loaded, from <work>/<n>/platform.yaml, so the folder is provided beside it.
const TODAY = "2026-11-25";
let seq = 0;

/** Writes the text to a fresh folder and loads it the way a user's starter is read. */
function load(text: string, env?: string) {
  const d = join(work, String(seq++));
  mkdirSync(d, { recursive: true });
  cpSync(join(root, "blueprints", "pipelines"), join(d, "pipelines"), { recursive: true });
  writeFileSync(join(d, "platform.yaml"), text);
  return loadBlueprint(join(d, "platform.yaml"), { env, today: TODAY, vars: {} });
}

/** The model without what legitimately differs between `--env X` and a base that bakes X in. */
function comparable(m: PlatformModel | undefined): unknown {
  if (!m) return undefined;
  const { env: _e, stackName: _s, state, labels, azure, ...rest } = m;
  const { "mlplat-env": _l, ...otherLabels } = labels;
  // State paths and keys are named after the stack; the backend and its bucket are not.
  const { dir: _d, key: _k, prefix: _p, ...stateRest } = state as Record<string, unknown>;
  // A pipeline definition is read from wherever the blueprint sits: the same text, another path.
  const pipelines = rest.pipelines?.map((p) => ({ ...p, definition: { text: p.definition.text } }));
  return { ...rest, pipelines, state: stateRest, labels: otherLabels, azure: azure && { ...azure, resourceGroup: undefined } };
}

const envCases = templates.flatMap((file) => {
  const doc = parse(readFileSync(join(dir, file), "utf8")) as { environments?: Record<string, unknown> };
  return Object.keys(doc.environments ?? {}).map((env) => ({ file, env }));
});

describe("baking an environment into a YAML document", () => {
  it.each(envCases)("$file with $env baked in resolves to the same model as --env $env", ({ file, env }) => {
    const text = readFileSync(join(dir, file), "utf8");
    const doc = parseDocument(text);
    bakeEnvironment(doc, env);
    removeEnvironments(doc, Object.keys((parse(text) as { environments: object }).environments));
    const baked = load(doc.toString({ lineWidth: 0 }));
    const viaEnv = loadBlueprint(join(dir, file), { env, today: TODAY, vars: {} });
    expect(baked.diagnostics.filter(isError).map((d) => renderDiagnostic(d))).toEqual([]);
    expect(baked.model).toBeDefined();
    expect(comparable(baked.model)).toEqual(comparable(viaEnv.model));
  });

  it("deletes a named item written as `name: null` in the mapping form", () => {
    const doc = parseDocument("spec:\n  pools:\n    - name: a\n      max: 1\n    - name: b\n      max: 2\nenvironments:\n  dev:\n    spec:\n      pools:\n        a: { max: 5 }\n        b: null\n        c: { max: 3 }\n");
    bakeEnvironment(doc, "dev");
    expect(doc.toJS().spec).toEqual({ pools: [{ name: "a", max: 5 }, { name: "c", max: 3 }] });
  });

  it("replaces lists of plain values and deletes keys set to null", () => {
    const doc = parseDocument("spec:\n  emails: [a, b]\n  keep: 1\n  drop: 2\nenvironments:\n  e:\n    spec: { emails: [c], drop: null }\n");
    bakeEnvironment(doc, "e");
    expect(doc.toJS().spec).toEqual({ emails: ["c"], keep: 1 });
  });

  it("keeps the overlay's comments and drops a base comment its value no longer matches", () => {
    const doc = parseDocument(
      "spec:\n  scale: { min: 1 }   # SageMaker can't scale to zero\n  budget:\n    usd: 10\nenvironments:\n  gcp:\n    spec:\n      scale: { min: 0 }   # Cloud Run scales to zero\n      budget: { usd: 20 }   # GPUs cost more here\n",
    );
    bakeEnvironment(doc, "gcp");
    removeEnvironments(doc, ["gcp"]);
    const out = doc.toString();
    expect(out).toContain("# Cloud Run scales to zero");
    expect(out).toContain("usd: 20 # GPUs cost more here");
    expect(out).not.toContain("SageMaker");
    expect(out).not.toContain("environments");
  });
});

describe("renderStarter", () => {
  const llm = readFileSync(join(dir, "llm-serving.yaml"), "utf8");

  it("returns the template byte for byte without --cloud or --name", () => {
    expect(renderStarter(llm, { template: "llm-serving" }).text).toBe(llm);
  });

  it("sets metadata.name and keeps every comment line of the template", () => {
    const r = renderStarter(llm, { template: "llm-serving", name: "chatbot" });
    expect((parse(r.text) as { metadata: { name: string } }).metadata.name).toBe("chatbot");
    const comments = (t: string) => t.split("\n").filter((l) => l.trim().startsWith("#")).length;
    expect(comments(r.text)).toBe(comments(llm));
    expect(r.text.split("\n")[0]).toBe("# yaml-language-server: $schema=./blueprint.schema.json");
  });

  it("rejects a --name the blueprint schema would reject", () => {
    expect(() => renderStarter(llm, { template: "llm-serving", name: "Bad_Name" })).toThrow(/--name "Bad_Name" must start with a lowercase letter/);
    expect(() => renderStarter(llm, { template: "llm-serving", name: "ab" })).toThrow(/3-20 characters/);
  });

  it("--cloud azure bakes the azure overlay, drops the cloud ports and keeps dev and prod", () => {
    const r = renderStarter(llm, { template: "llm-serving", cloud: "azure" });
    expect(r).toMatchObject({ cloud: "azure", baked: "azure", removed: ["aws", "gcp", "azure"], retargeted: false });
    const doc = parse(r.text) as { spec: { cloud: string; cluster: { nodePools: { gpu: { type: string } }[] } }; environments: object };
    expect(doc.spec.cloud).toBe("azure");
    expect(doc.spec.cluster.nodePools[0]!.gpu.type).toBe("A100-80GB");
    expect(Object.keys(doc.environments)).toEqual(["dev", "prod"]);
    expect(r.text.split("\n")[0]).toBe("# yaml-language-server: $schema=./blueprint.schema.json");
    expect(r.text).toContain("# AKS has no L4");
    expect(r.text).toContain("Written by `mlplat init --template llm-serving --cloud azure`");
    expect(r.text).not.toContain("Monthly cost");
  });

  it("retargets a template without an overlay for the cloud: cloud, default region, placeholder account", () => {
    const gcpOnly = readFileSync(join(dir, "gcp-gke-t4-l4.yaml"), "utf8");
    expect(cloudEnvironments(parseDocument(gcpOnly))).toEqual([]);
    const r = renderStarter(gcpOnly, { template: "gcp-gke-t4-l4", cloud: "azure" });
    expect(r.retargeted).toBe(true);
    const spec = (parse(r.text) as { spec: Record<string, unknown> }).spec;
    expect(spec.cloud).toBe("azure");
    expect(spec.region).toBe("eastus");
    expect(spec.azure).toEqual({ subscriptionId: "${env:AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}" });
  });

  const portable = templates.flatMap((file) =>
    cloudEnvironments(parseDocument(readFileSync(join(dir, file), "utf8"))).map((e) => ({ file, cloud: e.cloud as "aws" | "gcp" | "azure" })),
  );
  it.each(portable)("$file with --cloud $cloud validates in every environment left in it", ({ file, cloud }) => {
    const r = renderStarter(readFileSync(join(dir, file), "utf8"), { template: file, cloud });
    const base = load(r.text);
    expect(base.model?.cloud).toBe(cloud);
    for (const env of ["default", ...base.environments]) {
      const errors = load(r.text, env).diagnostics.filter(isError);
      expect(errors.map((d) => `${env}: ${renderDiagnostic(d)}`)).toEqual([]);
    }
  });
});
