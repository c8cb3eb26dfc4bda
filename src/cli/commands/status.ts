import type { Command } from "commander";
import { addCommonOptions, commonCliOptions, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const statusOptions = (z: ZodApi) => commonCliOptions(z);

export function register(program: Command): void {
  addCommonOptions(
    program
      .command("status")
      .description("read-only: per endpoint, what serves (revision or config), the traffic split, a rollout in progress, the alarms' states")
      .argument("<file>", "blueprint YAML file"),
  )
    .addHelpText("after", `
Sources: terraform outputs and state (read-only), the stepped-rollout record, the clouds' CLIs
(aws sagemaker/cloudwatch, gcloud run, az containerapp) and kubectl with the stack's kubeconfig.
A source that cannot be read (no CLI, no credentials) shows "unknown (reason)"; exit 0 once read.

Examples:
  $ mlplat status platform.yaml --env prod
  $ mlplat status platform.yaml --env prod --json | jq '.endpoints[] | {endpoint, traffic, rollout}'`)
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      const opts = statusOptions(z).parse(raw);
      const { defaultDeps } = await import("../../engine/default-deps.js");
      const { ProcessToolExec } = await import("../../kubectl/exec.js");
      const { CliStatusSources } = await import("../../engine/status-sources.js");
      const { runStatus } = await import("../../engine/status.js");
      const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, humanWithJson: "none" });
      const sources = new CliStatusSources(new ProcessToolExec({ verbose: opts.verbose }));
      const report = await runStatus(file, { env: opts.env, outDir: opts.out, stateDir: opts.stateDir }, { ...deps, sources });
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    });
}
