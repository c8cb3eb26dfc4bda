import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, mlplat } from "../helpers/cli.js";

const SPEC = resolve("test/fixtures/spec-example.yaml");
const tmp = () => mkdtempSync(join(tmpdir(), "mlplat-cli-"));

describe("mlplat --help and --version", () => {
  it("prints the commands and exit codes with exit 0", () => {
    const r = mlplat(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["validate", "synth", "plan", "deploy", "destroy", "output", "cost", "catalog", "schema"]) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain("Exit codes");
  });

  it.each(["validate", "synth", "schema"])("teaches %s with examples", (cmd) => {
    const r = mlplat([cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
  });

  it("prints the package version", () => {
    const r = mlplat(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it("rejects an unknown command with exit 1 and a suggestion", () => {
    const r = mlplat(["valdate", "x.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Did you mean validate\?/);
  });
});

describe("mlplat validate", () => {
  it("accepts the spec's example with exit 0 and reports its warning", () => {
    const r = mlplat(["validate", SPEC]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("is valid: fraud-default on aws us-east-1");
    expect(r.stderr).toContain("warning MLP_K8S_VERSION_EXTENDED");
  });

  it("fails on warnings with --strict", () => {
    const r = mlplat(["validate", SPEC, "--strict"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error MLP_K8S_VERSION_EXTENDED");
  });

  it("prints only JSON on stdout with --json", () => {
    const r = mlplat(["validate", SPEC, "--env", "prod", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ valid: true, env: "prod", errors: 0, platform: { stack: "fraud-prod", region: "us-west-2" } });
    expect(j.diagnostics).toContainEqual(expect.objectContaining({ severity: "warning", code: "MLP_K8S_VERSION_EXTENDED", line: 36, column: 14, path: "spec.cluster.version" }));
  });

  it("reports every error of a file at once, located, with exit 1 and no stack trace", () => {
    const r = mlplat(["validate", "test/fixtures/invalid/s3-lifecycle-limits.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error MLP_/g)).toHaveLength(3);
    expect(r.stderr).toContain("s3-lifecycle-limits.yaml:13:35");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("names an unknown environment and lists the ones defined", () => {
    const r = mlplat(["validate", SPEC, "--env", "prdo"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MLP_ENV_UNKNOWN");
    expect(r.stderr).toContain("did you mean --env prod?");
  });

  it.each([
    ["a missing file", null, "MLP_FILE_UNREADABLE"],
    ["an empty file", "# only a comment\n\n", "MLP_FILE_EMPTY"],
    ["a binary file", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), "MLP_FILE_BINARY"],
    ["a non-UTF-8 file", Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), "MLP_FILE_NOT_UTF8"],
    ["a YAML scalar", "just a string\n", "MLP_NOT_A_MAPPING"],
  ])("rejects %s with exit 1 and a clear message", (_what, content, code) => {
    const dir = tmp();
    const file = join(dir, "platform.yaml");
    if (content !== null) writeFileSync(file, content);
    const r = mlplat(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toContain(file);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("interpolates ${env:…} from the environment", () => {
    const dir = tmp();
    const file = join(dir, "p.yaml");
    writeFileSync(file, readFileSync(SPEC, "utf8").replace("region: us-east-1\n  aws:", "region: ${env:MLPLAT_REGION}\n  aws:"));
    expect(mlplat(["validate", file], { env: { MLPLAT_REGION: "us-west-2" } }).code).toBe(0);
    const unset = mlplat(["validate", file]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("MLP_ENV_VAR_UNSET");
  });

  it("checks the base and every environment with --all-envs, failing when one of them is invalid", () => {
    const ok = mlplat(["validate", SPEC, "--all-envs", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).results.map((r: { env: string; valid: boolean }) => [r.env, r.valid])).toEqual([
      ["default", true],
      ["dev", true],
      ["prod", true],
    ]);
    const dir = tmp();
    const file = join(dir, "p.yaml");
    writeFileSync(file, readFileSync(SPEC, "utf8").replace("      region: us-west-2", "      region: us-west-9"));
    const bad = mlplat(["validate", file, "--all-envs"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("(env prod): 1 error");
    expect(bad.stderr).toContain("MLP_REGION_UNKNOWN");
    expect(bad.stderr).toMatch(/✓ .*p\.yaml \(env dev\) is valid/);
  });

  it("writes nothing", () => {
    const dir = tmp();
    const file = join(dir, "p.yaml");
    writeFileSync(file, readFileSync(SPEC));
    mlplat(["validate", file], { cwd: dir });
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    expect(existsSync(join(dir, ".mlplat"))).toBe(false);
  });
});

describe("mlplat schema", () => {
  it("prints the committed JSON Schema", () => {
    const r = mlplat(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync("blueprints/blueprint.schema.json", "utf8")));
  });
});
