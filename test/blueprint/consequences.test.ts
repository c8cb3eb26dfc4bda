import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { mlplat } from "../helpers/cli.js";

/** One root cause, one error (issue 15, item 9): consequences are left out and counted. */
const work = mkdtempSync(join(tmpdir(), "mlplat-consequences-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const BASE = readFileSync("blueprints/llm-serving.yaml", "utf8");
const today = "2026-11-25";
const vars = { AWS_ACCOUNT_ID: "210987654321" };
function write(name: string, text: string): string {
  const f = join(work, name);
  writeFileSync(f, text);
  return f;
}
const lineOf = (text: string, needle: string, from = 0) => text.split("\n").findIndex((l, i) => i >= from && l.includes(needle)) + 1;
const errors = (f: string) => loadBlueprint(f, { vars, today }).diagnostics.filter((d) => d.severity === "error");

describe("consequential errors", () => {
  it("reports a tab in the indentation once, not the 7 misaligned lines after it", () => {
    const gpuLine = lineOf(BASE, "gpu: { type: L4, count: 1 }   # 24 GB");
    const text = BASE.split("\n").map((l, i) => (i === gpuLine - 1 ? l.replace(/^ {8}/, "\t") : l)).join("\n");
    const r = loadBlueprint(write("tab.yaml", text), { vars, today });
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}`)).toEqual([`MLP_YAML_SYNTAX ${gpuLine}`]);
    expect(r.diagnostics[0]!.message).toBe("invalid YAML: Tabs are not allowed as indentation");
    expect(r.suppressed).toBe(7);
    expect(r.diagnostics[0]!.hint).toMatch(/^check indentation, quoting and the `key: value` form near the caret\. 7 more errors \(lines \d+(, \d+){6}\) follow from this one and are not listed; fix this first\.$/);
  });

  it("reports a pool's GPU missing in the region once, not again as 'no node pool has L4 GPUs' for the endpoint on it", () => {
    const f = write("region.yaml", BASE.replace("region: us-east-1", "region: ap-southeast-5"));
    const r = loadBlueprint(f, { vars, today });
    expect(errors(f).map((d) => d.code)).toEqual(["MLP_GPU_NOT_IN_REGION"]);
    expect(r.suppressed).toBe(1);
    const endpointLine = lineOf(BASE, "gpu: { type: L4, count: 1 }", lineOf(BASE, "- name: chat"));
    expect(errors(f)[0]!.hint).toContain(`1 more error (line ${endpointLine}) follows from this one and is not listed; fix this first.`);
  });

  it("warns once about an unset variable's placeholder default, at its first use, naming the other lines", () => {
    const f = write("team.yaml", readFileSync("blueprints/data-science-team.yaml", "utf8"));
    const text = readFileSync(f, "utf8");
    const r = loadBlueprint(f, { vars: {}, today });
    const placeholders = r.diagnostics.filter((d) => d.code === "MLP_PLACEHOLDER_DEFAULT");
    expect(placeholders.map((d) => d.line)).toEqual([lineOf(text, "accountId: \"${env:AWS_ACCOUNT_ID")]);
    const users = text.split("\n").flatMap((l, i) => (l.includes("identity: arn:aws:iam::${env:AWS_ACCOUNT_ID") ? [i + 1] : []));
    expect(users).toHaveLength(5);
    expect(r.suppressed).toBe(5);
    expect(placeholders[0]!.hint).toContain(`The same name is used 5 more times (lines ${users.join(", ")}), not listed again.`);
  });

  it("still reports an endpoint that wants a GPU no pool asked for", () => {
    const f = write("other-gpu.yaml", BASE.replace("region: us-east-1", "region: ap-southeast-5").replace(/(- name: chat[\s\S]*?)gpu: \{ type: L4, count: 1 \}/, "$1gpu: { type: T4, count: 1 }"));
    expect(errors(f).map((d) => d.code).sort()).toEqual(["MLP_GPU_NOT_IN_REGION", "MLP_K8S_ENDPOINT_NO_POOL"]);
  });

  it("reports an unknown bucket name once, at its first use, naming the other lines", () => {
    const f = write("bucket.yaml", BASE.replaceAll("bucket: models,", "bucket: modles,"));
    const [d, ...rest] = errors(f);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "MLP_MODEL_BUCKET_UNKNOWN", found: "modles", line: lineOf(BASE, "bucket: models,") });
    expect(d!.hint).toBe(`did you mean \`models\`? The same name is used 1 more time (line ${lineOf(BASE, "bucket: models,", lineOf(BASE, "bucket: models,"))}), not listed again.`);
  });

  it("reports two different unknown names twice", () => {
    const once = BASE.replace("bucket: models,", "bucket: modles,");
    const f = write("two.yaml", once.replace("bucket: models,", "bucket: weights,"));
    expect(errors(f).map((d) => d.found)).toEqual(["modles", "weights"]);
    expect(loadBlueprint(f, { vars, today }).suppressed).toBeUndefined();
  });

  it("validate says how many it left out, in text and --json", () => {
    write("cli.yaml", BASE.replaceAll("bucket: models,", "bucket: modles,"));
    const text = mlplat(["validate", "cli.yaml"], { cwd: work, env: vars });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain("✗ cli.yaml: 1 error, 0 warnings; 1 more not listed as they follow from these");
    const json = JSON.parse(mlplat(["validate", "cli.yaml", "--json"], { cwd: work, env: vars }).stdout);
    expect(json).toMatchObject({ valid: false, errors: 1, suppressed: 1 });
  });
});
