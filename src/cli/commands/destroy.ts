import type { Command } from "commander";
import { addCommonOptions, addExtensionOption, blueprintCause, commonCliOptions, loadExtension, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const destroyOptions = (z: ZodApi) =>
  commonCliOptions(z).extend({
    autoApprove: z.boolean().default(false),
    allowDataLoss: z.boolean().default(false),
    skipKubernetes: z.boolean().default(false),
    deleteWorkspaceApps: z.boolean().default(false),
    extension: z.string().min(1).optional(),
  });

export function register(program: Command): void {
  addExtensionOption(addCommonOptions(
    program
      .command("destroy")
      .description("destroy everything but protected resources (protect: true), which stay under management; lists what stayed")
      .argument("<file>", "blueprint YAML file"),
  ))
    .option("--auto-approve", "destroy without asking (required without a terminal)")
    .option("--allow-data-loss", "lift protection for this run: protected buckets and keys are destroyed too")
    .option("--skip-kubernetes", "do not delete the objects of k8s/ first (GitOps owns them); they go with the cluster")
    .option("--delete-workspace-apps", "delete the SageMaker Studio apps and spaces users created, which block deleting the workspaces domain (aws)")
    .addHelpText("after", `
Examples:
  $ mlplat destroy platform.yaml --env dev                     everything but protected buckets and keys
  $ mlplat destroy platform.yaml --env dev --allow-data-loss   everything, protected resources included

Protected resources (protect: true) and what they depend on stay in place and in the state.
On GCP, a GKE cluster's deletion_protection is first turned off by a targeted apply (this run only).
On AWS with workspaces, apps and spaces created in SageMaker Studio block deleting the domain: destroy
lists them and stops unless --delete-workspace-apps (or "yes" at the prompt) lets it delete them.`)
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      const opts = destroyOptions(z).parse(raw);
      const { defaultDeps } = await import("../../engine/default-deps.js");
      const { runDestroy } = await import("../../engine/destroy.js");
      const extension = await loadExtension(opts.extension);
      const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, humanWithJson: "stderr" });
      const report = await runDestroy(
        file,
        { env: opts.env, outDir: opts.out, stateDir: opts.stateDir, autoApprove: opts.autoApprove, allowDataLoss: opts.allowDataLoss, skipKubernetes: opts.skipKubernetes, deleteWorkspaceApps: opts.deleteWorkspaceApps, extension },
        deps,
      ).catch(blueprintCause(file, opts.env));
      if (opts.json) process.stdout.write(JSON.stringify({ status: report.status, stacks: report.stacks }, null, 2) + "\n");
      // "no" at the prompt is an answer, not an error: say so and exit 0.
      if (report.status === "declined") return void process.stderr.write(`${report.error?.message ?? "Cancelled: nothing was changed."}\n`);
      if (report.error) throw report.error;
    });
}
