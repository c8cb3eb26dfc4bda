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
  /** The first line of the header comment after the `$schema` modeline. */
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

/** The first sentence-bearing header line: skips the modeline, strips `# `. */
export function describe(text: string): string {
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    if (line.includes("yaml-language-server:")) continue;
    const s = line.replace(/^#\s?/, "").trim();
    if (s) return s;
  }
  return "";
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
