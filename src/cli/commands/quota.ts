/**
 * `mlplat quota <file>`: offline, the cloud quotas a blueprint needs (at min, max and the rollout
 * peak), each with the page and command that ask for more. Loads the blueprint (no cdktf).
 */
import type { Command } from "commander";
import type { z } from "zod";
import type { ZodApi } from "../../engine/cli-options.js";
import type { PlatformModel } from "../../model/platform.js";
import type { QuotaReport } from "../../quota/needs.js";
import { note, printJson, say, style } from "../output.js";

export const quotaOptionsSchema = (z: ZodApi) => z.object({ env: z.string().min(1).optional(), json: z.boolean().default(false) });
export type QuotaOptions = z.infer<ReturnType<typeof quotaOptionsSchema>>;

export function register(program: Command): void {
  program
    .command("quota")
    .description("List the cloud quotas a blueprint needs (GPU and vCPU families, managed endpoints) at min, max and rollout peak, offline.")
    .argument("<file>", "blueprint YAML file")
    .option("-e, --env <name>", "environment overlay to apply (default: none)")
    .option("--json", "print the quotas as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat quota platform.yaml                  every quota, what needs it, how to request more
  $ mlplat quota platform.yaml --env prod --json

A quota below the need at min makes the first deploy fail (nodes never come); below the need at
max, autoscaling stalls at the limit. New accounts have some quotas at 0 (marked).`,
    )
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      await quota(file, quotaOptionsSchema(z).parse(raw));
    });
}

export async function quota(file: string, opts: QuotaOptions): Promise<void> {
  const [{ loadBlueprintOrThrow }, { loadCatalog }, { resolveCapacities }, { quotaNeeds }, { loadQuotaTable }] = await Promise.all([
    import("../../blueprint/load.js"),
    import("../../catalog/index.js"),
    import("../../model/capacity.js"),
    import("../../quota/needs.js"),
    import("../../quota/data.js"),
  ]);
  const { model, warnings } = loadBlueprintOrThrow(file, { env: opts.env });
  if (warnings.length && !opts.json) note(style.yellow(`${warnings.length} warning(s) in the blueprint; \`mlplat validate ${file}\` shows them.`));
  const report = quotaNeeds(model, resolveCapacities(model, loadCatalog()), loadQuotaTable());
  if (opts.json) printJson(report);
  else await printReport(model, report);
}

async function printReport(model: PlatformModel, report: QuotaReport): Promise<void> {
  const { renderTable } = await import("../../catalog/format.js");
  say(style.bold(`${model.stackName} on ${model.cloud} ${model.region}: quotas needed`));
  say("");
  if (report.items.length === 0) say("no compute quota: this platform has no node pool or managed endpoint.");
  else
    say(
      renderTable(
        [{ header: "REGION" }, { header: "QUOTA" }, { header: "UNIT" }, { header: "MIN", align: "right" }, { header: "MAX", align: "right" }, { header: "PEAK", align: "right" }, { header: "FOR" }],
        report.items.map((i) => [
          i.region,
          `${i.quota.code}${i.quota.code === i.quota.name ? "" : ` ${i.quota.name}`}${i.newAccountZero ? " (0 on new accounts)" : ""}`,
          i.unit,
          String(i.requiredAtMin),
          String(i.requiredAtMax),
          String(i.requiredAtPeak),
          i.from.join(", "),
        ]),
      ),
    );
  for (const i of report.items) {
    say("");
    say(`${i.quota.code} (${i.region}): request at least ${i.requiredAtPeak} ${i.unit}${i.requiredAtPeak === 1 ? "" : "s"}`);
    say(`  console: ${i.increase.console}`);
    say(`  cli:     ${i.increase.cli}`);
    for (const n of i.notes ?? []) say(style.dim(`  note: ${n}`));
  }
  if (report.unknown.length) say(style.yellow(`\nnot counted (the catalog does not know their size): ${report.unknown.join(", ")}`));
}
