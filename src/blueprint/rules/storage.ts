import { diag, type Diagnostic } from "../diagnostics.js";
import type { Rule } from "./rule.js";

/** Lifecycle order (cool < archive < expire) and the minimums each cloud imposes (S3: 30 days). */
export const lifecycle: Rule = ({ bp }) => {
  const out: Diagnostic[] = [];
  bp.spec.storage.buckets.forEach((b, i) => {
    const path = ["spec", "storage", "buckets", i];
    const cool = b.tiering?.coolAfterDays;
    const archive = b.tiering?.archiveAfterDays;
    if (cool !== undefined && archive !== undefined && cool >= archive) {
      out.push(diag({ code: "MLP_TIERING_ORDER", message: `coolAfterDays (${cool}) must be less than archiveAfterDays (${archive}).`, path: [...path, "tiering", "archiveAfterDays"], found: `cool ${cool}, archive ${archive}`, allowed: "coolAfterDays < archiveAfterDays", hint: `set archiveAfterDays above ${cool}.` }));
    }
    const last = archive ?? cool;
    if (b.expireAfterDays !== undefined && last !== undefined && b.expireAfterDays <= last) {
      out.push(diag({ code: "MLP_EXPIRE_BEFORE_TIERING", message: `expireAfterDays (${b.expireAfterDays}) must be greater than ${archive !== undefined ? "archiveAfterDays" : "coolAfterDays"} (${last}).`, path: [...path, "expireAfterDays"], found: String(b.expireAfterDays), allowed: `> ${last}`, hint: `set expireAfterDays above ${last}, or drop the tiering it would cut short.` }));
    }
    if (bp.spec.cloud === "aws") {
      if (cool !== undefined && cool < 30) {
        out.push(diag({ code: "MLP_S3_LIFECYCLE_MINIMUM", message: `S3 moves objects to STANDARD_IA no sooner than 30 days after creation.`, path: [...path, "tiering", "coolAfterDays"], found: String(cool), allowed: ">= 30", hint: "set coolAfterDays to 30 or more." }));
      }
      if (cool !== undefined && archive !== undefined && archive > cool && archive - cool < 30) {
        out.push(diag({ code: "MLP_S3_LIFECYCLE_MINIMUM", message: `S3 keeps objects in STANDARD_IA at least 30 days before an archive transition (cool at ${cool}, archive at ${archive}).`, path: [...path, "tiering", "archiveAfterDays"], found: String(archive), allowed: `>= ${cool + 30}`, hint: `set archiveAfterDays to ${cool + 30} or more.` }));
      }
    }
  });
  return out;
};
