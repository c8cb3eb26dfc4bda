import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isSameOrInside, realish, resolveOutputPaths } from "../output/paths.js";
import { isRunUrl } from "../terraform/remote-run.js";
import { MlplatError } from "../util/errors.js";
import type { Disruption } from "./disruption.js";
import type { PrunePreview } from "./kubernetes-prune.js";
import { ACTION_MARK, bySection, type ReviewedChange } from "./review.js";
import type { Counts, DataLoss } from "./summary.js";

/**
 * `mlplat plan --report FILE.md` (issue 15, item 4): the plan review as Markdown, for a pull
 * request comment or a CI job summary, from the same list as the terminal summary and `--json`.
 */
export interface ReportStack extends Counts {
  readonly name: string;
  readonly changes: boolean;
  readonly resources: readonly ReviewedChange[];
  readonly dataLoss: readonly DataLoss[];
  readonly disruptions: readonly Disruption[];
  /** The remote run's page (spec.state.backend: hcp). */
  readonly runUrl?: string;
}

export interface ReportContext {
  /** The blueprint as given on the command line. */
  readonly blueprint: string;
  /** The environment planned (`default` for the base). */
  readonly env: string;
  readonly offline: boolean;
  /** What deploy would delete from each stack's cluster (src/engine/kubernetes-prune.ts), or why the cluster was not read. */
  readonly prune?: readonly PrunePreview[];
}

/** Markdown cell text: pipes escaped, line breaks flattened, in code spans without breaking out of them. */
function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

/** The Kubernetes objects of removed endpoints deploy would delete, or that the cluster was not read. */
function pruneLines(p: PrunePreview | undefined): string[] {
  if (!p) return [];
  if (!p.read) return [`_Kubernetes: the cluster was not read (${code(p.reason ?? "no reason given")}); objects of removed endpoints are not listed._`, ""];
  if (p.deletions.length === 0) return [];
  return [
    "> [!WARNING]",
    "> Kubernetes objects of endpoints removed from the blueprint; `mlplat deploy` deletes them only with `--allow-disruption`:",
    ...p.deletions.map((d) => `> - delete ${code(`${d.kind} ${d.namespace}/${d.name}`)} (endpoint ${code(d.endpoint)})`),
    "",
  ];
}

export function renderReport(stacks: readonly ReportStack[], ctx: ReportContext): string {
  const out = [`## mlplat plan: ${code(basename(ctx.blueprint))}, environment ${code(ctx.env)}`, ""];
  if (ctx.offline) out.push("_Offline plan: local state, no refresh; it shows what a first deploy creates._", "");
  for (const s of stacks) {
    out.push(`### Stack ${code(s.name)}`, "");
    out.push(...pruneLines(ctx.prune?.find((p) => p.stack === s.name)));
    // A link only when it is a run page of the form terraform prints: the text comes from terraform's output.
    if (s.runUrl && isRunUrl(s.runUrl)) out.push(`Run on HCP Terraform: <${s.runUrl}>`, "");
    if (!s.changes) {
      out.push("No changes.", "");
      continue;
    }
    out.push(`**${s.add}** to add, **${s.change}** to change, **${s.replace}** to replace, **${s.destroy}** to destroy.`, "");
    if (s.dataLoss.length > 0) {
      out.push("> [!CAUTION]", "> Data-bearing resources would be destroyed or replaced; `mlplat deploy` refuses this plan without `--allow-data-loss`:");
      for (const d of s.dataLoss) out.push(`> - ${d.action === "delete" ? "destroy" : "replace"} ${code(d.address)} (${d.section} ${code(d.name)})`);
      out.push("");
    }
    if (s.disruptions.length > 0) {
      out.push("> [!WARNING]", "> Running parts of the platform would be destroyed or replaced; `mlplat deploy` refuses this plan without `--allow-disruption`:");
      for (const d of s.disruptions) {
        const forced = d.replacePaths.length > 0 ? `, forced by ${d.replacePaths.map(code).join(", ")}` : "";
        out.push(`> - ${d.action === "delete" ? "destroy" : "replace"} ${code(d.address)} (${d.kind} ${code(d.name)})${forced}`);
      }
      out.push("");
    }
    out.push("| section | action | resource | forced by |", "|---|---|---|---|");
    for (const [section, changes] of bySection(s.resources)) {
      for (const c of changes) {
        const action = c.action === "replace" || c.action === "destroy" ? `**${ACTION_MARK[c.action]} ${c.action}**` : `${ACTION_MARK[c.action]} ${c.action}`;
        out.push(`| ${section} | ${action} | ${code(c.address)} | ${c.replacePaths.map(code).join(", ")} |`);
      }
    }
    out.push("");
  }
  return out.join("\n");
}

/**
 * Refuses a report path before anything runs: inside the output or state folder (synth replaces
 * the output as a whole; the state is terraform's), an existing file that is not a regular file
 * (a link, a folder, a device, a FIFO), or a parent that is not a folder. MLP_REPORT_PATH, exit 1.
 */
export function checkReportPath(path: string, file: string, outDir: string | undefined, stateDir: string | undefined): void {
  const abs = resolve(path);
  const paths = resolveOutputPaths(file, outDir, stateDir);
  for (const [what, folder] of [["output folder", paths.outDir], ["state folder", paths.stateDir]] as const) {
    if (isSameOrInside(realish(abs), realish(folder))) {
      throw reportError(`--report ${path} is inside the ${what} ${folder}, which mlplat ${what === "output folder" ? "replaces as a whole on every synth" : "leaves to terraform"}.`, "write the report beside the blueprint, e.g. --report plan.md.");
    }
  }
  const st = lstatOrUndefined(abs);
  if (st && !st.isFile()) {
    const kind = st.isSymbolicLink() ? "a symbolic link" : st.isDirectory() ? "a folder" : "not a regular file";
    throw reportError(`--report ${path} is ${kind}; mlplat only replaces a regular file there.`, "name a new file, or a regular file to replace.");
  }
  const parent = statOrUndefined(dirname(abs));
  if (!parent?.isDirectory()) {
    throw reportError(`--report ${path}: the folder ${dirname(abs)} ${parent ? "is not a folder" : "does not exist"}.`, `create it first (mkdir -p ${dirname(abs)}), or choose an existing folder.`);
  }
}

/**
 * Writes the report atomically: a private temporary file beside it, flushed, then renamed over
 * the target, so a reader never sees half a report and a failed write leaves the old one.
 * The target is checked again right before the rename.
 */
export function writeReport(path: string, text: string, file: string, outDir: string | undefined, stateDir: string | undefined): void {
  checkReportPath(path, file, outDir, stateDir);
  const abs = resolve(path);
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, "wx", 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    checkReportPath(path, file, outDir, stateDir);
    renameSync(tmp, abs);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (err instanceof MlplatError) throw err;
    throw reportError(`--report ${path} could not be written: ${(err as Error).message}`, "check the path and its permissions.");
  }
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function reportError(message: string, hint: string): MlplatError {
  return new MlplatError("MLP_REPORT_PATH", message, { hint });
}
