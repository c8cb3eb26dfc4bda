import { Command } from "commander";
import { relative } from "node:path";
import { renderDiagnostics, diagnosticJson } from "../diagnostics-output.js";
import { addExtensionOption, loadExtension } from "../../engine/cli-options.js";
import { note, printJson, style } from "../output.js";

export function register(program: Command): void {
  const cmd = program
    .command("synth")
    .summary("write the Terraform (cdk.tf.json) for a blueprint")
    .description(
      "Validate the blueprint and synthesize its platform stack: <out>/mlplat.json (marks the folder\n" +
        "as mlplat's output), manifest.json and <out>/stacks/<name>-<env>/cdk.tf.json. The output folder\n" +
        "is replaced atomically: a failed or interrupted synth leaves the previous output untouched. Only\n" +
        "an empty folder or an earlier mlplat output is replaced, never one holding the blueprint, the\n" +
        "current folder or the state; <out>.lock keeps other runs out meanwhile. Local Terraform state\n" +
        "lives in .mlplat/state/ beside the blueprint, never inside the output.",
    )
    .argument("<file>", "blueprint YAML file")
    .option("-e, --env <name>", "environment overlay to apply (default: the base, env `default`)")
    .option("-o, --out <dir>", "output folder", "cdktf.out")
    .option("--state-dir <dir>", "local state folder (default: .mlplat/state beside the blueprint)")
    .option("--offline", "configure providers for checks without credentials or network; local state", false)
    .option("--strict", "treat warnings as errors", false)
    .option("--json", "print a JSON result to stdout", false);
  addExtensionOption(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat synth platform.yaml
  $ mlplat synth platform.yaml --env prod --out build/prod
  $ mlplat synth platform.yaml --offline && (cd cdktf.out/stacks/fraud-default && terraform init && terraform validate)`,
    )
    .action(async (file: string, o: { env?: string; out: string; stateDir?: string; offline: boolean; strict: boolean; json: boolean; extension?: string }) => {
      const extension = await loadExtension(o.extension);
      const { synthesizeBlueprint } = await import("../../synth/synthesize.js");
      const started = Date.now();
      const r = await synthesizeBlueprint(file, {
        env: o.env,
        outDir: o.out,
        stateDir: o.stateDir,
        offline: o.offline,
        strict: o.strict,
        extension,
        onProgress: o.json ? undefined : (step) => note(style.dim(`· ${step}`)),
      });
      if (o.json) {
        printJson({ outDir: r.outDir, stacks: r.stacks, cloud: r.model.cloud, env: r.model.env, offline: o.offline, warnings: r.warnings.map(diagnosticJson) });
        return;
      }
      if (r.warnings.length) note(renderDiagnostics(r.warnings) + "\n");
      for (const s of r.stacks) note(`${style.green("✓")} ${s.name} → ${relative(process.cwd(), s.dir) || "."}/cdk.tf.json (${Date.now() - started} ms)`);
    });
}
