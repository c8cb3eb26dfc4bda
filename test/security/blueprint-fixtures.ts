import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { renderDiagnostic, type Diagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint, type LoadOptions } from "../../src/blueprint/load.js";

/** Hostile blueprints for the adversarial tier: written to a temp folder, loaded as `validate` does. */
export const dir = mkdtempSync(join(tmpdir(), "mlplat-adversarial-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A valid AWS blueprint; tests append or replace lines. */
export const BASE = `apiVersion: mlplat/v1
kind: Platform
metadata:
  name: adversary
  owner: team@example.com
spec:
  cloud: aws
  region: us-east-1
  aws: { accountId: "123456789012" }
  storage:
    buckets:
      - name: datasets
      - name: models
`;

export function write(text: string, name = `bp-${++n}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function load(text: string, opts: LoadOptions = {}) {
  return loadBlueprint(write(text), { today: "2026-11-25", vars: {}, ...opts });
}

/** The diagnostics' codes. */
export function codes(text: string, opts: LoadOptions = {}): string[] {
  return load(text, opts).diagnostics.map((d) => d.code);
}

/** The one diagnostic with `code`, or a failure listing what came instead. */
export function only(text: string, code: string, opts: LoadOptions = {}): Diagnostic {
  const all = load(text, opts).diagnostics;
  const hits = all.filter((d) => d.code === code);
  if (hits.length !== 1) throw new Error(`expected one ${code}, got: ${all.map((d) => `${d.code} ${d.message}`).join(" | ") || "nothing"}`);
  return hits[0]!;
}

export function render(text: string, opts: LoadOptions = {}): string {
  return load(text, opts)
    .diagnostics.map((d) => renderDiagnostic(d))
    .join("\n\n")
    .replaceAll(dir, "<dir>")
    .replace(/bp-\d+\.yaml/g, "bp.yaml");
}
