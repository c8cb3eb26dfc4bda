import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkErrors, initPlatform } from "../../src/init/init.js";
import { chooseTemplate, formatTemplates } from "../../src/init/prompt.js";
import { DEFAULT_TEMPLATE, describe as describeTemplate, findTemplate, listTemplates } from "../../src/init/templates.js";
import { MlplatError } from "../../src/util/errors.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-init-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let seq = 0;
const fresh = () => join(work, `d${seq++}`);

describe("templates", () => {
  it("lists every reference blueprint with the first line of its header, the default first", () => {
    const t = listTemplates();
    expect(t[0]!.name).toBe(DEFAULT_TEMPLATE);
    expect(t.map((x) => x.name)).toEqual(expect.arrayContaining(["batch-training", "realtime-scoring", "data-science-workspace", "multi-env-platform"]));
    expect(t.find((x) => x.name === "batch-training")!.description).toBe("Batch training on spot GPUs");
  });

  it("describes a template by its header's opening phrase, across wrapped lines", () => {
    expect(describeTemplate("# yaml-language-server: $schema=./x.json\n#\n# Real-time scoring on managed\n# endpoints: a CPU scorer.\napiVersion: mlplat/v1\n")).toBe("Real-time scoring on managed endpoints");
    expect(describeTemplate("# yaml-language-server: $schema=./x.json\n# One platform. Two envs.\n")).toBe("One platform");
  });

  it("throws a did-you-mean for a misspelt template", () => {
    expect(() => findTemplate("batch-trainin")).toThrow(MlplatError);
    try {
      findTemplate("batch-trainin");
    } catch (e) {
      expect((e as MlplatError).code).toBe("MLP_INIT_TEMPLATE_UNKNOWN");
      expect((e as MlplatError).hint).toBe("did you mean --template batch-training?");
    }
  });
});

describe("chooseTemplate", () => {
  const templates = listTemplates();
  async function answer(lines: string): Promise<{ name: string; shown: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d) => (shown += String(d)));
    input.end(lines);
    const t = await chooseTemplate(templates, { input, output });
    return { name: t.name, shown };
  }

  it("shows the numbered list and takes a number", async () => {
    const r = await answer("2\n");
    expect(r.name).toBe(templates[1]!.name);
    expect(r.shown).toContain(formatTemplates(templates));
    expect(r.shown).toContain(` 1. ${DEFAULT_TEMPLATE}`);
  });

  it("takes the default on Enter and a name typed out", async () => {
    expect((await answer("\n")).name).toBe(DEFAULT_TEMPLATE);
    expect((await answer("realtime-scoring\n")).name).toBe("realtime-scoring");
  });

  it("asks again after an answer it can't use", async () => {
    const r = await answer("99\n3\n");
    expect(r.name).toBe(templates[2]!.name);
    expect(r.shown).toContain("`99` is neither a number from 1 to");
  });

  it("throws when the input closes without an answer, instead of guessing", async () => {
    await expect(answer("")).rejects.toThrow("no template chosen (input closed).");
    await expect(answer("x\ny\nz\n")).rejects.toThrow("no usable answer after three tries.");
  });
});

describe("initPlatform", () => {
  it("writes platform.yaml and the schema its modeline points at, and the result validates", () => {
    const d = fresh();
    const r = initPlatform({ dir: d, template: "llm-serving" });
    expect(readFileSync(r.file, "utf8")).toBe(readFileSync(join(root, "blueprints/llm-serving.yaml"), "utf8"));
    expect(r.schemaWritten).toBe(true);
    expect(readFileSync(join(d, "blueprint.schema.json"), "utf8")).toBe(readFileSync(join(root, "blueprints/blueprint.schema.json"), "utf8"));
    expect(checkErrors(r)).toBe(0);
    expect(r.check.map((c) => c.env)).toEqual(["default", "dev", "prod", "aws", "gcp", "azure"]);
    expect(r.platform).toEqual({ stackName: "llm-serving-default", cloud: "aws", region: "us-east-1" });
  });

  it("refuses to overwrite an existing platform.yaml without force, leaving it untouched", () => {
    const d = fresh();
    mkdirSync(d);
    writeFileSync(join(d, "platform.yaml"), "mine\n");
    expect(() => initPlatform({ dir: d, template: "llm-serving" })).toThrow(/already exists; mlplat init does not overwrite it/);
    expect(readFileSync(join(d, "platform.yaml"), "utf8")).toBe("mine\n");
    expect(existsSync(join(d, "blueprint.schema.json"))).toBe(false);
  });

  it("refuses a dir that is a file", () => {
    const f = fresh();
    writeFileSync(f, "x");
    expect(() => initPlatform({ dir: f, template: "llm-serving" })).toThrow(/is a file, not a folder/);
  });

  it("overwrites with force, and leaves an existing schema file alone", () => {
    const d = fresh();
    mkdirSync(d);
    writeFileSync(join(d, "platform.yaml"), "mine\n");
    writeFileSync(join(d, "blueprint.schema.json"), "{}\n");
    const r = initPlatform({ dir: d, template: "realtime-scoring", cloud: "azure", name: "fraud", force: true });
    expect(r.schemaWritten).toBe(false);
    expect(readFileSync(join(d, "blueprint.schema.json"), "utf8")).toBe("{}\n");
    const doc = parse(readFileSync(r.file, "utf8")) as { metadata: { name: string }; spec: { cloud: string } };
    expect(doc.metadata.name).toBe("fraud");
    expect(doc.spec.cloud).toBe("azure");
    expect(r.platform?.stackName).toBe("fraud-default");
  });
});

