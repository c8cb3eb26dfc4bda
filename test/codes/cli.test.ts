import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { catalogDataDir, readCatalogFiles } from "../../src/catalog/index.js";
import { initPlatform } from "../../src/init/init.js";
import { chooseTemplate } from "../../src/init/prompt.js";
import { renderStarter } from "../../src/init/starter.js";
import { listTemplates } from "../../src/init/templates.js";
import { MlplatError } from "../../src/util/errors.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { blueprint, write } from "./harness.js";

/** Codes of the CLI, init, the catalog loader and the cdktf-cli entry. */
const work = mkdtempSync(join(tmpdir(), "mlplat-codes-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function thrown(fn: () => unknown): Promise<MlplatError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MlplatError);
    return e as MlplatError;
  }
  throw new Error("expected an MlplatError, nothing was thrown");
}

describe("CLI", () => {
  it("MLP_OPTIONS: validate --all-envs with --env", () => {
    const file = write(blueprint("aws", (_s, doc) => (doc.environments = { dev: {} })));
    const r = mlplat(["validate", file, "--all-envs", "--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[MLP_OPTIONS] --all-envs and --env exclude each other.");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("MLP_NO_BLUEPRINT: the cdktf-cli entry without MLPLAT_BLUEPRINT", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.MLPLAT_BLUEPRINT;
    const r = spawnSync(process.execPath, ["dist/bundle/cdktf-app.js"], { env, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("[MLP_NO_BLUEPRINT] MLPLAT_BLUEPRINT is not set: cdktf.json's app needs to know which blueprint to synthesize.");
  });
});

describe("init", () => {
  it("MLP_INIT_NOT_A_FOLDER: a file given as the folder", async () => {
    const file = join(work, "a-file");
    writeFileSync(file, "x");
    const e = await thrown(() => initPlatform({ dir: file, template: listTemplates()[0]! }));
    expect([e.code, e.message]).toEqual(["MLP_INIT_NOT_A_FOLDER", `${file} is a file, not a folder; mlplat init writes <dir>/platform.yaml.`]);
  });

  it("MLP_INIT_NAME: a --name that is not a platform name", async () => {
    const e = await thrown(() => initPlatform({ dir: join(work, "named"), template: listTemplates()[0]!, name: "Bad_Name" }));
    expect(e.code).toBe("MLP_INIT_NAME");
    expect(e.message).toMatch(/^--name "Bad_Name" must start with a lowercase letter/);
  });

  it("MLP_INIT_TEMPLATE: a template that does not parse", async () => {
    const e = await thrown(() => renderStarter("spec: [unclosed\n", { template: "broken" }));
    expect(e.code).toBe("MLP_INIT_TEMPLATE");
    expect(e.message).toMatch(/^the template broken does not parse: /);
  });

  it("MLP_INIT_CANCELLED: the prompt's input closes, or three unusable answers", async () => {
    const closed = new PassThrough();
    closed.end();
    const e = await thrown(() => chooseTemplate(listTemplates(), { input: closed, output: new PassThrough() }));
    expect([e.code, e.message]).toEqual(["MLP_INIT_CANCELLED", "no template chosen (input closed)."]);
    const wrong = new PassThrough();
    wrong.end("x\ny\nz\n");
    const w = await thrown(() => chooseTemplate(listTemplates(), { input: wrong, output: new PassThrough() }));
    expect([w.code, w.message]).toEqual(["MLP_INIT_CANCELLED", "no usable answer after three tries."]);
  });
});

describe("catalog", () => {
  function copyOfCatalog(): string {
    const dir = join(work, `catalog-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    for (const f of readdirSync(catalogDataDir())) if (f.endsWith(".json")) copyFileSync(join(catalogDataDir(), f), join(dir, f));
    return dir;
  }

  it("MLP_CATALOG_UNREADABLE: a data file that is not JSON (exit 70)", async () => {
    const dir = copyOfCatalog();
    writeFileSync(join(dir, "regions.json"), "{ not json");
    const e = await thrown(() => readCatalogFiles(dir));
    expect([e.code, e.message, e.exitCode]).toEqual(["MLP_CATALOG_UNREADABLE", `cannot read the catalog file ${join(dir, "regions.json")}`, 70]);
  });

  it("MLP_CATALOG_INVALID: a data file that does not match its schema (exit 70)", async () => {
    const dir = copyOfCatalog();
    writeFileSync(join(dir, "regions.json"), JSON.stringify({ version: 1 }));
    const e = await thrown(() => readCatalogFiles(dir));
    expect([e.code, e.message, e.exitCode]).toEqual(["MLP_CATALOG_INVALID", `the catalog file ${join(dir, "regions.json")} does not match its schema`, 70]);
  });
});
