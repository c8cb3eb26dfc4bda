import { describeDisruption, type Disruption } from "./disruption.js";
import type { Counts, DataLoss, PlanSummary } from "./summary.js";

function countsLine(c: Counts): string {
  return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy, ${c.replace} to replace`;
}

/** The human summary of one stack's plan: totals, a line per blueprint section, the data-loss block. */
export function renderSummary(stack: string, s: PlanSummary): string {
  if (!s.changes) return `Stack ${stack}: no changes.`;
  const lines = [`Stack ${stack}: ${countsLine(s)}`];
  const sections = Object.entries(s.sections);
  const width = Math.max(0, ...sections.map(([name]) => name.length));
  for (const [name, c] of sections) {
    const parts = [c.add && `+${c.add} add`, c.change && `~${c.change} change`, c.destroy && `-${c.destroy} destroy`, c.replace && `±${c.replace} replace`].filter(Boolean);
    lines.push(`  ${name.padEnd(width)}  ${parts.join("  ")}`);
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