describe("initPlatform with pipeline definitions (continuous-training)", () => {
  it("copies the definitions the template names into pipelines/ beside the starter, points at them, and validates on every cloud", () => {
    const d = fresh();
    const r = initPlatform({ dir: d, template: "continuous-training" });
    const text = readFileSync(r.file, "utf8");
    expect(text).not.toContain("../");
    expect(text).toContain("aws: pipelines/retrain-fraud.sagemaker.json");
    for (const f of ["retrain-fraud.sagemaker.json", "retrain-fraud.kfp.yaml", "retrain-fraud.azureml.json"]) {
      expect(readFileSync(join(d, "pipelines", f), "utf8")).toBe(readFileSync(join(root, "blueprints/pipelines", f), "utf8"));
    }
    expect(checkErrors(r)).toBe(0);
    expect(r.check.map((c) => c.env)).toEqual(["default", "gcp", "azure"]);
  });

  it("keeps a definition already in pipelines/ (the team's own export) unless forced", () => {
    const d = fresh();
    mkdirSync(join(d, "pipelines"), { recursive: true });
    writeFileSync(join(d, "pipelines", "retrain-fraud.kfp.yaml"), "mine\n");
    initPlatform({ dir: d, template: "continuous-training", cloud: "aws" });
    expect(readFileSync(join(d, "pipelines", "retrain-fraud.kfp.yaml"), "utf8")).toBe("mine\n");
    initPlatform({ dir: d, template: "continuous-training", cloud: "aws", force: true });
    expect(readFileSync(join(d, "pipelines", "retrain-fraud.kfp.yaml"), "utf8")).toBe(readFileSync(join(root, "blueprints/pipelines/retrain-fraud.kfp.yaml"), "utf8"));
  });
});

describe("mlplat init (CLI)", () => {
  it("without a terminal or --template writes the llm-serving starter and prints next steps", () => {
    const d = fresh();
    const r = mlplat(["init", d]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no --template and no terminal to ask on: using llm-serving");
    expect(r.stdout).toContain("from the llm-serving template (llm-serving-default on aws us-east-1)");
    expect(r.stdout).toMatch(/Next steps:[\s\S]*mlplat validate [\s\S]*mlplat cost [\s\S]*mlplat synth /);
    expect(readFileSync(join(d, "platform.yaml"), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./blueprint.schema.json");
    expect(existsSync(join(d, "blueprint.schema.json"))).toBe(true);
    expect(mlplat(["validate", join(d, "platform.yaml")]).code).toBe(0);
  });

  it("exits 1 with a hint when platform.yaml exists, and 0 with --force", () => {
    const d = fresh();
    expect(mlplat(["init", d, "--template", "batch-training"]).code).toBe(0);
    const again = mlplat(["init", d, "--template", "batch-training"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("[MLP_INIT_EXISTS]");
    expect(again.stderr).toContain("hint: pass --force to replace it");
    expect(hasStackTrace(again.stderr)).toBe(false);
    expect(mlplat(["init", d, "--template", "batch-training", "--force"]).code).toBe(0);
  });

  it("--cloud gcp writes the template's gcp port, which validates and costs", () => {
    const d = fresh();
    const r = mlplat(["init", d, "--template", "data-science-workspace", "--cloud", "gcp", "--name", "ds-team"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(ds-team-default on gcp us-central1)");
    expect(r.stdout).toContain("baked in the template's `gcp` environment");
    expect(r.stdout).toContain("removed the environments that port to other clouds: azure, aws");
    expect(mlplat(["validate", join(d, "platform.yaml"), "--strict"]).code).toBe(0);
    const cost = mlplat(["cost", join(d, "platform.yaml"), "--json"]);
    expect(cost.code).toBe(0);
    expect(JSON.parse(cost.stdout).totalMaxMonthlyUsd).toBeGreaterThan(0);
  });

  it("rejects an unknown cloud and an unknown template with exit 1", () => {
    const bad = mlplat(["init", fresh(), "--cloud", "oracle"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Allowed choices are aws, gcp, azure/);
    const typo = mlplat(["init", fresh(), "--template", "llm-serve"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("did you mean --template llm-serving?");
  });

  it("--list prints every template with its description", () => {
    const r = mlplat(["init", "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ 1\. llm-serving +LLM serving on GPUs \(default\)$/m);
    expect(r.stdout).toContain("batch-training");
  });

  it("--help shows examples", () => {
    const r = mlplat(["init", "--help"]);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("--template batch-training --cloud gcp");
  });
});
