#!/usr/bin/env node
// Markdown summary of `mlplat cost --json` and `mlplat plan --json` for a pull/merge request
// comment: `node mlplat-summary.mjs cost.json plan.json > summary.md`. Either file may be
// missing or empty (a failed step): the summary says so instead of failing the job.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [costFile = "cost.json", planFile = "plan.json"] = process.argv.slice(2);
const read = (f) => {
  try {
    return existsSync(f) && readFileSync(f, "utf8").trim() ? JSON.parse(readFileSync(f, "utf8")) : undefined;
  } catch {
    return undefined;
  }
};
const usd = (n) => `${Math.round(n).toLocaleString("en-US")} USD`;

export function summarize(cost, plan) {
  const out = ["## mlplat", ""];
  if (plan?.stacks?.length) {
    for (const s of plan.stacks) {
      out.push(`### Plan: \`${s.name}\``, "");
      out.push(s.changes ? `**${s.add}** to add, **${s.change}** to change, **${s.replace}** to replace, **${s.destroy}** to destroy.` : "No changes.");
      const sections = Object.entries(s.sections ?? {});
      if (sections.length) {
        out.push("", "| section | add | change | replace | destroy |", "|---|---:|---:|---:|---:|");
        for (const [name, c] of sections) out.push(`| ${name} | ${c.add} | ${c.change} | ${c.replace} | ${c.destroy} |`);
      }
      if (s.dataLoss?.length) {
        out.push("", `> [!WARNING]`, `> This plan destroys or replaces data-bearing resources; \`mlplat deploy\` will refuse it without \`--allow-data-loss\`:`);
        for (const d of s.dataLoss) out.push(`> - ${d.action} \`${d.address}\` (${d.section} ${d.name})`);
      }
      out.push("");
    }
  } else {
    out.push("### Plan", "", "No plan: the plan step failed; see the job log.", "");
  }
  if (cost) {
    out.push("### Monthly cost", "", `**${usd(cost.totalMinMonthlyUsd)} – ${usd(cost.totalMaxMonthlyUsd)}** (everything at min – at max, list prices).`);
    if (cost.budgetMonthlyUsd != null) out.push(`Budget ${usd(cost.budgetMonthlyUsd)}: ${cost.overBudget ? "**over budget at max**" : "within budget at max"}.`);
    out.push("", "| kind | name | type | max count | max / month |", "|---|---|---|---:|---:|");
    for (const i of cost.items) out.push(`| ${i.kind} | ${i.name} | ${i.instanceType ?? "—"}${i.spot ? " (spot)" : ""} | ${i.count} | ${i.maxMonthlyUsd == null ? "—" : usd(i.maxMonthlyUsd)} |`);
  } else {
    out.push("### Monthly cost", "", "No estimate: the cost step failed; see the job log.");
  }
  return out.join("\n") + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(summarize(read(costFile), read(planFile)));
