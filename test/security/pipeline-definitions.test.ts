import { execFileSync } from "node:child_process";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { initPlatform } from "../../src/init/init.js";
import { openedOutside } from "../../src/blueprint/referenced-file.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

/**
 * A pipeline definition is uploaded into the cloud (the SageMaker pipeline, a GCS object, the
 * Azure ML schedule), so a hostile blueprint (a fork, a pull request) must not be able to name a
 * local file elsewhere and have it uploaded or echoed: only files inside the blueprint's folder
 * tree are read, never through a link (src/blueprint/referenced-file.ts), refused before any
 * read; a definition that fails to parse shows only its located line; `mlplat init` never writes
 * through a link (src/init/write-no-follow.ts). Through loadBlueprint and the built CLI.
 */
const ROOT = resolve(__dirname, "../..");
const SAGEMAKER = readFileSync(join(ROOT, "blueprints/pipelines/retrain-fraud.sagemaker.json"), "utf8");
/** A valid definition holding a secret: were it read, it would be accepted and uploaded. */
const SECRET = "TOPSECRET-4f1c9a";
const OUTSIDE_TEXT = SAGEMAKER.replace('"Version": "2020-12-01"', `"Version": "2020-12-01", "Comment": "${SECRET}"`);

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mlplat-pipeline-defs-"));
  mkdirSync(join(work, "outside"));
  writeFileSync(join(work, "outside", "secret.json"), OUTSIDE_TEXT);
});

let seq = 0;
/** A project folder `bp-<n>/` under `work` (beside `outside/`), with platform.yaml naming `definition`. */
function project(definition: string, setup: (bp: string) => void = () => {}): { bp: string; file: string } {
  const bp = join(work, `bp-${seq++}`);
  mkdirSync(join(bp, "pipelines"), { recursive: true });
  writeFileSync(join(bp, "pipelines", "x.json"), SAGEMAKER);
  setup(bp);
  const file = join(bp, "platform.yaml");
  writeFileSync(
    file,
    `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com }
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  storage:
    buckets: [{ name: datasets }]
  registry: { models: true }
  pipelines:
    - name: retrain
      definition: ${definition}
      schedule: "0 3 * * 1"
`,
  );
  return { bp, file };
}

function load(file: string) {
  const r = loadBlueprint(file, { today: "2026-11-25", vars: {} });
  const errors = r.diagnostics.filter(isError);
  return { r, errors, text: errors.map((d) => renderDiagnostic(d)).join("\n\n") };
}

/** What each case pins: code, message, and that the outside file's content never shows. */
function expectRefused(file: string, code: string, message: string) {
  const { r, errors, text } = load(file);
  expect(errors.map((d) => [d.code, d.path.join("."), d.line, d.col])).toEqual([[code, "spec.pipelines.0.definition", 13, 19]]);
  expect(errors[0]!.message).toBe(message);
  expect(errors[0]!.hint).toContain("copy");
  expect(text).not.toContain(SECRET);
  expect(r.model).toBeUndefined();
  return text;
}

