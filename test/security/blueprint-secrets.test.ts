import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { diagnosticJson, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { hasStackTrace, mlplat } from "../helpers/cli.js";
import { BASE, write } from "./blueprint-fixtures.js";

/**
 * Adversarial tier, secrets (issue 12): a value that came from `${env:NAME}` is shown as the
 * reference, never as its resolved text, in every message, found, allowed, hint, code frame and
 * `--json` field.
 */

const LONG = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY";
const TOKEN = "ghp_R3alLookingT0kenValue0123456789abcd";

/** Every text a user could see for the diagnostics of one load. */
function everything(file: string, vars: NodeJS.ProcessEnv, env?: string): { text: string; count: number } {
  const r = loadBlueprint(file, { vars, env, today: "2026-11-25" });
  const text = r.diagnostics.map((d) => `${renderDiagnostic(d)}\n${JSON.stringify(diagnosticJson(d))}\n${d.source ?? ""}`).join("\n");
  return { text, count: r.diagnostics.length };
}

describe("secrets from ${env:…} in diagnostics", () => {
  it("shows accountId and region from secret variables as their references", () => {
    const file = write(BASE.replace('aws: { accountId: "123456789012" }', 'aws: { accountId: "${env:AWS_SECRET_ACCESS_KEY}" }').replace("region: us-east-1", "region: ${env:GITHUB_TOKEN}"));
    const r = loadBlueprint(file, { vars: { AWS_SECRET_ACCESS_KEY: LONG, GITHUB_TOKEN: TOKEN }, today: "2026-11-25" });
    const account = r.diagnostics.find((d) => d.code === "MLP_INVALID_FORMAT")!;
    expect(account).toMatchObject({ found: '"${env:AWS_SECRET_ACCESS_KEY}"', message: "must be the 12-digit AWS account id, quoted." });
    const all = r.diagnostics.map((d) => renderDiagnostic(d) + JSON.stringify(diagnosticJson(d))).join("\n");
    expect(all).not.toContain(LONG);
    expect(all).not.toContain(TOKEN);
    expect(all).toContain("${env:AWS_SECRET_ACCESS_KEY}");
  });

  it("hides a region-like secret in rule messages and did-you-mean hints", () => {
    const file = write(BASE.replace("region: us-east-1", "region: ${env:REGION}"));
    const { text, count } = everything(file, { REGION: "us-east-7" });
    expect(count).toBeGreaterThan(0);
    expect(text).not.toContain("us-east-7");
    expect(text).toContain("${env:REGION}");
  });

  it("hides a secret embedded in a longer value, and through an overlay", () => {
    const text = `${BASE}  registry: { images: [{ name: app }] }\n  serving:\n    endpoints:\n      - { name: web, image: "app:\${env:TAG}-x", instanceType: "\${env:TAG}" }\nenvironments:\n  prod:\n    spec: { region: "eu-\${env:TAG}" }\n`;
    const file = write(text);
    for (const env of [undefined, "prod"]) {
      const seen = everything(file, { TAG: LONG }, env);
      expect(seen.count).toBeGreaterThan(0);
      expect(seen.text).not.toContain(LONG);
    }
  });

  // Property-style sweep: every scalar of the reference blueprints, in the base and in each
  // overlay, replaced by a reference to a secret; whatever the diagnostics say, the secret's
  // text never appears.
  // Quotes and backslashes too: a message that JSON-quotes a value must not show it escaped.
  const SECRETS = [`${LONG}"q\\\${x}`, "eu-north-9", "Q7"];
  const files = ["blueprints/llm-serving.yaml", "blueprints/multi-env-platform.yaml", "blueprints/gcp-platform.yaml", "blueprints/azure-platform.yaml"];

  it.each(files)("never shows a secret placed in any field of %s", (ref) => {
    const doc = parse(readFileSync(ref, "utf8")) as Record<string, unknown>;
    const leaves: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else leaves.push(path);
    };
    walk(doc, []);
    expect(leaves.length).toBeGreaterThan(30);
    let reported = 0;
    for (const path of leaves) {
      const env = path[0] === "environments" ? String(path[1]) : undefined;
      for (const [i, secret] of SECRETS.entries()) {
        const copy = structuredClone(doc);
        let cur = copy as Record<string | number, unknown>;
        for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
        cur[path[path.length - 1]!] = i === 0 ? "pre-${env:MLPLAT_SECRET}" : "${env:MLPLAT_SECRET}";
        const { text, count } = everything(write(stringify(copy)), { MLPLAT_SECRET: secret }, env);
        reported += count;
        const where = `${path.join(".")} = ${secret}`;
        if (secret.length > 2) {
          expect(text, where).not.toContain(secret);
          expect(text, where).not.toContain(JSON.stringify(secret).slice(1, -1));
        }
        else expect(text, where).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${secret}(?![A-Za-z0-9])`));
      }
    }
    // The sweep means something only if the secrets reach diagnostics.
    expect(reported).toBeGreaterThan(leaves.length);
  });
});

describe("secrets through the built CLI", () => {
  it("validate and validate --json never print the secret values", () => {
    const file = write(BASE.replace('aws: { accountId: "123456789012" }', 'aws: { accountId: "${env:AWS_SECRET_ACCESS_KEY}" }').replace("region: us-east-1", "region: ${env:GITHUB_TOKEN}"));
    const env = { AWS_SECRET_ACCESS_KEY: LONG, GITHUB_TOKEN: TOKEN };
    for (const args of [["validate", file], ["validate", file, "--json"], ["synth", file, "--out", `${file}.out`]]) {
      const r = mlplat(args, { env });
      expect(r.code, args.join(" ")).toBe(1);
      expect(hasStackTrace(r.stderr)).toBe(false);
      const out = r.stdout + r.stderr;
      expect(out).not.toContain(LONG);
      expect(out).not.toContain(TOKEN);
      expect(out).toContain("${env:AWS_SECRET_ACCESS_KEY}");
    }
    const json = JSON.parse(mlplat(["validate", file, "--json"], { env }).stdout);
    expect(json.diagnostics.find((d: { path: string }) => d.path === "spec.aws.accountId").found).toBe('"${env:AWS_SECRET_ACCESS_KEY}"');
  });
});
