import { expect } from "vitest";
import type { Expected } from "./corpus.js";
import type { ResourceImpact } from "./plan.js";

const isReplace = (c: ResourceImpact) => c.actions.includes("create") && c.actions.includes("delete");
const only = (changes: readonly ResourceImpact[], action: string) => changes.filter((c) => c.actions.length === 1 && c.actions[0] === action);

/** Patterns ending in `.` or `_` are prefixes (`aws_sagemaker_model.`, `aws_autoscaling_group_tag.cluster_llm_`); anything else is an exact address. */
function matches(pattern: string, address: string): boolean {
  return /[._]$/.test(pattern) ? address.startsWith(pattern) : address === pattern;
}

/** The plan as one readable object, so a failing edit shows everything it did. */
export function describeImpact(changes: readonly ResourceImpact[]) {
  return {
    replace: changes.filter(isReplace).map((c) => `${c.address} (${c.actions.join("+")}; forced by ${c.replacePaths.join(", ") || "?"})`).sort(),
    delete: only(changes, "delete").map((c) => c.address).sort(),
    create: only(changes, "create").map((c) => c.address).sort(),
    update: only(changes, "update").map((c) => c.address).sort(),
  };
}

/**
 * Asserts one edit's plan: replacements and deletions exactly as expected (anything else
 * replaced or deleted is a finding), the expected creations and updates present, creations
 * only where some are expected, and nothing at all for a no-op edit.
 */
export function expectImpact(name: string, changes: readonly ResourceImpact[], e: Expected): void {
  const seen = describeImpact(changes);
  const label = `${name}: ${JSON.stringify(seen, null, 2)}`;
  if (e.noop) {
    expect(changes.map((c) => `${c.actions.join("+")} ${c.address}`), label).toEqual([]);
    return;
  }
  // Replacements: each one matches an expected pattern, and each pattern matches one.
  const replaced = changes.filter(isReplace).map((c) => c.address);
  expect(replaced.filter((a) => !(e.replace ?? []).some((p) => matches(p, a))), `${label}\nunexpected replacements`).toEqual([]);
  for (const p of e.replace ?? []) expect(replaced.some((a) => matches(p, a)), `${label}\nexpected a replacement of ${p}`).toBe(true);
  const deleted = seen.delete;
  expect(deleted.filter((a) => !(e.delete ?? []).some((p) => matches(p, a))), `${label}\nunexpected deletions`).toEqual([]);
  for (const p of e.delete ?? []) expect(deleted.some((a) => matches(p, a)), `${label}\nexpected a deletion of ${p}`).toBe(true);
  for (const p of e.create ?? []) expect(seen.create.some((a) => matches(p, a)), `${label}\nexpected a creation of ${p}`).toBe(true);
  if (!e.create?.length) expect(seen.create, label).toEqual([]);
  for (const p of e.update ?? []) expect(seen.update.some((a) => matches(p, a)), `${label}\nexpected an update of ${p}`).toBe(true);
}
