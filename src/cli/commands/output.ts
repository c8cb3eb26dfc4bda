import type { Command } from "commander";
import { addCommonOptions, CommonCliOptions } from "../../engine/cli-options.js";

export const OutputOptions = CommonCliOptions;

export function register(program: Command): void {
  addCommonOptions(
    program
      .command("output")
      .description("the deployed stacks' outputs: endpoints, registry URLs, cluster name, bucket names, kubeconfig command")
      .argument("<file>", "blueprint YAML file"),
  )
    .addHelpText("after", `
Examples:
  $ mlplat output platform.yaml --env prod
  $ mlplat output platform.yaml --env prod --json | jq -r '.stacks[0].outputs'`)
    .action(async (file: string, raw: unknown) => {
    const opts = OutputOptions.parse(raw);
    const { defaultDeps } = await import("../../engine/default-deps.js");
    const { runOutput } = await import("../../engine/output.js");
    const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, humanWithJson: "none" });
    const report = await runOutput(file, { env: opts.env, outDir: opts.out, stateDir: opts.stateDir }, deps);
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  });
}
