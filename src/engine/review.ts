import { sectionOf } from "../terraform/addresses.js";
import type { PlannedChanges } from "../terraform/plan-stream.js";
import type { ShownPlan } from "./disruption.js";
import { rootCompare } from "../util/collate.js";

/**
 * The review list of a plan (issue 15, item 4): every resource address the plan changes, with
 * its action and blueprint section (the construct-id prefix of its address,
 * src/terraform/addresses.ts), replacements and deletions first, each replacement with the
 * attributes forcing it (`replace_paths` of the saved plan's `terraform show -json`). It backs
 * the plan/deploy summary, `--json`'s `resources` and `plan --report FILE.md`.
 */
export type ReviewAction = "replace" | "destroy" | "add" | "change";

export interface ReviewedChange {
  readonly address: string;
  readonly type: string;
  readonly action: ReviewAction;
  /** Blueprint section (`storage`, `cluster`…; `other` when the address carries none). */
  readonly section: string;
  /** Blueprint item (bucket, pool, endpoint name), when the address has one. */
  readonly item?: string;
  /** Attributes forcing a replacement, dotted (`instance_types`, `access_config.0.bootstrap_…`); empty when unknown or not a replacement. */
  readonly replacePaths: readonly string[];
}

/** Blueprint order, for summaries; sections outside it follow, alphabetically. */
export const SECTION_ORDER = ["project", "state", "network", "kms", "storage", "registry", "cluster", "serving", "workspaces", "tracking", "observability", "budget"];

export function sectionRank(section: string): [number, string] {
  const i = SECTION_ORDER.indexOf(section);
  return [i < 0 ? SECTION_ORDER.length : i, section];
}

const ACTION_RANK: Record<ReviewAction, number> = { replace: 0, destroy: 1, add: 2, change: 3 };
export const ACTION_MARK: Record<ReviewAction, string> = { replace: "±", destroy: "-", add: "+", change: "~" };
const destructive = (a: ReviewAction) => a === "replace" || a === "destroy";

/** The managed resources a plan changes, in review order (see `orderReview`). */
export function reviewList(plan: PlannedChanges): ReviewedChange[] {
  const out: ReviewedChange[] = [];
  for (const rc of plan.resources) {
    if (rc.mode === "data") continue;
    const action = ({ create: "add", update: "change", delete: "destroy", replace: "replace" } as const)[rc.action as "create"];
    if (!action) continue;
    const { section, item } = sectionOf(rc.address);
    out.push({ address: rc.address, type: rc.type, action, section, ...(item ? { item } : {}), replacePaths: [] });
  }
  return orderReview(out);
}

/**
 * Sections holding a replacement or deletion first (in blueprint order), then the others (in
 * blueprint order); inside a section replacements, deletions, additions, changes, each by address.
 */
export function orderReview(list: readonly ReviewedChange[]): ReviewedChange[] {
  const hot = new Set(list.filter((c) => destructive(c.action)).map((c) => c.section));
  return [...list].sort((a, b) => {
    const [ra, na] = sectionRank(a.section);
    const [rb, nb] = sectionRank(b.section);
    return (
      Number(!hot.has(a.section)) - Number(!hot.has(b.section)) ||
      ra - rb ||
      rootCompare(na, nb) ||
      ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)
    );
  });
}

/** The list with each replacement's forcing attributes from the saved plan's `terraform show -json`. */
export function withReplacePaths(list: readonly ReviewedChange[], shown: ShownPlan | undefined): ReviewedChange[] {
  const byAddress = new Map((shown?.resource_changes ?? []).map((rc) => [rc.address, rc]));
  return list.map((c) => {
    const paths = c.action === "replace" ? (byAddress.get(c.address)?.change.replace_paths ?? []) : [];
    return paths.length > 0 ? { ...c, replacePaths: paths.map((p) => p.join(".")) } : c;
  });
}

/** One change as a line: `± aws_eks_node_group.cluster_llm  replace, forced by instance_types`. */
export function describeChange(c: ReviewedChange): string {
  const forced = c.replacePaths.length > 0 ? `, forced by ${c.replacePaths.join(", ")}` : "";
  const word = destructive(c.action) ? `  ${c.action}${forced}` : "";
  return `${ACTION_MARK[c.action]} ${c.address}${word}`;
}

/** The list grouped by section, in its order: `[section, changes]` pairs. */
export function bySection(list: readonly ReviewedChange[]): [string, ReviewedChange[]][] {
  const groups = new Map<string, ReviewedChange[]>();
  for (const c of list) (groups.get(c.section) ?? groups.set(c.section, []).get(c.section)!).push(c);
  return [...groups];
}
