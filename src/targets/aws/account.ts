import type { PlatformModel, SynthContext } from "../../model/platform.js";
import { MlplatError } from "../../util/errors.js";
import { hcpBackendOf } from "../hcp-backend.js";
import type { AwsPlatformProps } from "../../../stacks/aws/platform-stack.js";

/** Account-level pieces of the AWS target: the state backend, tags and the budget's limits. */

/** AWS Budgets limits, checked here so a blueprint never reaches apply with them broken. */
export function checkBudget(b: NonNullable<PlatformModel["budget"]>): void {
  const thresholds = new Set(b.alertAtPercent).size;
  if (thresholds > 5) {
    throw new MlplatError("MLP_AWS_BUDGET_LIMIT", `budget.alertAtPercent has ${thresholds} thresholds; AWS Budgets allows 5 notifications per budget.`, {
      hint: "keep at most 5 thresholds, for example [50, 80, 100].",
    });
  }
  if (b.emails.length === 0 || b.emails.length > 10) {
    throw new MlplatError("MLP_AWS_BUDGET_LIMIT", `budget.emails has ${b.emails.length} addresses; AWS Budgets needs 1 to 10 per notification.`, {
      hint: "list 1 to 10 addresses, or a distribution list.",
    });
  }
}

export function backendOf(model: PlatformModel, ctx: SynthContext): AwsPlatformProps["backend"] {
  // --offline never touches a remote backend.
  if (ctx.offline || model.state.backend === "local") return { kind: "local", path: ctx.localStatePath };
  if (model.state.backend === "s3") return { kind: "s3", bucket: model.state.bucket, key: model.state.key, region: model.state.region };
  if (model.state.backend === "hcp") return hcpBackendOf(model.state);
  throw new MlplatError("MLP_AWS_STATE_BACKEND", `spec.state.backend ${model.state.backend} is not available on AWS.`, {
    hint: "use `backend: s3` (with bucket and region), `backend: hcp` or `backend: local`.",
  });
}

/**
 * Tags fitted to AWS rules: keys up to 128 and values up to 256 characters of letters, digits,
 * spaces and `_ . : / = + - @`; keys may not start with `aws:`.
 */
export function awsTags(labels: Readonly<Record<string, string>>): Record<string, string> {
  const clean = (s: string, max: number) => s.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, "_").slice(0, max);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    let key = clean(k, 128);
    if (/^aws:/i.test(key)) key = `x-${key}`.slice(0, 128);
    out[key] = clean(v, 256);
  }
  return out;
}
