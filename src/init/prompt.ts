import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { MlplatError } from "../util/errors.js";
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
 * parameters so the prompt is testable without a terminal. Re-asks on an answer it can't use;
 * gives up (exit 1) after three, or when the input closes, rather than guess.
 */
export async function chooseTemplate(templates: readonly Template[], io: { input: Readable; output: Writable }): Promise<Template> {
  const fallback = templates.find((t) => t.name === DEFAULT_TEMPLATE) ?? templates[0]!;
  const rl = createInterface({ input: io.input, terminal: false });
  // An iterator buffers lines that arrive before the next prompt (pasted or piped answers).
  const lines = rl[Symbol.asyncIterator]();
  try {
    io.output.write(`Templates (reference blueprints):\n${formatTemplates(templates)}\n`);
    for (let attempt = 0; attempt < 3; attempt++) {
      io.output.write(`Template [1-${templates.length}, Enter for ${fallback.name}]: `);
      const next = await lines.next();
      if (next.done) throw new MlplatError("MLP_INIT_CANCELLED", "no template chosen (input closed).", { hint: "pass --template NAME; `mlplat init --list` shows them." });
      const answer = String(next.value).trim();
      if (answer === "") return fallback;
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= templates.length) return templates[n - 1]!;
      const byName = templates.find((t) => t.name === answer);
      if (byName) return byName;
      io.output.write(`\`${answer}\` is neither a number from 1 to ${templates.length} nor a template name.\n`);
    }
    throw new MlplatError("MLP_INIT_CANCELLED", "no usable answer after three tries.", { hint: "pass --template NAME; `mlplat init --list` shows them." });
  } finally {
    rl.close();
  }
}
