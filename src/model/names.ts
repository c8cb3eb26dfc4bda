import { createHash } from "node:crypto";
import type { PlatformModel } from "./platform.js";

/**
 * Name derivation. Every cloud resource name is `<metadata.name>-<env>-<item>` fitted to the
 * rules of that cloud's resource type; names that must be globally unique get a suffix that is
 * a stable hash of cloud, account scope, platform, environment and item, so the same blueprint
 * always yields the same names and two accounts never collide.
 *
 * Derived names are API: a change here renames (replaces) live resources. Never change the
 * hash inputs or the fitting algorithm without a migration.
 */
export interface NameRules {
  /** Longest name the cloud accepts for this resource type. */
  readonly maxLength: number;
  /** Shortest name the cloud accepts (padded with the hash when shorter). @default 1 */
  readonly minLength?: number;
  /** Separator between parts: `-` for most, `` for alphanumeric-only names (Azure storage). */
  readonly separator: "-" | "" | "_";
  /** Lowercase the result. @default true */
  readonly lowercase?: boolean;
  /** Characters allowed besides the separator: `alnum` (a-z0-9) or `alnum-mixed` (A-Za-z0-9). @default alnum */
  readonly charset?: "alnum" | "alnum-mixed";
  /** Must start with a letter (prefix `x` otherwise). @default true */
  readonly startWithLetter?: boolean;
}

/** Common rule sets. */
export const NAME_RULES = {
  /** Generic lower-case hyphenated names of up to 63 characters (most GCP resources, S3). */
  dns63: { maxLength: 63, separator: "-" },
  /** Azure storage accounts: 3-24 lowercase alphanumerics, globally unique. */
  azureStorageAccount: { maxLength: 24, minLength: 3, separator: "" },
  /** Azure container registries: 5-50 alphanumerics, globally unique. */
  azureContainerRegistry: { maxLength: 50, minLength: 5, separator: "" },
  /** Azure Key Vaults: 3-24 alphanumerics and hyphens, globally unique. */
  azureKeyVault: { maxLength: 24, minLength: 3, separator: "-" },
  /** AKS node pools: 1-12 lowercase alphanumerics (Linux pools), starting with a letter. */
  aksNodePool: { maxLength: 12, separator: "" },
} as const satisfies Record<string, NameRules>;

/** A short stable hash (base36, `length` chars) of the parts, joined by NUL. */
export function stableHash(parts: readonly string[], length = 6): string {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return BigInt("0x" + digest.subarray(0, 12).toString("hex"))
    .toString(36)
    .padStart(length, "0")
    .slice(0, length);
}

/** Fits a raw name to the rules; when it must be cut, a hash of the full name keeps it unique. */
export function fitName(raw: string, rules: NameRules): string {
  const sep = rules.separator;
  const lower = rules.lowercase ?? true;
  const allowed = rules.charset === "alnum-mixed" && !lower ? "A-Za-z0-9" : "a-z0-9";
  let s = lower ? raw.toLowerCase() : raw;
  s = s.replace(new RegExp(`[^${allowed}]+`, "g"), sep);
  if (sep) s = s.replace(new RegExp(`\\${sep}+`, "g"), sep).replace(new RegExp(`^\\${sep}|\\${sep}$`, "g"), "");
  if ((rules.startWithLetter ?? true) && !/^[A-Za-z]/.test(s)) s = "x" + s;
  if (s.length > rules.maxLength) {
    const h = stableHash([raw], 6);
    s = trimEnd(s.slice(0, rules.maxLength - h.length - sep.length), sep) + sep + h;
  }
  const min = rules.minLength ?? 1;
  if (s.length < min) s = s + stableHash([raw], min - s.length);
  return s;
}

/** The account scope of the model's cloud: AWS account id, GCP project, Azure subscription. */
export function accountScope(model: PlatformModel): string {
  switch (model.cloud) {
    case "aws":
      return model.aws?.accountId ?? "";
    case "gcp":
      return model.gcp?.project ?? "";
    case "azure":
      return model.azure?.subscriptionId ?? "";
  }
}

/** `<name>-<env>-<item>` (or `<name>-<env>` without an item) fitted to the rules. */
export function deriveName(model: Pick<PlatformModel, "name" | "env">, item: string | undefined, rules: NameRules): string {
  const raw = [model.name, model.env, item].filter((p): p is string => !!p).join("-");
  return fitName(raw, rules);
}

/**
 * A globally unique name: the derived name, cut to leave room, then the separator and a
 * 6-character hash of (cloud, account scope, platform, env, item).
 */
export function globalName(model: PlatformModel, item: string | undefined, rules: NameRules): string {
  const h = stableHash([model.cloud, accountScope(model), model.name, model.env, item ?? ""], 6);
  const sep = rules.separator;
  const room = rules.maxLength - h.length - sep.length;
  const base = deriveName(model, item, { ...rules, maxLength: Number.MAX_SAFE_INTEGER, minLength: 0 });
  const cut = base.length > room ? trimEnd(base.slice(0, room), sep) : base;
  return cut + sep + h;
}

function trimEnd(s: string, sep: string): string {
  return sep ? s.replace(new RegExp(`\\${sep}+$`), "") : s;
}
