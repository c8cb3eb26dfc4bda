#!/usr/bin/env node
// Markdown for a pull/merge request comment: the plan review `mlplat plan --report plan.md`
// wrote, followed by the monthly cost from `mlplat cost --json`:
// `node mlplat-summary.mjs cost.json plan.md > summary.md`. Either file may be missing or
// empty (a failed step): the summary says so instead of failing the job.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [costFile = "cost.json", planFile = "plan.md"] = process.argv.slice(2);
const text = (f) => (existsSync(f) ? readFileSync(f, "utf8") : "");
const json = (f) => {
  try {
    return text(f).trim() ? JSON.parse(text(f)) : undefined;
  } catch {
    return undefined;
  }
};
const usd = (n) => `${Math.round(n).toLocaleString("en-US")} USD`;

export function summarize(cost, planMd) {
  const out = [];
  // The plan's review is mlplat's own (`mlplat plan --report plan.md`): every resource by
  // section, replacements and deletions first with the attribute forcing them.
  if (planMd?.trim()) out.push(planMd.trim(), "");
  else out.push("## mlplat plan", "", "No plan: the plan step failed; see the job log.", "");
  if (cost) {
    out.push("## Monthly cost", "", `**${usd(cost.totalMinMonthlyUsd)} – ${usd(cost.totalMaxMonthlyUsd)}** (everything at min – at max, list prices).`);
    if (cost.budgetMonthlyUsd != null) out.push(`Budget ${usd(cost.budgetMonthlyUsd)}: ${cost.overBudget ? "**over budget at max**" : "within budget at max"}.`);
    out.push("", "| kind | name | type | max count | max / month |", "|---|---|---|---:|---:|");
    for (const i of cost.items) out.push(`| ${i.kind} | ${i.name} | ${i.instanceType ?? "—"}${i.spot ? " (spot)" : ""} | ${i.count} | ${i.maxMonthlyUsd == null ? "—" : usd(i.maxMonthlyUsd)} |`);
  } else {
    out.push("## Monthly cost", "", "No estimate: the cost step failed; see the job log.");
  }
  return out.join("\n") + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(summarize(json(costFile), text(planFile)));
