/**
 * `mlplat cost <file>`: offline monthly estimate of a blueprint against its budget. Loads the
 * blueprint (no cdktf), prices it from the catalog and prints a table, or JSON with `--json`.
 */
import type { Command } from "commander";
import type { z } from "zod";
import type { ZodApi } from "../../engine/cli-options.js";
import { MlplatError } from "../../util/errors.js";
import { note, printJson, say, style } from "../output.js";
import type { CostReport } from "../../cost/estimate.js";
import type { RolloutCost } from "../../cost/rollout-window.js";
import type { PlatformModel } from "../../model/platform.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const costOptionsSchema = (z: ZodApi) =>
  z.object({
    env: z.string().min(1).optional(),
    json: z.boolean().default(false),
    failOverBudget: z.boolean().default(false),
  });
export type CostOptions = z.infer<ReturnType<typeof costOptionsSchema>>;

export function register(program: Command): void {
  program
    .command("cost")
    .description("Estimate the monthly cost of a blueprint (node pools and endpoints at min and max, control plane, NAT) against its budget.")
    .argument("<file>", "blueprint YAML file")
    .option("-e, --env <name>", "environment overlay to apply (default: none)")
    .option("--json", "print the estimate as JSON on stdout")
    .option("--fail-over-budget", "exit 1 when the max estimate exceeds budget.monthlyUsd (for CI)")
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat cost platform.yaml                         table of items and monthly totals
  $ mlplat cost platform.yaml --env prod --json       machine-readable estimate
  $ mlplat cost platform.yaml --fail-over-budget      fail a CI job when max > budget

Prices are catalog list prices (USD, 730 hours a month) in each cloud's reference region; spot
pools are priced at spot. Storage, data transfer and requests are not included. Endpoints with
\`rollout\` get a "during a rollout" line: the extra capacity a rollout runs, per hour and per
rollout, which is not in the monthly totals.`,
    )
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      await cost(file, costOptionsSchema(z).parse(raw));
    });
}

export async function cost(file: string, opts: CostOptions): Promise<void> {
  const [{ loadBlueprintOrThrow }, { loadCatalog }, { estimateCost }] = await Promise.all([
    import("../../blueprint/load.js"),
    import("../../catalog/index.js"),
    import("../../cost/estimate.js"),
  ]);
  const { model, warnings } = loadBlueprintOrThrow(file, { env: opts.env });
  if (warnings.length && !opts.json) note(style.yellow(`${warnings.length} warning(s) in the blueprint; \`mlplat validate ${file}\` shows them.`));
  const report = estimateCost(model, loadCatalog(), { today: process.env.MLPLAT_TODAY ?? new Date().toISOString().slice(0, 10) });

  if (opts.json) printJson(report);
  else await printReport(model, report);

  if (report.overBudget) {
    const message = `the max estimate ${usd(report.totalMaxMonthlyUsd)} a month exceeds budget.monthlyUsd ${usd(report.budgetMonthlyUsd!)}`;
    if (opts.failOverBudget)
      throw new MlplatError("MLP_OVER_BUDGET", message, { hint: "lower node pool or endpoint max sizes, use spot pools, or raise budget.monthlyUsd" });
    if (!opts.json) note(`${style.yellow("warning")} ${message}`);
  }
}

const usd = (n: number) => `${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;

async function printReport(model: PlatformModel, report: CostReport): Promise<void> {
  const { renderTable, usdHourly, usdMonthly } = await import("../../catalog/format.js");
  say(style.bold(`${model.stackName} on ${model.cloud} ${model.region}: monthly estimate (USD, 730 h)`));
  say("");
  say(
    renderTable(
      [
        { header: "KIND" },
        { header: "NAME" },
        { header: "TYPE" },
        { header: "MAX COUNT", align: "right" },
        { header: "$/h EACH", align: "right" },
        { header: "MIN $/mo", align: "right" },
        { header: "MAX $/mo", align: "right" },
      ],
      [
        ...report.items.map((i) => [
          i.kind,
          i.name,
          (i.instanceType ?? "—") + (i.spot ? " (spot)" : ""),
          String(i.count),
          usdHourly(i.hourlyUsd),
          usdMonthly(i.minMonthlyUsd),
          usdMonthly(i.maxMonthlyUsd),
        ]),
        ["", "", "", "", "", "", ""],
        ["total", "", "", "", "", usdMonthly(report.totalMinMonthlyUsd), usdMonthly(report.totalMaxMonthlyUsd)],
      ],
    ),
  );
  say("");
  if (report.budgetMonthlyUsd !== null) {
    const verdict = report.overBudget ? style.red("OVER BUDGET at max") : style.green("within budget at max");
    say(`budget: ${usdMonthly(report.budgetMonthlyUsd)} a month — ${verdict}`);
  } else say(style.dim("no budget.monthlyUsd in the blueprint"));
  if (report.rollouts?.length) {
    say("");
    say(style.bold("during a rollout (extra capacity beside the serving one; NOT in the monthly totals):"));
    for (const r of report.rollouts) say(rolloutLine(r));
  }
  for (const n of report.notes ?? []) say(style.dim(`note: ${n}`));
}

const range = (m: { min: number; max: number }, f: (n: number) => string = String) => (m.min === m.max ? f(m.min) : `${f(m.min)}–${f(m.max)}`);
const money = (n: number) => n.toFixed(2);

/** One line per endpoint: what runs beside it, how long, USD per hour and per rollout; then its notes. */
export function rolloutLine(r: RolloutCost): string {
  const what = `${r.endpoint} (${RUNTIME[r.runtime]} ${r.strategy} ${r.steps.map((s) => `${s}%`).join(" → ")})`;
  const extra = `+${range(r.peakExtra)} ${r.unit}`;
  const window = r.windowMinutes ? `for ${r.windowMinutes} min (${r.window})` : `no window (${r.window})`;
  const usd =
    r.peakHourlyUsd && r.perRolloutUsd
      ? `${range(r.peakHourlyUsd, money)} USD/h, ${range(r.perRolloutUsd, money)} USD per rollout`
      : "not priced (no price in the catalog)";
  return [`during a rollout: ${what}: ${extra} ${window} = ${usd}`, ...r.notes.map((n) => style.dim(`  ${n}`))].join("\n");
}

const RUNTIME: Readonly<Record<RolloutCost["runtime"], string>> = {
  sagemaker: "SageMaker",
  "cloud-run": "Cloud Run",
  "container-apps": "Container Apps",
  "argo-rollouts": "Argo Rollouts",
};
