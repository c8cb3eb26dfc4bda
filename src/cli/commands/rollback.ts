import type { Command } from "commander";
import { addCommonOptions, commonCliOptions, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const rollbackOptions = (z: ZodApi) =>
  commonCliOptions(z).extend({
    autoApprove: z.boolean().default(false),
    refresh: z.boolean().default(true),
  });

export function register(program: Command): void {
  addCommonOptions(
    program
      .command("rollback")
      .description("give the previous revision of a Cloud Run / Container Apps endpoint all its traffic again (after a canary or linear rollout)")
      .argument("<file>", "blueprint YAML file")
      .argument("<endpoint>", "endpoint name (serving.endpoints[].name)"),
  )
    .option("--auto-approve", "apply without asking (required without a terminal, e.g. in CI)")
    .option("--no-refresh", "plan without refreshing state from the cloud (-refresh=false)")
    .addHelpText("after", `
Examples:
  $ mlplat rollback platform.yaml scorer --env prod
  $ mlplat rollback platform.yaml scorer --env prod --auto-approve     CI

The previous revision is the one recorded when \`mlplat deploy\` started the endpoint's rollout
(<state-dir>/<stack>.rollout.json). Like every rollout step, the rollback is a terraform plan of
the saved stack with the traffic split as input (refused when it would change anything else),
then an apply of exactly that plan. Afterwards \`mlplat deploy\` keeps the previous revision
serving until the endpoint's image or settings change.`)
    .action(async (file: string, endpoint: string, raw: unknown) => {
      const { z } = await import("zod");
      const opts = rollbackOptions(z).parse(raw);
      const { defaultDeps } = await import("../../engine/default-deps.js");
      const { runRollback } = await import("../../engine/rollback.js");
      const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, humanWithJson: "stderr" });
      const report = await runRollback(file, endpoint, { env: opts.env, outDir: opts.out, stateDir: opts.stateDir, autoApprove: opts.autoApprove, refresh: opts.refresh }, deps);
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      else if (report.status === "declined") process.stdout.write("Rollback cancelled: nothing was applied.\n");
      else process.stdout.write(report.status === "no-changes" ? `${endpoint}: revision ${report.revision} already has all traffic.\n` : `${endpoint}: revision ${report.revision} has all traffic.\n`);
    });
}
