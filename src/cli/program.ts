import { Command } from "commander";
import { packageVersion } from "../util/package-root.js";
import { registerCommands } from "./commands/index.js";
import { fitHelp } from "./help-width.js";

/**
 * The mlplat CLI. Only commander and the command modules load here; each command imports its
 * heavy layers (cdktf, providers, terraform runner) inside its action, so `--help`,
 * `validate`, `schema`, `catalog` and `cost` start fast.
 */
export function buildProgram(): Command {
  const program = new Command("mlplat")
    .description("Declarative ML platforms on AWS, GCP and Azure: one YAML blueprint → validated → Terraform (cdktf) → deployed.")
    .version(packageVersion(), "-V, --version", "print the mlplat version")
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false })
    // Every command's help (subcommands inherit it): examples and notes fitted to the terminal.
    .configureOutput({ writeOut: (text) => void process.stdout.write(fitHelp(text)) })
    .exitOverride();
  program.addHelpText(
    "after",
    `
Examples:
  $ mlplat init my-platform --template llm-serving      write a starter blueprint
  $ mlplat validate platform.yaml --env prod            check a blueprint, every problem at once
  $ mlplat synth platform.yaml                          write cdktf.out/stacks/<name>-default/cdk.tf.json
  $ mlplat cost platform.yaml --env prod                monthly estimate against the budget
  $ mlplat plan platform.yaml --env prod                terraform plan with a data-loss summary
  $ mlplat deploy platform.yaml --env prod              plan, confirm, apply the saved plan

Exit codes: 0 ok (deploy: also status "partial") · 1 user or config error (or a refused deploy)
            2 plan has changes (--detailed-exitcode) · 3 terraform, kubectl or a cloud CLI failed
            70 internal error (please report)
Docs: README.md · blueprint contract: blueprints/blueprint.schema.json`,
  );
  registerCommands(program);
  return program;
}

