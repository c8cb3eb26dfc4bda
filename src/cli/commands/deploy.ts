import type { Command } from "commander";
import { addCommonOptions, addExtensionOption, blueprintCause, commonCliOptions, loadExtension, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const deployOptions = (z: ZodApi) =>
  commonCliOptions(z).extend({
    autoApprove: z.boolean().default(false),
    allowDataLoss: z.boolean().default(false),
    allowDisruption: z.boolean().default(false),
    refresh: z.boolean().default(true),
    offline: z.boolean().default(false),
    skipKubernetes: z.boolean().default(false),
    rolloutTimeout: z.coerce.number().int().positive().optional(),
    ignoreQuota: z.boolean().default(false),
    extension: z.string().min(1).optional(),
  });

export function register(program: Command): void {
  addExtensionOption(addCommonOptions(
    program
      .command("deploy")
      .description("plan, check the data-loss guard, confirm, then apply exactly the saved plan")
      .argument("<file>", "blueprint YAML file"),
  ))
    .option("--auto-approve", "apply without asking (required without a terminal, e.g. in CI)")
    .option("--allow-data-loss", "allow a plan that destroys or replaces buckets, keys, registries or model registries")
    .option("--allow-disruption", "allow a plan that destroys or replaces a cluster, a node pool with nodes, an endpoint or the network, or deletes a removed Kubernetes endpoint's objects")
    .option("--no-refresh", "plan without refreshing state from the cloud (-refresh=false)")
    .option("--offline", "stop after plan, summary and guards: exit 0 when it would apply, 1 when a guard refused")
    .option("--skip-kubernetes", "apply Terraform only and leave the stack's k8s/ folder to GitOps (no kubectl)")
    .option("--rollout-timeout <seconds>", "how long to wait for the Kubernetes add-ons to roll out (default 300)")
    .option("--ignore-quota", "deploy even when a cloud quota is below what the platform needs at its minimum size")
    .addHelpText("after", `
Examples:
  $ mlplat deploy platform.yaml --env prod                     review the summary, type "yes"
  $ mlplat deploy platform.yaml --env prod --auto-approve      CI, after a reviewed plan
  $ mlplat deploy platform.yaml --offline                      checks only: exit 0 would apply, 1 refused

Deploy refuses (exit 1) a plan that destroys or replaces a bucket, key, registry or model
registry, naming each, unless --allow-data-loss; and one that destroys or replaces a cluster, a
node pool with nodes, a managed endpoint or the network, naming each and the attribute
forcing it, unless --allow-disruption. It applies exactly the plan it showed: the saved plan's
sha256 is checked right before apply (exit 1, nothing applied, when it changed), and the output
folder is locked for the whole run (a second run exits 1: "in use by mlplat (pid N, deploy)").

With a cluster, deploy then applies k8s/platform/ and k8s/ (kubectl, server-side, through a
kubeconfig in the stack folder), waits for the add-ons and reports which endpoints are ready;
a private AWS/Azure cluster with no network.adminCidrs is refused before anything is applied
unless --skip-kubernetes. The objects of a runtime-kubernetes endpoint removed from the
blueprint (this stack's labels, namespace mlplat-serving) are listed before the question as
"k8s: delete …" lines and deleted after the apply; they need --allow-disruption too. An
endpoint whose image is not yet in the platform registry is deferred: deploy creates the rest,
prints the image and the docker push commands, ends with status "partial" (exit 0), and the
next deploy creates it.

Before planning, deploy reads the platform's cloud quotas with the cloud's CLI and refuses
(exit 1) when one is below what the platform needs at its minimum size, unless --ignore-quota
(\`mlplat quota\` lists them offline).

A Cloud Run or Container Apps endpoint with rollout.strategy canary or linear gets its new content
in steps: this plan carries the first (canaryPercent or stepPercent of the traffic on the new
revision), then deploy waits bakeMinutes and plans and applies each next step until 100%. Ctrl-C
or a failure keeps the last applied step: deploy again resumes, \`mlplat rollback\` returns the
traffic to the previous revision.`)
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      const opts = deployOptions(z).parse(raw);
      const { defaultDeps } = await import("../../engine/default-deps.js");
      const { runDeploy } = await import("../../engine/deploy.js");
      const extension = await loadExtension(opts.extension);
      const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, offline: opts.offline, humanWithJson: "stderr" });
      const report = await runDeploy(
        file,
        {
          env: opts.env,
          outDir: opts.out,
          stateDir: opts.stateDir,
          autoApprove: opts.autoApprove,
          allowDataLoss: opts.allowDataLoss,
          allowDisruption: opts.allowDisruption,
          refresh: opts.refresh,
          offline: opts.offline,
          skipKubernetes: opts.skipKubernetes,
          rolloutTimeoutSeconds: opts.rolloutTimeout,
          ignoreQuota: opts.ignoreQuota,
          extension,
        },
        deps,
      ).catch(blueprintCause(file, opts.env));
      if (opts.json) process.stdout.write(JSON.stringify({ status: report.status, stacks: report.stacks, kubernetes: report.kubernetes, prune: report.prune, deferred: report.deferred, rollouts: report.rollouts }, null, 2) + "\n");
      // "no" at the prompt is an answer, not an error: say so and exit 0.
      if (report.status === "declined") return void process.stderr.write(`${report.error?.message ?? "Cancelled: nothing was changed."}\n`);
      if (report.error) throw report.error;
    });
}
