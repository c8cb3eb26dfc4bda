import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isError, type Diagnostic } from "../blueprint/diagnostics.js";
import { loadBlueprint } from "../blueprint/load.js";
import type { Cloud } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import { copyDefinitions, definitionCopies, PIPELINES_FOLDER } from "./pipeline-files.js";
import { renderStarter, type Starter } from "./starter.js";
import { findTemplate, templatesDir, type Template } from "./templates.js";
import { copyNoFollow, existsNoFollow, refuseLinks, writeNoFollow } from "./write-no-follow.js";

export const STARTER_FILE = "platform.yaml";
export const SCHEMA_FILE = "blueprint.schema.json";

export interface InitOptions {
  /** Folder to write into; created when missing. @default the working directory */
  readonly dir?: string;
  readonly template: string | Template;
  readonly cloud?: Cloud;
  readonly name?: string;
  /** Overwrite an existing platform.yaml. @default false */
  readonly force?: boolean;
}

export interface InitResult extends Starter {
  readonly template: Template;
  readonly file: string;
  readonly schemaFile: string;
  /** False when a blueprint.schema.json was already there and left alone. */
  readonly schemaWritten: boolean;
  /** Problems of the written file, per environment it defines (`default` first). */
  readonly check: readonly { readonly env: string; readonly diagnostics: readonly Diagnostic[] }[];
  /** The written file's base, when it validates. */
  readonly platform?: { readonly stackName: string; readonly cloud: Cloud; readonly region: string };
}

/**
 * Writes `<dir>/platform.yaml` from a reference blueprint, and `blueprint.schema.json` beside it
 * so the file's `$schema` modeline (`./blueprint.schema.json`) resolves in editors. Never
 * overwrites a blueprint without `force`; never overwrites an existing schema file (it may be a
 * newer one the user generated). Checks the result the way `mlplat validate` would, for the
 * base and every environment left in it.
 */
export function initPlatform(opts: InitOptions): InitResult {
  const template = typeof opts.template === "string" ? findTemplate(opts.template) : opts.template;
  const dir = resolve(opts.dir ?? ".");
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new MlplatError("MLP_INIT_NOT_A_FOLDER", `${dir} is a file, not a folder; mlplat init writes <dir>/platform.yaml.`, {
      hint: "give a folder (it is created when missing), for example `mlplat init my-platform`.",
    });
  }
  const file = join(dir, STARTER_FILE);
  if (existsSync(file) && !opts.force) {
    throw new MlplatError("MLP_INIT_EXISTS", `${file} already exists; mlplat init does not overwrite it.`, {
      hint: "pass --force to replace it, or give another folder: `mlplat init other-dir`.",
    });
  }
  const starter = renderStarter(readFileSync(template.file, "utf8"), { template: template.name, cloud: opts.cloud, name: opts.name });

  mkdirSync(dir, { recursive: true });
  // Pipeline definitions the template names are copied beside the starter (./pipeline-files.ts).
  // No write goes through a link (./write-no-follow.ts): all targets are checked before the first.
  const copies = definitionCopies(starter.text, dirname(template.file));
  refuseLinks(dir, [STARTER_FILE, SCHEMA_FILE, ...(copies.length ? [PIPELINES_FOLDER] : []), ...copies.map((c) => c.to)]);
  const text = copyDefinitions(starter.text, copies, dir, opts.force ?? false);
  writeNoFollow(file, text);
  const schemaFile = join(dir, SCHEMA_FILE);
  const schemaWritten = !existsNoFollow(schemaFile);
  if (schemaWritten) copyNoFollow(join(templatesDir(), SCHEMA_FILE), schemaFile);

  const first = loadBlueprint(file);
  const check = [
    { env: first.env, diagnostics: first.diagnostics },
    ...first.environments.map((env) => ({ env, diagnostics: loadBlueprint(file, { env }).diagnostics })),
  ];
  const platform = first.model ? { stackName: first.model.stackName, cloud: first.model.cloud, region: first.model.region } : undefined;
  return { ...starter, text, template, file, schemaFile, schemaWritten, check, platform };
}

/** Errors of the written file, across its environments. */
export function checkErrors(r: InitResult): number {
  return r.check.reduce((n, c) => n + c.diagnostics.filter(isError).length, 0);
}

