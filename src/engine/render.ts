import { describeDisruption, type Disruption } from "./disruption.js";
import { bySection, describeChange } from "./review.js";
import type { Counts, DataLoss, PlanSummary } from "./summary.js";

function countsLine(c: Counts): string {
  return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy, ${c.replace} to replace`;
}

/**
 * The human summary of one stack's plan: totals; per blueprint section (sections with a
 * replacement or deletion first) its counts and every resource address with its action,
 * replacements with the attribute forcing them; then the data-loss and disruption blocks.
 */
export function renderSummary(stack: string, s: PlanSummary): string {
  const run = s.runUrl ? [`  run: ${s.runUrl}`] : [];
  if (!s.changes) return [`Stack ${stack}: no changes.`, ...run].join("\n");
  const lines = [`Stack ${stack}: ${countsLine(s)}`, ...run];
  const groups = bySection(s.resources);
  const width = Math.max(0, ...groups.map(([name]) => name.length));
  for (const [name, changes] of groups) {
    const c = s.sections[name] ?? { add: 0, change: 0, destroy: 0, replace: 0 };
    const parts = [c.replace && `±${c.replace} replace`, c.destroy && `-${c.destroy} destroy`, c.add && `+${c.add} add`, c.change && `~${c.change} change`].filter(Boolean);
    lines.push(`  ${name.padEnd(width)}  ${parts.join("  ")}`);
    for (const change of changes) lines.push(`    ${describeChange(change)}`);
  }
  if (s.dataLoss.length > 0) lines.push("", ...renderDataLoss(s.dataLoss));
  if (s.disruptions.length > 0) lines.push("", ...renderDisruptions(s.disruptions));
  return lines.join("\n");
}

export function renderDataLoss(items: readonly DataLoss[]): string[] {
  return [
    "  WARNING: data-bearing resources would be destroyed or replaced:",
    ...items.map((d) => `    - ${d.address} (${d.section} "${d.name}"): ${d.action === "delete" ? "destroy" : "replace"}`),
  ];
}

export function renderDisruptions(items: readonly Disruption[]): string[] {
  return [
    "  WARNING: running parts of the platform would be destroyed or replaced (deploy needs --allow-disruption):",
    ...items.map((d) => `    - ${describeDisruption(d)}`),
  ];
}
