/**
 * `mlplat init [dir]`: write a starter blueprint (`<dir>/platform.yaml`) from a reference
 * blueprint, with `blueprint.schema.json` beside it for the editor. Asks which template on a
 * terminal; takes the default (llm-serving) without one, so scripts and CI never hang.
 */
import { Command, Option } from "commander";
import { relative } from "node:path";
import type { z } from "zod";
import type { ZodApi } from "../../engine/cli-options.js";
import { CLOUDS } from "../../model/platform.js";
import { note, say, style } from "../output.js";

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const initOptionsSchema = (z: ZodApi) =>
  z.object({
    template: z.string().min(1).optional(),
    cloud: z.enum(CLOUDS).optional(),
    name: z.string().optional(),
    force: z.boolean().default(false),
    list: z.boolean().default(false),
  });
export type InitCliOptions = z.infer<ReturnType<typeof initOptionsSchema>>;

export function register(program: Command): void {
  program
    .command("init")
    .summary("write a starter blueprint from a reference blueprint")
    .description(
      "Write <dir>/platform.yaml from one of the reference blueprints, and blueprint.schema.json beside it (the file's $schema modeline points there) unless one exists. Without --template, asks on a terminal and takes llm-serving otherwise. Never overwrites platform.yaml without --force.\n\n" +
        "--cloud C makes the starter target C: the template's environment for C (the overlay named C, or one that sets cloud: C) is baked into the base, comments kept, and the environments that port to other clouds are removed; dev/prod-style environments stay. With no overlay for C, cloud, region and account are set by hand and the result is checked: what still needs editing is shown.",
    )
    .argument("[dir]", "folder to write platform.yaml into (created when missing)", ".")
    .option("-t, --template <name>", "reference blueprint to start from (see --list)")
    .addOption(new Option("--cloud <cloud>", "target this cloud").choices([...CLOUDS]))
    .option("--name <name>", "metadata.name: 3-20 chars, prefix of every resource name (default: the template's)")
    .option("-f, --force", "overwrite an existing platform.yaml", false)
    .option("--list", "list the templates and exit", false)
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat init                                           ask which template (llm-serving without a terminal)
  $ mlplat init my-platform --template llm-serving        ./my-platform/platform.yaml
  $ mlplat init --template batch-training --cloud gcp     the template's gcp port, as the base
  $ mlplat init infra --template realtime-scoring --name fraud --force
  $ mlplat init --list                                    the templates and what each builds`,
    )
    .action(async (dir: string, raw: unknown) => {
      const { z } = await import("zod");
      await init(dir, initOptionsSchema(z).parse(raw));
    });
}

export async function init(dir: string, opts: InitCliOptions): Promise<void> {
  const [{ initPlatform, checkErrors }, { listTemplates, DEFAULT_TEMPLATE, findTemplate }, { formatTemplates, chooseTemplate }, { isError }] = await Promise.all([
    import("../../init/init.js"),
    import("../../init/templates.js"),
    import("../../init/prompt.js"),
    import("../../blueprint/diagnostics.js"),
  ]);
  const templates = listTemplates();
  if (opts.list) {
    say(formatTemplates(templates));
    return;
  }
  let template = opts.template ? findTemplate(opts.template, templates) : undefined;
  if (!template) {
    if (process.stdin.isTTY && process.stdout.isTTY) {
      template = await chooseTemplate(templates, { input: process.stdin, output: process.stdout });
    } else {
      template = findTemplate(DEFAULT_TEMPLATE, templates);
      note(style.dim(`no --template and no terminal to ask on: using ${template.name} (\`mlplat init --list\` shows the others).`));
    }
  }

  const r = initPlatform({ dir, template, cloud: opts.cloud, name: opts.name, force: opts.force });
  const show = (p: string) => relative(process.cwd(), p) || ".";
  const file = show(r.file);
  const target = r.platform ? `${r.platform.stackName} on ${r.platform.cloud} ${r.platform.region}` : r.cloud;
  say(`${style.green("✓")} wrote ${file} from the ${r.template.name} template (${target})`);
  if (r.schemaWritten) say(`  and ${show(r.schemaFile)}: editors read it through the file's $schema modeline (completion, hover docs)`);
  if (r.baked) say(`  baked in the template's \`${r.baked}\` environment`);
  if (r.retargeted) say(style.yellow(`  the template has no ${r.cloud} environment: cloud, region and account were set by hand`));
  const others = r.removed.filter((e) => e !== r.baked);
  if (others.length) say(`  removed the environments that port to other clouds: ${others.join(", ")}`);

  const errors = checkErrors(r);
  const problems = r.check.filter((c) => c.diagnostics.length);
  if (problems.length) {
    // The base's problems in full; an environment's usually repeat them, so only count those.
    const { renderDiagnostics, countLine } = await import("../diagnostics-output.js");
    const base = r.check[0]!;
    if (base.diagnostics.some(isError)) note(renderDiagnostics(base.diagnostics) + "\n");
    for (const c of problems) {
      const where = c.env === "default" ? file : `${file} --env ${c.env}`;
      note(`${c.diagnostics.some(isError) ? style.red("✗") : style.yellow("!")} ${where}: ${countLine(c.diagnostics)} (\`mlplat validate ${where}\`)`);
    }
  }

  say("");
  say("Next steps:");
  say(`  1. edit ${file}: metadata.owner, and the account placeholders (or export the variables their \${env:…} read)`);
  say(`  2. mlplat validate ${file}${errors ? "        fix what it reports first" : ""}`);
  say(`  3. mlplat cost ${file}            monthly estimate against spec.budget`);
  say(`  4. mlplat synth ${file}           Terraform in cdktf.out/ (no credentials needed)`);
  say(`  5. mlplat plan ${file}, then mlplat deploy ${file}`);
}
