import type { Command } from "commander";
import { addCommonOptions, commonCliOptions, type ZodApi } from "../../engine/cli-options.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const outputOptions = (z: ZodApi) => commonCliOptions(z);

export function register(program: Command): void {
  addCommonOptions(
    program
      .command("output")
      .description("the deployed stacks' outputs: endpoints, registry URLs, cluster name, bucket names, kubeconfig command")
      .argument("<file>", "blueprint YAML file"),
    { verbose: "stream terraform's messages to stderr (output plans and changes nothing)" },
  )
    .addHelpText("after", `
Examples:
  $ mlplat output platform.yaml --env prod
  $ mlplat output platform.yaml --env prod --json | jq -r '.stacks[0].outputs'`)
    .action(async (file: string, raw: unknown) => {
    const { z } = await import("zod");
    const opts = outputOptions(z).parse(raw);
    const { defaultDeps } = await import("../../engine/default-deps.js");
    const { runOutput } = await import("../../engine/output.js");
    const deps = await defaultDeps({ json: opts.json, verbose: opts.verbose, humanWithJson: "none" });
    const report = await runOutput(file, { env: opts.env, outDir: opts.out, stateDir: opts.stateDir }, deps);
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  });
}
