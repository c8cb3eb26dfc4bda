/**
 * `mlplat graph <file>`: a picture of the platform from the resolved model: network, cluster
 * and pools, buckets, registries, endpoints and the arrows between them. Mermaid (renders in
 * GitHub Markdown) and DOT as text; SVG rendered offline by Graphviz in WebAssembly. Never
 * loads cdktf.
 */
import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { dirname, extname } from "node:path";
import type { z } from "zod";
import type { ZodApi } from "../../engine/cli-options.js";
import { note, style } from "../output.js";

const FORMATS = ["mermaid", "dot", "svg"] as const;
const BY_EXTENSION: Readonly<Record<string, (typeof FORMATS)[number]>> = { ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid", ".dot": "dot", ".gv": "dot", ".svg": "svg" };

/** Built when the action runs, with zod imported then (src/engine/cli-options.ts says why). */
export const graphOptionsSchema = (z: ZodApi) =>
  z.object({
    env: z.string().min(1).optional(),
    format: z.enum(FORMATS).optional(),
    out: z.string().min(1).optional(),
  });
export type GraphOptions = z.infer<ReturnType<typeof graphOptionsSchema>>;

export function register(program: Command): void {
  program
    .command("graph")
    .summary("draw the platform (Mermaid, DOT or SVG)")
    .description(
      "Draw the platform a blueprint resolves to: network, cluster and node pools (GPU type×count, spot), buckets, registries and endpoints, with arrows from each endpoint to its image repository, its model bucket and the node pool or managed service it runs on. Output on stdout unless --out.",
    )
    .argument("<file>", "blueprint YAML file")
    .option("-e, --env <name>", "environment overlay to apply (default: the base, env `default`)")
    .addOption(new Option("-f, --format <format>", "output format (default: from --out's extension, else mermaid)").choices([...FORMATS]))
    .option("-o, --out <file>", "write to this file instead of stdout")
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat graph platform.yaml                            Mermaid (paste into a Markdown \`\`\`mermaid block)
  $ mlplat graph platform.yaml --env prod --out prod.svg  SVG, rendered offline
  $ mlplat graph platform.yaml --format dot | dot -Tpng > platform.png`,
    )
    .action(async (file: string, raw: unknown) => {
      const { z } = await import("zod");
      await graph(file, graphOptionsSchema(z).parse(raw));
    });
}

export async function graph(file: string, opts: GraphOptions): Promise<void> {
  const [{ loadBlueprintOrThrow }, { renderPlatformGraph }] = await Promise.all([import("../../blueprint/load.js"), import("../../graph/index.js")]);
  const format = opts.format ?? (opts.out ? BY_EXTENSION[extname(opts.out).toLowerCase()] : undefined) ?? "mermaid";
  const { model, warnings } = loadBlueprintOrThrow(file, { env: opts.env });
  if (warnings.length) note(style.yellow(`${warnings.length} warning(s) in the blueprint; \`mlplat validate ${file}\` shows them.`));
  const text = await renderPlatformGraph(model, format);
  if (opts.out) {
    mkdirSync(dirname(opts.out), { recursive: true });
    const { writeUserFile } = await import("../../util/user-file.js");
    writeUserFile(opts.out, text, "--out");
    note(`${style.green("✓")} ${model.stackName} → ${opts.out} (${format})`);
  } else {
    process.stdout.write(text);
  }
}
