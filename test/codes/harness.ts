import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { stringify } from "yaml";
import type { Diagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint, type LoadOptions } from "../../src/blueprint/load.js";

/**
 * Builds small blueprints in a temp folder and runs them through the public loader
 * (loadBlueprint: parse, schema, rules, model, the cloud target's resolver), so each MLP_* code
 * is triggered the way `mlplat validate` would hit it.
 */
const dir = mkdtempSync(join(tmpdir(), "mlplat-codes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

export type Doc = Record<string, any>;

const ACCOUNTS: Record<string, Doc> = {
  aws: { aws: { accountId: "123456789012" }, region: "us-east-1" },
  gcp: { gcp: { project: "codes-proj" }, region: "us-central1" },
  azure: { azure: { subscriptionId: "11111111-1111-1111-1111-111111111111" }, region: "eastus" },
};

/** A valid minimal blueprint on `cloud`, changed by `edit`. */
export function blueprint(cloud: "aws" | "gcp" | "azure", edit: (spec: Doc, doc: Doc) => void = () => {}): Doc {
  const doc: Doc = {
    apiVersion: "mlplat/v1",
    kind: "Platform",
    metadata: { name: "codes", owner: "team@example.com" },
    // adminCidrs: a path to a private cluster's API, so a cluster added by `edit` is reachable.
    spec: { cloud, ...structuredClone(ACCOUNTS[cloud]), network: { adminCidrs: ["198.51.100.0/24"] }, storage: { buckets: [{ name: "data" }] } },
  };
  edit(doc.spec, doc);
  return doc;
}

/** Writes `doc` (an object, or YAML text) to a file and returns its path. */
export function write(doc: Doc | string, name = `bp-${++n}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, typeof doc === "string" ? doc : stringify(doc));
  return file;
}

export function diagnose(doc: Doc | string, opts: LoadOptions = {}): readonly Diagnostic[] {
  return loadBlueprint(write(doc), { today: "2026-11-25", vars: {}, ...opts }).diagnostics;
}

/** The one diagnostic with `code`; fails listing what was reported instead. */
export function expectCode(doc: Doc | string, code: string, opts: LoadOptions = {}): Diagnostic {
  const all = diagnose(doc, opts);
  const hits = all.filter((d) => d.code === code);
  expect(hits.map((d) => d.code), `reported: ${all.map((d) => `${d.code}: ${d.message}`).join(" | ")}`).toEqual([code]);
  return hits[0]!;
}

/** Codes of the errors (not warnings) `doc` gets. */
export function errorCodes(doc: Doc | string, opts: LoadOptions = {}): string[] {
  return diagnose(doc, opts)
    .filter((d) => d.severity === "error")
    .map((d) => d.code);
}