describe("a definition must lie inside the blueprint's folder (loadBlueprint)", () => {
  it("a normal nested path (pipelines/x.json) is read into the model", () => {
    const { file } = project("pipelines/x.json");
    const { r, errors } = load(file);
    expect(errors).toEqual([]);
    expect(r.model?.pipelines?.[0]?.definition.text).toBe(SAGEMAKER);
  });

  it("an absolute path is MLP_PIPELINE_DEFINITION_OUTSIDE at the definition field, even to a file inside the folder", () => {
    const { file } = project(join(work, "outside", "secret.json"));
    expectRefused(file, "MLP_PIPELINE_DEFINITION_OUTSIDE", "pipeline `retrain`'s definition is an absolute path; mlplat reads (and uploads) only files inside the blueprint's folder, named relative to it.");
    const inside = project(join(work, `bp-${seq}`, "pipelines", "x.json"));
    expect(load(inside.file).errors.map((d) => d.code)).toEqual(["MLP_PIPELINE_DEFINITION_OUTSIDE"]);
  });

  it("a `..` escape is MLP_PIPELINE_DEFINITION_OUTSIDE, also when it climbs out through a subfolder", () => {
    const { file } = project("../outside/secret.json");
    const text = expectRefused(file, "MLP_PIPELINE_DEFINITION_OUTSIDE", "pipeline `retrain`'s definition: `../outside/secret.json` leads outside the blueprint's folder; mlplat reads (and uploads) only files inside it.");
    expect(text).toContain("found: ../outside/secret.json");
    expect(text).toContain("hint: copy the file into the blueprint's folder (for example pipelines/<file>) and name it relative to the blueprint; `mlplat init --template <name>` does this for a template's definitions.");
    const deeper = project("pipelines/../../outside/secret.json");
    expectRefused(deeper.file, "MLP_PIPELINE_DEFINITION_OUTSIDE", "pipeline `retrain`'s definition: `../outside/secret.json` leads outside the blueprint's folder; mlplat reads (and uploads) only files inside it.");
  });

  it("a definition that is a symbolic link is MLP_PIPELINE_DEFINITION_SYMLINK, even to a file inside the folder", () => {
    const { file } = project("pipelines/link.json", (bp) => symlinkSync("x.json", join(bp, "pipelines", "link.json")));
    const text = expectRefused(file, "MLP_PIPELINE_DEFINITION_SYMLINK", "pipeline `retrain`'s definition: `pipelines/link.json` is a symbolic link; mlplat does not follow links to the files it uploads.");
    expect(text).toContain('hint: replace the link with a copy of the file it points at (`cp --remove-destination "$(readlink -f pipelines/link.json)" pipelines/link.json`), inside the blueprint\'s folder.');
    const out = project("pipelines/out.json", (bp) => symlinkSync(join(work, "outside", "secret.json"), join(bp, "pipelines", "out.json")));
    expect(load(out.file).errors.map((d) => d.code)).toEqual(["MLP_PIPELINE_DEFINITION_SYMLINK"]);
  });

  it("a parent folder that is a symbolic link out of the folder is MLP_PIPELINE_DEFINITION_OUTSIDE; one that stays inside is followed", () => {
    const { file } = project("ext/secret.json", (bp) => symlinkSync(join(work, "outside"), join(bp, "ext")));
    expectRefused(file, "MLP_PIPELINE_DEFINITION_OUTSIDE", "pipeline `retrain`'s definition: `ext/secret.json` leads outside the blueprint's folder through the symbolic link `ext`; mlplat reads (and uploads) only files inside it.");
    const nested = project("pipelines/up/outside/secret.json", (bp) => symlinkSync("../..", join(bp, "pipelines", "up")));
    expect(load(nested.file).errors.map((d) => [d.code, d.message])).toEqual([
      ["MLP_PIPELINE_DEFINITION_OUTSIDE", "pipeline `retrain`'s definition: `pipelines/up/outside/secret.json` leads outside the blueprint's folder through the symbolic link `pipelines/up`; mlplat reads (and uploads) only files inside it."],
    ]);
    const alias = project("alias/x.json", (bp) => symlinkSync("pipelines", join(bp, "alias")));
    const ok = load(alias.file);
    expect(ok.errors).toEqual([]);
    expect(ok.r.model?.pipelines?.[0]?.definition.text).toBe(SAGEMAKER);
  });

  it("a FIFO inside the folder is MLP_PIPELINE_DEFINITION_UNREADABLE at once, not a hang", () => {
    const { file } = project("pipelines/pipe.json", (bp) => execFileSync("mkfifo", [join(bp, "pipelines", "pipe.json")]));
    const t0 = performance.now();
    const { errors } = load(file);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(errors.map((d) => [d.code, d.message, d.line])).toEqual([["MLP_PIPELINE_DEFINITION_UNREADABLE", "pipeline `retrain`'s definition: `pipelines/pipe.json` is not a regular file (a pipe, device or socket).", 13]]);
  });
});

describe("a folder swapped for a link between the check and the open (a local race)", () => {
  // A swap cannot be timed between two system calls in a test, so the after-open judge gets
  // what such a race hands it: a descriptor whose file is outside the folder.
  it("the descriptor opened is judged by where its file really is, before anything is read", () => {
    const base = mkdtempSync(join(tmpdir(), "mlplat-race-"));
    const root = join(base, "repo");
    mkdirSync(join(root, "pipelines"), { recursive: true });
    writeFileSync(join(root, "pipelines", "train.json"), "{}");
    writeFileSync(join(base, "secret.json"), '{"token":"x"}');
    const insideFd = openSync(join(root, "pipelines", "train.json"), "r");
    const outsideFd = openSync(join(base, "secret.json"), "r");
    try {
      expect(openedOutside(root, join(root, "pipelines", "train.json"), insideFd)).toBeUndefined();
      const refused = openedOutside(root, join(root, "pipelines", "train.json"), outsideFd);
      expect(refused).toMatchObject({ ok: false, code: "MLP_PIPELINE_DEFINITION_OUTSIDE" });
      expect((refused as { message: string }).message).toBe(
        "`pipelines/train.json` led outside the blueprint's folder when it was opened (a folder on its path changed after it was checked); mlplat reads (and uploads) only files inside it.",
      );
    } finally {
      closeSync(insideFd);
      closeSync(outsideFd);
    }
  });
});

