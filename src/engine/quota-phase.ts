/**
 * The quota preflight of `plan` and `deploy` (src/quota/preflight.ts says how limits are read and
 * why through the clouds' CLIs). Runs after synth, before anything is applied: deploy refuses
 * (MLP_QUOTA_BELOW_MIN, exit 1) when a limit is below the need at min unless `--ignore-quota`;
 * plan only reports. `--offline` makes no cloud call and says so.
 */
import { loadCatalog } from "../catalog/index.js";
import { resolveCapacities } from "../model/capacity.js";
import type { PlatformModel } from "../model/platform.js";
import { loadQuotaTable } from "../quota/data.js";
import { quotaNeeds } from "../quota/needs.js";
import { checkQuotas, quotaRefusal, readLimits, type QuotaCheck } from "../quota/preflight.js";
import type { EngineDeps } from "./ports.js";

export interface QuotaPhaseOptions {
  readonly offline: boolean;
  /** deploy: refuse below the need at min unless `ignoreQuota`; plan: report only. */
  readonly refuse: boolean;
  readonly ignoreQuota?: boolean;
  /** Folder for the CLIs' working directory and log (the stack folder). */
  readonly stackDir: string;
}

export async function quotaPreflight(deps: EngineDeps, model: PlatformModel | undefined, opts: QuotaPhaseOptions): Promise<QuotaCheck[]> {
  if (!model) return [];
  const needs = quotaNeeds(model, resolveCapacities(model, loadCatalog()), loadQuotaTable()).items.filter((n) => n.requiredAtMax > 0);
  if (needs.length === 0) return [];
  if (opts.offline || !deps.cloudCli) {
    deps.ui.print(`Quota preflight skipped${opts.offline ? " (--offline)" : ""}: \`mlplat quota\` lists the ${needs.length} quota${needs.length === 1 ? "" : "s"} this platform needs.`);
    return [];
  }
  const limits = await deps.progress.step("quota", model.stackName, () =>
    readLimits(needs, deps.cloudCli!(opts.stackDir), { project: model.gcp?.project, subscription: model.azure?.subscriptionId }),
  );
  const checks = checkQuotas(needs, limits);
  const shown = checks.filter((c) => c.verdict !== "ok");
  if (shown.length > 0) deps.ui.print(["Quotas:", ...shown.map((c) => `  ${c.verdict === "below-min" ? "✗" : "!"} ${c.message}`)].join("\n"));
  const refusal = quotaRefusal(checks);
  if (refusal && opts.refuse) {
    if (!opts.ignoreQuota) throw refusal;
    deps.ui.print("--ignore-quota: deploying below the quota; the nodes or instances above will not come until it is raised.");
  }
  return checks;
}
