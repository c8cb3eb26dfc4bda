import { Command } from "commander";
import { isError } from "../../blueprint/diagnostics.js";
import type { LoadResult } from "../../blueprint/load.js";
import { EXIT, MlplatError } from "../../util/errors.js";
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
    .option("--all-envs", "validate the base and every environment the blueprint defines (CI)", false)
    .option("--strict", "treat warnings as errors", false)
    .option("--json", "print a JSON report to stdout", false)
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat validate platform.yaml
  $ mlplat validate platform.yaml --env prod --strict
  $ mlplat validate platform.yaml --all-envs            every environment, as a CI check
  $ mlplat validate platform.yaml --json | jq '.diagnostics[] | select(.severity=="error")'`,
    )
    .action(async (file: string, o: { env?: string; allEnvs: boolean; strict: boolean; json: boolean }) => {
      const { loadBlueprint } = await import("../../blueprint/load.js");
      if (o.allEnvs && o.env) throw new MlplatError("MLP_OPTIONS", "--all-envs and --env exclude each other.", { hint: "drop one of them." });
      const first = loadBlueprint(file, { env: o.env, strict: o.strict });
      // --all-envs: the base, then each environment; a file that does not parse is reported once.
      const results = o.allEnvs && first.environments.length ? [first, ...first.environments.filter((e) => e !== "default").map((env) => loadBlueprint(file, { env, strict: o.strict }))] : [first];
      const failed = results.some((r) => r.diagnostics.some(isError));
      if (o.json) {
        const one = (r: LoadResult) => ({
          env: r.env,
          valid: !r.diagnostics.some(isError),
          errors: r.diagnostics.filter(isError).length,
          warnings: r.diagnostics.filter((d) => !isError(d)).length,
          // Consequences of a listed error, left out (src/blueprint/consequences.ts).
          suppressed: r.suppressed ?? 0,
          diagnostics: r.diagnostics.map(diagnosticJson),
          ...(r.model ? { platform: { name: r.model.name, stack: r.model.stackName, cloud: r.model.cloud, region: r.model.region } } : {}),
        });
        printJson(
          o.allEnvs
            ? { file, valid: !failed, environments: first.environments, results: results.map(one) }
            : { file, ...one(first), environments: first.environments },
        );
      } else {
        for (const r of results) report(file, r);
      }
      if (failed) process.exitCode = EXIT.user;
    });
}

function report(file: string, r: LoadResult): void {
  const failed = r.diagnostics.some(isError);
  const where = `${file}${r.env !== "default" ? ` (env ${r.env})` : ""}`;
  if (r.diagnostics.length) note(renderDiagnostics(r.diagnostics) + "\n");
  note(
    failed
      ? `${style.red("✗")} ${where}: ${countLine(r.diagnostics)}${r.suppressed ? `; ${r.suppressed} more not listed as they follow from these` : ""}`
      : `${style.green("✓")} ${where} is valid: ${r.model!.stackName} on ${r.model!.cloud} ${r.model!.region}` + (r.diagnostics.length ? ` (${countLine(r.diagnostics)})` : ""),
  );
}
