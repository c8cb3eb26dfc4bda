import { Command } from "commander";
import { isError } from "../../blueprint/diagnostics.js";
import { EXIT } from "../../util/errors.js";
import { countLine, diagnosticJson, renderDiagnostics } from "../diagnostics-output.js";
import { note, printJson, style } from "../output.js";

export function register(program: Command): void {
  program
    .command("validate")
    .summary("check a blueprint and report every problem at once")
    .description(
      "Parse, interpolate, merge the environment overlay, and check the blueprint against the schema, the\n" +
        "catalog (GPUs, regions, Kubernetes versions) and every cloud rule. Nothing is written.\n" +
        "Errors exit 1; warnings never fail unless --strict.",
    )
    .argument("<file>", "blueprint YAML file")
    .option("-e, --env <name>", "environment overlay to apply (default: the base, env `default`)")
    .option("--strict", "treat warnings as errors", false)
    .option("--json", "print a JSON report to stdout", false)
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat validate platform.yaml
  $ mlplat validate platform.yaml --env prod --strict
  $ mlplat validate platform.yaml --json | jq '.diagnostics[] | select(.severity=="error")'`,
    )
    .action(async (file: string, o: { env?: string; strict: boolean; json: boolean }) => {
      const { loadBlueprint } = await import("../../blueprint/load.js");
      const r = loadBlueprint(file, { env: o.env, strict: o.strict });
      const failed = r.diagnostics.some(isError);
      if (o.json) {
        printJson({
          file,
          env: r.env,
          valid: !failed,
          errors: r.diagnostics.filter(isError).length,
          warnings: r.diagnostics.filter((d) => !isError(d)).length,
          diagnostics: r.diagnostics.map(diagnosticJson),
          environments: r.environments,
          ...(r.model ? { platform: { name: r.model.name, stack: r.model.stackName, cloud: r.model.cloud, region: r.model.region } } : {}),
        });
      } else {
        if (r.diagnostics.length) note(renderDiagnostics(r.diagnostics) + "\n");
        note(
          failed
            ? `${style.red("✗")} ${file}${r.env !== "default" ? ` (env ${r.env})` : ""}: ${countLine(r.diagnostics)}`
            : `${style.green("✓")} ${file}${r.env !== "default" ? ` (env ${r.env})` : ""} is valid: ${r.model!.stackName} on ${r.model!.cloud} ${r.model!.region}` +
                (r.diagnostics.length ? ` (${countLine(r.diagnostics)})` : ""),
        );
      }
      if (failed) process.exitCode = EXIT.user;
    });
}