describe("a definition that fails to parse shows only its located line", () => {
  it("JSON.parse's quoted excerpt (which spans lines) is left out of the message", () => {
    const { file } = project("pipelines/bad.json", (bp) => writeFileSync(join(bp, "pipelines", "bad.json"), "x\nAWS_SECRET=abc123\nmore\n"));
    const { errors, text } = load(file);
    expect(errors.map((d) => [d.code, d.line, d.col, d.source])).toEqual([["MLP_PIPELINE_DEFINITION_SYNTAX", 1, 1, "x"]]);
    expect(errors[0]!.message).toBe("pipeline `retrain`'s definition (spec.pipelines[0].definition) is not valid JSON (a SageMaker pipeline definition): Unexpected token 'x', not valid JSON.");
    expect(text).not.toContain("AWS_SECR");
  });

  it("an azure value that is a mapping is shown by its kind, not its content", () => {
    const dir = join(work, `bp-${seq++}`);
    mkdirSync(join(dir, "pipelines"), { recursive: true });
    writeFileSync(join(dir, "pipelines", "job.json"), JSON.stringify({ properties: { jobType: { token: SECRET }, jobs: { a: { componentId: "azureml:c:1" } } } }, null, 2));
    writeFileSync(
      join(dir, "platform.yaml"),
      `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com }
spec:
  cloud: azure
  region: eastus
  azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }
  storage:
    buckets: [{ name: datasets }]
  registry: { models: true }
  pipelines:
    - { name: retrain, definition: pipelines/job.json, schedule: "0 3 * * 1" }
`,
    );
    const { errors, text } = load(join(dir, "platform.yaml"));
    expect(errors.map((d) => [d.code, d.found])).toEqual([["MLP_PIPELINE_DEFINITION_INVALID", "a mapping"]]);
    // The located line (`"jobType": {`) is shown; the secret on the next line is not.
    expect(errors[0]!.source).toBe('    "jobType": {');
    expect(text).not.toContain(SECRET);
  });
});

describe("the built CLI", () => {
  it.each([
    ["an absolute path", () => project(join(work, "outside", "secret.json")), "MLP_PIPELINE_DEFINITION_OUTSIDE", "is an absolute path"],
    ["a `..` escape", () => project("../outside/secret.json"), "MLP_PIPELINE_DEFINITION_OUTSIDE", "`../outside/secret.json` leads outside the blueprint's folder"],
    ["a symlinked file", () => project("pipelines/link.json", (bp) => symlinkSync("x.json", join(bp, "pipelines", "link.json"))), "MLP_PIPELINE_DEFINITION_SYMLINK", "`pipelines/link.json` is a symbolic link"],
    ["a symlinked parent", () => project("ext/secret.json", (bp) => symlinkSync(join(work, "outside"), join(bp, "ext"))), "MLP_PIPELINE_DEFINITION_OUTSIDE", "through the symbolic link `ext`"],
    ["a FIFO", () => project("pipelines/pipe.json", (bp) => execFileSync("mkfifo", [join(bp, "pipelines", "pipe.json")])), "MLP_PIPELINE_DEFINITION_UNREADABLE", "`pipelines/pipe.json` is not a regular file"],
  ])("validate: %s exits 1 with the located error, nothing of the file echoed", (_name, make, code, message) => {
    const { file } = make();
    const r = mlplat(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:13:19 error ${code} spec.pipelines[0].definition`);
    expect(r.stderr).toContain(message);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("validate: pipelines/x.json passes", () => {
    const { file } = project("pipelines/x.json");
    const r = mlplat(["validate", file]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("mlplat init never writes through a link", () => {
  it("continuous-training: the copied definitions validate where they are written", () => {
    const d = join(work, `init-${seq++}`);
    const r = initPlatform({ dir: d, template: "continuous-training" });
    expect(r.check.flatMap((c) => c.diagnostics.filter(isError))).toEqual([]);
    expect(readdirSync(join(d, "pipelines")).sort()).toEqual(["retrain-fraud.azureml.json", "retrain-fraud.kfp.yaml", "retrain-fraud.sagemaker.json"]);
  });

  it("a pipelines/ folder that links elsewhere is MLP_INIT_LINK before anything is written", () => {
    const d = join(work, `init-${seq++}`);
    const elsewhere = join(work, `elsewhere-${seq++}`);
    mkdirSync(elsewhere);
    mkdirSync(d);
    symlinkSync(elsewhere, join(d, "pipelines"));
    expect(() => initPlatform({ dir: d, template: "continuous-training" })).toThrow(
      expect.objectContaining({ code: "MLP_INIT_LINK", message: `${join(d, "pipelines")} is a symbolic link; mlplat init never writes through a link (it would write to the link's target).` }),
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(d)).toEqual(["pipelines"]);
  });

  it("a dangling link at a definition copy or at platform.yaml is refused (the link's target is not created), also with --force", () => {
    const d = join(work, `init-${seq++}`);
    mkdirSync(join(d, "pipelines"), { recursive: true });
    const target = join(work, `planted-${seq++}.json`);
    symlinkSync(target, join(d, "pipelines", "retrain-fraud.kfp.yaml"));
    expect(() => initPlatform({ dir: d, template: "continuous-training", force: true })).toThrow(expect.objectContaining({ code: "MLP_INIT_LINK" }));
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(d, "platform.yaml"))).toBe(false);

    const e = join(work, `init-${seq++}`);
    mkdirSync(e);
    const planted = join(work, `planted-${seq++}.yaml`);
    symlinkSync(planted, join(e, "platform.yaml"));
    const r = mlplat(["init", e, "--template", "continuous-training"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(e, "platform.yaml")} is a symbolic link; mlplat init never writes through a link`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(planted)).toBe(false);
    expect(lstatSync(join(e, "platform.yaml")).isSymbolicLink()).toBe(true);
  });
});
