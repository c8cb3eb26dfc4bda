import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { DEFAULT_TEMPLATE, type Template } from "./templates.js";

/** Numbered list of templates, the default marked; also what `mlplat init --list` prints. */
export function formatTemplates(templates: readonly Template[]): string {
  const width = Math.max(...templates.map((t) => t.name.length));
  return templates
    .map((t, i) => `${String(i + 1).padStart(2)}. ${t.name.padEnd(width)}  ${t.description}${t.name === DEFAULT_TEMPLATE ? " (default)" : ""}`)
    .join("\n");
}

/**
 * Asks which template to start from: a number, a name, or Enter for the default. Streams are
 * parameters so the prompt is testable without a terminal. Re-asks on an answer it can't use.
 */
export async function chooseTemplate(templates: readonly Template[], io: { input: Readable; output: Writable }): Promise<Template> {
  const fallback = templates.find((t) => t.name === DEFAULT_TEMPLATE) ?? templates[0]!;
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  try {
    io.output.write(`Templates (reference blueprints):\n${formatTemplates(templates)}\n`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await rl.question(`Template [1-${templates.length}, Enter for ${fallback.name}]: `)).trim();
      if (answer === "") return fallback;
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= templates.length) return templates[n - 1]!;
      const byName = templates.find((t) => t.name === answer);
      if (byName) return byName;
      io.output.write(`\`${answer}\` is neither a number from 1 to ${templates.length} nor a template name.\n`);
    }
    return fallback;
  } finally {
    rl.close();
  }
}
