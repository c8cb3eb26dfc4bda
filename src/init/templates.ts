import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { closest } from "../blueprint/did-you-mean.js";
import { MlplatError } from "../util/errors.js";
import { packageRoot } from "../util/package-root.js";

/** The template `mlplat init` uses when none is named and there is no terminal to ask on. */
export const DEFAULT_TEMPLATE = "llm-serving";

export interface Template {
  /** File name without `.yaml`: what `--template` takes. */
  readonly name: string;
  readonly file: string;
  /** The header's opening phrase (see `describe`). */
  readonly description: string;
}

/** The reference blueprints shipped in the package's `blueprints/` folder. */
export function templatesDir(): string {
  return join(packageRoot(), "blueprints");
}

/** Every reference blueprint, the default first, then by name: the order the prompt numbers them. */
export function listTemplates(dir = templatesDir()): Template[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => {
      const file = join(dir, f);
      return { name: basename(f, ".yaml"), file, description: describe(readFileSync(file, "utf8")) };
    })
    .sort((a, b) => (a.name === DEFAULT_TEMPLATE ? -1 : b.name === DEFAULT_TEMPLATE ? 1 : a.name.localeCompare(b.name)));
}

/**
 * A template's one-line title: its header's opening phrase, up to the first colon or full stop
 * ("LLM serving on GPUs", "Batch training on spot GPUs"). Header lines wrap, so the first
 * line alone would stop mid-sentence.
 */
export function describe(text: string): string {
  const words: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    if (line.includes("yaml-language-server:")) continue;
    const s = line.replace(/^#\s?/, "").trim();
    if (!s) {
      if (words.length) break;
      continue;
    }
    words.push(s);
  }
  const para = words.join(" ");
  const stop = para.search(/[:.](\s|$)/);
  const title = stop > 0 ? para.slice(0, stop) : para;
  return title.length > 90 ? `${title.slice(0, 89)}…` : title;
}

export function findTemplate(name: string, templates: readonly Template[] = listTemplates()): Template {
  const hit = templates.find((t) => t.name === name.replace(/\.ya?ml$/, ""));
  if (hit) return hit;
  const names = templates.map((t) => t.name);
  const guess = closest(name, names);
  throw new MlplatError("MLP_INIT_TEMPLATE_UNKNOWN", `there is no template \`${name}\`.`, {
    details: `templates: ${names.join(", ")}`,
    hint: guess ? `did you mean --template ${guess}?` : "`mlplat init --list` shows each template with what it builds.",
  });
}
