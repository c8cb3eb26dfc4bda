/**
 * The quota preflight of `plan` and `deploy` (online): read the current limits of every quota the
 * blueprint needs through the cloud's own CLI, then refuse a deploy that cannot get its capacity
 * at min (exit 1, unless --ignore-quota) and warn where autoscaling would stall below max.
 *
 * Why the clouds' CLIs and not a preflight Terraform stack of data sources: the CLIs read every
 * quota in one or two calls per region without a provider init (seconds, not a minute), they are
 * what the user already authenticated for the deploy, and they report usage beside the limit;
 * the providers have no data source for Azure usages or GCP region quotas at all. Each reader
 * runs with argument arrays through the `CommandRunner` port and is tested on recorded output.
 */
import type { QuotaNeed } from "./needs.js";
import { MlplatError } from "../util/errors.js";

/** Runs a program with arguments; resolves with stdout or rejects with stderr. */
export type CommandRunner = (program: string, args: readonly string[]) => Promise<string>;

export interface QuotaLimit {
  readonly limit: number;
  /** Current usage when the cloud reports it. */
  readonly usage?: number;
}

export interface QuotaCheck {
  readonly need: QuotaNeed;
  /** Undefined when the limit could not be read (the check is then a warning, not a refusal). */
  readonly current?: QuotaLimit;
  readonly verdict: "ok" | "below-min" | "below-max" | "in-use" | "unknown";
  readonly message: string;
}

export interface PreflightOptions {
  /** GCP project, Azure subscription: from the model. */
  readonly project?: string;
  readonly subscription?: string;
}

/** Reads the limits of `needs` (one cloud); a key is `region|code` (code lower-cased on Azure). */
export async function readLimits(needs: readonly QuotaNeed[], run: CommandRunner, opts: PreflightOptions = {}): Promise<Map<string, QuotaLimit>> {
  const out = new Map<string, QuotaLimit>();
  const regions = [...new Set(needs.map((n) => n.region))];
  const cloud = needs[0]?.cloud;
  if (cloud === "aws") {
    for (const n of needs) {
      try {
        if (n.service === "sagemaker") {
          const list = JSON.parse(await run("aws", ["service-quotas", "list-service-quotas", "--service-code", "sagemaker", "--region", n.region, "--output", "json"])) as { Quotas?: { QuotaName: string; Value: number }[] };
          const q = list.Quotas?.find((x) => x.QuotaName === n.quota.name);
          if (q) out.set(key(n), { limit: q.Value });
        } else {
          const got = JSON.parse(await run("aws", ["service-quotas", "get-service-quota", "--service-code", n.service, "--quota-code", n.quota.code, "--region", n.region, "--output", "json"])) as { Quota?: { Value: number } };
          if (got.Quota) out.set(key(n), { limit: got.Quota.Value });
        }
      } catch {
        // unreadable: reported as unknown by checkQuotas
      }
    }
  } else if (cloud === "gcp") {
    for (const region of regions) {
      const project = opts.project ? ["--project", opts.project] : [];
      const args = region === "global" ? ["compute", "project-info", "describe", ...project, "--format=json"] : ["compute", "regions", "describe", region, ...project, "--format=json"];
      try {
        const doc = JSON.parse(await run("gcloud", args)) as { quotas?: { metric: string; limit: number; usage: number }[] };
        for (const q of doc.quotas ?? []) out.set(`${region}|${q.metric}`, { limit: q.limit, usage: q.usage });
      } catch {
        // unreadable region
      }
    }
  } else if (cloud === "azure") {
    for (const region of regions) {
      const sub = opts.subscription ? ["--subscription", opts.subscription] : [];
      try {
        const rows = JSON.parse(await run("az", ["vm", "list-usage", "--location", region, ...sub, "--output", "json"])) as { name: { value: string }; limit: number; currentValue: number }[];
        for (const r of rows) out.set(`${region}|${r.name.value.toLowerCase()}`, { limit: Number(r.limit), usage: Number(r.currentValue) });
      } catch {
        // unreadable region
      }
    }
  }
  return out;
}

function key(n: QuotaNeed): string {
  return `${n.region}|${n.cloud === "azure" ? n.quota.code.toLowerCase() : n.quota.code}`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** Compares needs with limits. Refuses only where the limit itself is below the need at min. */
export function checkQuotas(needs: readonly QuotaNeed[], limits: ReadonlyMap<string, QuotaLimit>): QuotaCheck[] {
  return needs
    .filter((need) => need.requiredAtMax > 0)
    .map((need): QuotaCheck => {
      const current = limits.get(key(need));
      const id = `${need.quota.code} in ${need.region}`;
      if (!current) return { need, verdict: "unknown", message: `${id}: the limit could not be read; check it before relying on ${plural(need.requiredAtMin, need.unit)} at min (\`mlplat quota\` shows how).` };
      const { limit, usage } = current;
      if (limit < need.requiredAtMin)
        return { need, current, verdict: "below-min", message: `${id}: limit ${limit}, but ${need.from.join(", ")} need${need.from.length === 1 ? "s" : ""} ${plural(need.requiredAtMin, need.unit)} at min: the deploy cannot get its capacity. Request ${need.requiredAtPeak}: ${need.increase.console}` };
      if (limit < need.requiredAtPeak)
        return { need, current, verdict: "below-max", message: `${id}: limit ${limit} is below the ${plural(need.requiredAtPeak, need.unit)} needed at ${need.requiredAtPeak > need.requiredAtMax ? "the rollout peak" : "max"}: autoscaling will stall at the limit.` };
      if (usage !== undefined && limit - usage < need.requiredAtMin)
        return { need, current, verdict: "in-use", message: `${id}: ${usage} of ${limit} in use already; ${plural(need.requiredAtMin, need.unit)} are needed at min (other workloads may hold them).` };
      return { need, current, verdict: "ok", message: `${id}: limit ${limit} covers ${plural(need.requiredAtPeak, need.unit)}.` };
    });
}

/** The refusal deploy raises when any quota is below the need at min. */
export function quotaRefusal(checks: readonly QuotaCheck[]): MlplatError | undefined {
  const below = checks.filter((c) => c.verdict === "below-min");
  if (below.length === 0) return undefined;
  return new MlplatError("MLP_QUOTA_BELOW_MIN", `Deploy refused: ${below.length} quota${below.length === 1 ? " is" : "s are"} below what the platform needs at its minimum size. Nothing was applied.`, {
    details: below.map((c) => `  - ${c.message}`).join("\n"),
    hint: "request the increases above (`mlplat quota <file>` lists every quota), or run with --ignore-quota to deploy anyway (the nodes or instances will not come until the quota is raised).",
  });
}
