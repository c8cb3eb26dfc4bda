import { type Diagnostic, isError } from "./diagnostics.js";

/**
 * One root cause, one error (issue 15, item 9). Some diagnostics only follow from another one
 * and disappear when it is fixed; listing them buries the cause. They are dropped here, and the
 * diagnostic they follow from says how many went with it (in its hint, so text and `--json`
 * both carry it). What counts as a consequence:
 *
 * - every YAML syntax error after the first: a tab or a wrong indent leaves the parser out of
 *   step for the lines that follow ("All mapping items must start at the same column");
 * - the same unknown name referenced again (a bucket, image repository or endpoint that does
 *   not exist, by any rule): reported once, at its first use, listing the other lines;
 * - a Kubernetes endpoint's "no node pool has L4 GPUs" when a pool asking for L4 failed to
 *   resolve (a region that does not offer it, a count it does not come in): the pool exists;
 * - the same unset variable's placeholder default (`MLP_PLACEHOLDER_DEFAULT`) at every field
 *   that uses it: one warning, at its first use, listing the other lines (one export fixes all).
 *
 * A schema error already stops the rules (src/blueprint/load.ts), so no rule reports on a
 * section the schema refused.
 */
export interface Suppressed {
  readonly diagnostics: Diagnostic[];
  /** How many diagnostics were dropped as consequences of one kept. */
  readonly suppressed: number;
}

/** Codes of rules that report a name referencing something the blueprint does not define. */
const UNKNOWN_REFERENCE = new Set([
  "MLP_MODEL_BUCKET_UNKNOWN",
  "MLP_PIPELINE_BUCKET_UNKNOWN",
  "MLP_MONITORING_BUCKET_UNKNOWN",
  "MLP_IMAGE_UNKNOWN_REPOSITORY",
  "MLP_PIPELINE_ENDPOINT_UNKNOWN",
]);

/** The kind of thing an unknown-reference code names: two codes about buckets share the name space. */
const referenceKind = (code: string) => (/BUCKET/.test(code) ? "bucket" : /REPOSITORY/.test(code) ? "repository" : "endpoint");

const POOL_COMPUTE = new Set(["MLP_GPU_NOT_IN_REGION", "MLP_GPU_COUNT", "MLP_INSTANCE_NOT_IN_REGION"]);

export function suppressConsequences(ds: readonly Diagnostic[]): Suppressed {
  const dropped = new Set<Diagnostic>();
  const extra = new Map<Diagnostic, { count: number; lines: number[]; sameName: boolean }>();
  const follow = (root: Diagnostic, d: Diagnostic, sameName = false) => {
    dropped.add(d);
    const e = extra.get(root) ?? { count: 0, lines: [], sameName };
    e.count += 1;
    if (d.line !== undefined && d.line !== root.line && !e.lines.includes(d.line)) e.lines.push(d.line);
    extra.set(root, e);
  };

  // YAML: the first syntax error is the cause of the ones after it.
  const syntax = ds.filter((d) => d.code === "MLP_YAML_SYNTAX" && isError(d));
  for (const d of syntax.slice(1)) follow(syntax[0]!, d);

  // The same unknown name: its first use.
  const firstUse = new Map<string, Diagnostic>();
  for (const d of ds) {
    if (!UNKNOWN_REFERENCE.has(d.code) || d.found === undefined) continue;
    const key = `${referenceKind(d.code)}\0${d.found}`;
    const root = firstUse.get(key);
    if (root) follow(root, d, true);
    else firstUse.set(key, d);
  }

  // The same unset variable with a placeholder default: its first use.
  const firstPlaceholder = new Map<string, Diagnostic>();
  for (const d of ds) {
    const name = d.code === "MLP_PLACEHOLDER_DEFAULT" ? /^(\S+) is not set/.exec(d.message)?.[1] : undefined;
    if (!name) continue;
    const root = firstPlaceholder.get(name);
    if (root) follow(root, d, true);
    else firstPlaceholder.set(name, d);
  }

  // An endpoint without a pool for a GPU a declared pool asked for and failed to resolve.
  const failedPools = ds.filter((d) => POOL_COMPUTE.has(d.code) && isError(d) && d.path[0] === "spec" && d.path[1] === "cluster" && d.path[2] === "nodePools");
  for (const d of ds) {
    if (d.code !== "MLP_K8S_ENDPOINT_NO_POOL" || !d.found) continue;
    const type = d.found.split("×")[0]!;
    const root = failedPools.find((p) => new RegExp(`(^|[^A-Za-z0-9-])${type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9-]|$)`).test(`${p.found ?? ""} ${p.message}`));
    if (root) follow(root, d);
  }

  if (dropped.size === 0) return { diagnostics: [...ds], suppressed: 0 };
  const diagnostics = ds
    .filter((d) => !dropped.has(d))
    .map((d) => {
      const e = extra.get(d);
      if (!e) return d;
      const lines = e.lines.sort((a, b) => a - b).join(", ");
      const where = e.lines.length ? ` (line${e.lines.length === 1 ? "" : "s"} ${lines})` : "";
      const note = e.sameName
        ? `The same name is used ${e.count} more time${e.count === 1 ? "" : "s"}${e.lines.length ? ` (line${e.lines.length === 1 ? "" : "s"} ${lines})` : ""}, not listed again.`
        : `${e.count} more error${e.count === 1 ? "" : "s"}${where} follow${e.count === 1 ? "s" : ""} from this one and ${e.count === 1 ? "is" : "are"} not listed; fix this first.`;
      return { ...d, hint: d.hint ? `${d.hint} ${note}` : note };
    });
  return { diagnostics, suppressed: dropped.size };
}
