import { dirname, resolve } from "node:path";
import { loadCatalog } from "../catalog/index.js";
import type { Catalog } from "../catalog/types.js";
import { buildModel } from "../model/build.js";
import type { PlatformModel } from "../model/platform.js";
import { newAccountQuotaWarnings } from "../quota/warnings.js";
import { TARGETS } from "../targets/index.js";
import { MlplatError } from "../util/errors.js";
import { capDiagnostics, diag, isError, renderDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { suppressConsequences } from "./consequences.js";
import { closest } from "./did-you-mean.js";
import { interpolate, isOtherCloudPlaceholder } from "./interpolate.js";
import { mergeOverlay, Origins, recordOrigins } from "./overlay.js";
import { locate, parseBlueprintFile, type ParsedFile } from "./parse.js";
import { RULES } from "./rules/index.js";
import { BlueprintSchema, type Blueprint } from "./schema.js";
import { issuesToDiagnostics } from "./schema-issues.js";
import type { ReadResult } from "./read-file.js";
import { readInsideFolder } from "./referenced-file.js";
import { Interpolations } from "./secrets.js";

export const DEFAULT_ENV = "default";

export interface LoadOptions {
  /** `--env NAME`; `default` (the base, no overlay) when absent. */
  readonly env?: string;
  /** `--strict`: warnings become errors. */
  readonly strict?: boolean;
  /** `--state-dir`. */
  readonly stateDir?: string;
  /** Injected in tests; the packaged catalog otherwise. */
  readonly catalog?: Catalog;
  /** Environment for `${env:…}`; process.env otherwise. */
  readonly vars?: NodeJS.ProcessEnv;
  /** ISO date for support-window checks; today (or MLPLAT_TODAY) otherwise. */
  readonly today?: string;
}

export interface LoadResult {
  /** Diagnostics left out as consequences of one listed (src/blueprint/consequences.ts). */
  readonly suppressed?: number;
  readonly file: string;
  readonly env: string;
  /** Present when there is no error. */
  readonly model?: PlatformModel;
  /** Every problem, located and sorted; errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Environment names the blueprint defines. */
  readonly environments: readonly string[];
}

/**
 * parse → interpolate → overlay → schema → rules → model. Collects every problem instead of
 * stopping at the first, and never throws for a user's mistake. Problems that only follow from
 * another one listed are left out and counted (src/blueprint/consequences.ts).
 */
export function loadBlueprint(file: string, opts: LoadOptions = {}): LoadResult {
  const all = loadAll(file, opts);
  const { diagnostics, suppressed } = suppressConsequences(all.diagnostics);
  return suppressed ? { ...all, diagnostics, suppressed } : all;
}

function loadAll(file: string, opts: LoadOptions): LoadResult {
  const env = opts.env ?? DEFAULT_ENV;
  const { parsed, diagnostics: parseProblems } = parseBlueprintFile(file);
  if (!parsed) return { file, env, diagnostics: parseProblems, environments: [] };

  const problems: Diagnostic[] = [];
  const origins = new Origins();
  // What each `${env:…}` became, so that no diagnostic shows a resolved value (secrets).
  const secrets = new Interpolations();
  const doc = parsed.value;
  const envBlock = doc.environments;
  const environments = envBlock && typeof envBlock === "object" && !Array.isArray(envBlock) ? Object.keys(envBlock) : [];

  // Interpolate the base and the chosen overlay only: an unset variable in an environment that
  // is not being loaded is not this run's problem.
  const vars = opts.vars ?? process.env;
  const { environments: _all, ...baseRaw } = doc;
  const base = interpolate(baseRaw, [], vars, problems, secrets) as Record<string, unknown>;
  let merged: Record<string, unknown>;
  if (env === DEFAULT_ENV && !environments.includes(DEFAULT_ENV)) {
    recordOrigins(base, origins);
    merged = base;
  } else if (!environments.includes(env)) {
    const guess = closest(env, environments);
    problems.push(
      diag({
        code: "MLP_ENV_UNKNOWN",
        message: `the blueprint defines no environment \`${env}\`.`,
        path: environments.length ? ["environments"] : [],
        found: env,
        allowed: [DEFAULT_ENV, ...environments].join(", "),
        hint: guess ? `did you mean --env ${guess}?` : environments.length ? `use --env with one of ${environments.join(", ")}, or leave it out for the base.` : "this blueprint has no environments; leave --env out.",
      }),
    );
    return finish(parsed, origins, secrets, problems, env, environments, opts);
  } else {
    const overlayPath = ["environments", env];
    const overlay = interpolate((envBlock as Record<string, unknown>)[env], overlayPath, vars, problems, secrets);
    merged = mergeOverlay(base, [], overlayOf(overlay), overlayPath, [], origins, problems) as Record<string, unknown>;
  }
  // A placeholder in another cloud's settings is not used by this environment (interpolate.ts).
  for (let i = problems.length - 1; i >= 0; i--) if (isOtherCloudPlaceholder(problems[i]!, (merged.spec as { cloud?: unknown } | undefined)?.cloud)) problems.splice(i, 1);
  // The environments block is validated as written (its keys, its overlay shape).
  recordOrigins(envBlock, origins, ["environments"]);
  const candidate = envBlock === undefined ? merged : { ...merged, environments: envBlock };

  const result = BlueprintSchema.safeParse(candidate, { reportInput: true });
  if (!result.success) {
    append(problems, issuesToDiagnostics(result.error.issues, BlueprintSchema, candidate, secrets.redactValue));
    return finish(parsed, origins, secrets, problems, env, environments, opts);
  }
  if (problems.some(isError)) return finish(parsed, origins, secrets, problems, env, environments, opts);

  const bp: Blueprint = result.data;
  const catalog = opts.catalog ?? loadCatalog();
  const today = opts.today ?? process.env.MLPLAT_TODAY ?? new Date().toISOString().slice(0, 10);
  const blueprintDir = dirname(resolve(file));
  const readFile = referencedFiles(blueprintDir);
  const ctx = { bp, raw: merged, env, catalog, today, blueprintDir, readFile };
  for (const rule of RULES) append(problems, rule(ctx));
  if (problems.some(isError)) return finish(parsed, origins, secrets, problems, env, environments, opts);

  const readText = (path: string) => {
    const r = readFile(path);
    return r.ok ? r.bytes.toString("utf8") : "";
  };
  const built = buildModel(bp, { env, catalog, blueprintDir, stateDir: opts.stateDir, readText });
  append(problems, built.diagnostics);
  if (built.model) {
    append(problems, targetProblems(built.model));
    const names = { pools: (bp.spec.cluster?.nodePools ?? []).map((p) => p.name), endpoints: (bp.spec.serving?.endpoints ?? []).map((e) => e.name) };
    append(problems, newAccountQuotaWarnings(built.model, catalog, names));
  }
  return finish(parsed, origins, secrets, problems, env, environments, opts, built.model);
}

/**
 * The cloud target's own limits (names it reserves, Kubernetes versions it has pinned add-ons
 * for, …) surface as errors here, so `validate` fails where `synth` would. The resolver is pure
 * and loads no cdktf.
 */
function targetProblems(model: PlatformModel): Diagnostic[] {
  try {
    TARGETS[model.cloud].resolve(model, { offline: false, localStatePath: "state.tfstate" });
    return [];
  } catch (e) {
    if (!(e instanceof MlplatError)) throw e;
    return [diag({ code: e.code, message: e.message, path: e.path ?? ["spec", "cloud"], hint: e.hint })];
  }
}

/** Only `spec` and `metadata.labels` of an overlay merge; other keys are reported by the schema of `environments`. */
function overlayOf(overlay: unknown): Record<string, unknown> {
  if (!overlay || typeof overlay !== "object" || Array.isArray(overlay)) return {};
  const o = overlay as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (o.spec && typeof o.spec === "object") out.spec = o.spec;
  const labels = (o.metadata as Record<string, unknown> | undefined)?.labels;
  if (labels && typeof labels === "object") out.metadata = { labels };
  return out;
}

/** push(...items) overflows the stack for very many items (a file of 200,000 unknown keys). */
function append(to: Diagnostic[], items: readonly Diagnostic[]): void {
  for (const d of items) to.push(d);
}

/**
 * Warnings `--strict` leaves as warnings: facts about a new account rather than about the
 * blueprint (a quota new accounts have at 0). Once the quota is raised the blueprint is right
 * as written, and the deploy preflight checks the real limit; a CI job on `validate --strict`
 * must not fail on them forever. Likewise a placeholder default taken because a variable is
 * unset (src/blueprint/interpolate.ts): the blueprint is right once the job sets it, and a
 * validate job without credentials need not.
 */
const NOT_STRICT = new Set(["MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS", "MLP_PLACEHOLDER_DEFAULT"]);

/** Diagnostics reported at a mapping key rather than at its value. */
const AT_KEY = new Set(["MLP_UNKNOWN_KEY", "MLP_K8S_LABEL_KEY"]);

function finish(
  parsed: ParsedFile,
  origins: Origins,
  secrets: Interpolations,
  problems: Diagnostic[],
  env: string,
  environments: string[],
  opts: LoadOptions,
  model?: PlatformModel,
): LoadResult {
  const { kept, summary } = capDiagnostics(problems);
  const located = kept.map((d) => {
    // Already located in another file (a pipeline definition): kept as it is.
    if (d.file) return { ...secrets.redactDiagnostic(d), severity: opts.strict && d.severity === "warning" && !NOT_STRICT.has(d.code) ? "error" : d.severity };
    const source = origins.sourceOf(d.path);
    const at = locate(parsed, source, { key: AT_KEY.has(d.code) });
    const severity = opts.strict && d.severity === "warning" && !NOT_STRICT.has(d.code) ? "error" : d.severity;
    return { ...secrets.redactDiagnostic(d), severity, file: parsed.file, line: at?.line, col: at?.col, source: at?.source };
  });
  // The blueprint's problems first, top to bottom; then those located in files it names (pipeline
  // definitions), file by file.
  const others = [...new Set(located.filter((d) => d.file !== parsed.file).map((d) => d.file))];
  const diagnostics = [parsed.file, ...others].flatMap((f) => sortDiagnostics(located.filter((d) => d.file === f)));
  if (summary) diagnostics.push({ ...summary, file: parsed.file });
  return { file: parsed.file, env, diagnostics, environments, model: diagnostics.some(isError) ? undefined : model };
}

/** For commands that need a model: throws one MlplatError listing every error. */
export function loadBlueprintOrThrow(file: string, opts: LoadOptions = {}): { model: PlatformModel; warnings: readonly Diagnostic[]; result: LoadResult } {
  const result = loadBlueprint(file, opts);
  const errors = result.diagnostics.filter(isError);
  if (!result.model || errors.length > 0) {
    throw new MlplatError("MLP_BLUEPRINT_INVALID", `${file} has ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was written.`, {
      details: result.diagnostics.map((d) => renderDiagnostic(d)).join("\n\n"),
      hint: "fix the errors above, then run the command again (`mlplat validate` checks without writing).",
    });
  }
  return { model: result.model, warnings: result.diagnostics, result };
}

/**
 * Files the blueprint names (pipeline definitions): inside the blueprint's folder and not a link
 * (./referenced-file.ts, checked before any read), a regular file within the size limit, read
 * once per load, so the rules check the same bytes the model carries.
 */
function referencedFiles(blueprintDir: string): (path: string) => ReadResult {
  const cache = new Map<string, ReadResult>();
  return (path) => {
    let r = cache.get(path);
    if (!r) cache.set(path, (r = readInsideFolder(blueprintDir, path)));
    return r;
  };
}
