import type { Command } from "commander";
import { addCommonOptions, addExtensionOption, blueprintCause, commonCliOptions, loadExtension, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const planOptions = (z: ZodApi) =>
  commonCliOptions(z).extend({
    refresh: z.boolean().default(true),
    detailedExitcode: z.boolean().default(false),
    offline: z.boolean().default(false),
    report: z.string().min(1).optional(),
    extension: z.string().min(1).optional(),
  });

export function register(program: Command): void {
  addExtensionOption(addCommonOptions(
    program
      .command("plan")
      .description("synth, then terraform plan every stack to a saved plan; summary by blueprint section and a data-loss warning")
      .argument("<file>", "blueprint YAML file"),
  ))
    .option("--no-refresh", "plan without refreshing state from the cloud (-refresh=false)")
    .option("--detailed-exitcode", "exit 2 when the plan has changes (0: none)")
    .option("--offline", "no cloud API call: offline provider settings, local state, no refresh")
    .option("--report <file.md>", "also write the review as Markdown (every resource by section, replacements first), for a PR comment")
    .addHelpText("after", `
Examples:
  $ mlplat plan platform.yaml --env prod                       plan against the real state
  $ mlplat plan platform.yaml --offline                        no credentials or network needed
  $ mlplat plan platform.yaml --json --detailed-exitcode       CI: exit 2 when there are changes
  $ mlplat plan platform.yaml --env prod --report plan.md      CI: the review for a PR comment

The summary lists every resource the plan changes by blueprint section, sections with a
replacement or deletion first, each replacement with the attribute forcing it; --json carries
the same list as "resources". --report writes it as Markdown, atomically, outside the output
and state folders, and never through a link.

With a cluster in the state, plan also lists the Kubernetes objects of endpoints removed from the
blueprint that deploy would delete ("k8s: delete …", --json: "prune"); --offline does not read the
cluster and says so.

The plan is saved to <out>/stacks/<stack>/mlplat.tfplan; terraform's output is in terraform.log there.`)
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      const opts = planOptions(z).parse(raw);
      const { defaultDeps } = await import("../../engine/default-deps.js");
      const { runPlan } = await import("../../engine/plan.js");
      const { EXIT } = await import("../../util/errors.js");
      const review = opts.report ? await import("../../engine/report.js") : undefined;
      // Before any work: a report path mlplat would refuse to write is refused now, not after the plan.
      if (opts.report) review!.checkReportPath(opts.report, file, opts.out, opts.stateDir);
      const extension = await loadExtension(opts.extension);
      const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, offline: opts.offline, humanWithJson: "none" });
      const report = await runPlan(file, { env: opts.env, outDir: opts.out, stateDir: opts.stateDir, refresh: opts.refresh, offline: opts.offline, extension }, deps).catch(
        blueprintCause(file, opts.env),
      );
      if (opts.report) {
        const md = review!.renderReport(report.stacks, { blueprint: file, env: opts.env ?? "default", offline: opts.offline, ...(report.prune ? { prune: report.prune } : {}) });
        review!.writeReport(opts.report, md, file, opts.out, opts.stateDir);
      }
      if (opts.json) process.stdout.write(JSON.stringify({ stacks: report.stacks, ...(report.prune ? { prune: report.prune } : {}) }, null, 2) + "\n");
      // Not process.exit: the CLI's error handler is its only caller; this is a result, not an error.
      if (opts.detailedExitcode && report.changes) process.exitCode = EXIT.changes;
    });
}
