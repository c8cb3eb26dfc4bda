import type { Catalog } from "../../catalog/types.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ReadResult } from "../read-file.js";
import type { Blueprint } from "../schema.js";

/** What every rule sees: the merged, schema-valid blueprint, and what it needs besides. */
export interface RuleContext {
  /** Merged with the environment overlay, defaults applied. */
  readonly bp: Blueprint;
  /** The merged document before defaults: tells which fields were set explicitly. */
  readonly raw: Record<string, unknown>;
  readonly env: string;
  readonly catalog: Catalog;
  /** ISO date for support-window checks. */
  readonly today: string;
  /** Folder of the blueprint file: files it names (pipeline definitions) are relative to it. */
  readonly blueprintDir: string;
  /** Reads a file the blueprint names: a regular file, size-limited, read once per load (the model gets the same bytes). */
  readonly readFile: (path: string) => ReadResult;
}

/** A rule: a small named function that returns diagnostics with stable codes, never throws. */
export type Rule = (ctx: RuleContext) => Diagnostic[];

/** Reads a nested value from the raw document. */
export function rawAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
