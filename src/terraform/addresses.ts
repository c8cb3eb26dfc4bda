/**
 * Terraform addresses back to blueprint terms. MlplatStack (stacks/common/mlplat-stack.ts)
 * builds every logical id from the construct path joined with `_`: the first segment is the
 * blueprint section (`storage`, `registry`, …), the second the blueprint item name (bucket, repo,
 * pool or endpoint name), the rest fixed child ids. Construct ids never contain `_`, so splitting
 * the resource name on `_` inverts it. This works from the address alone, which matters for the
 * data-loss guard: a resource removed from the blueprint is still in the plan under its address.
 */
export interface ParsedAddress {
  /** The address as given, e.g. `aws_s3_bucket.storage_datasets`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  /** Resource type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Resource name (the logical id), without any instance index. */
  readonly name: string;
  /** `type.name` without module path or index: the key of the resource in cdk.tf.json. */
  readonly resourceKey: string;
}

/** Splits `[module.m.]*[data.]type.name[index]`; undefined for anything else. */
export function parseAddress(address: string): ParsedAddress | undefined {
  let rest = address;
  // Module prefixes (mlplat stacks have none, but a hand-edited config could).
  while (rest.startsWith("module.")) {
    const m = /^module\.[^.[]+(\[[^\]]*\])?\./.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
  }
  let mode: ParsedAddress["mode"] = "managed";
  if (rest.startsWith("data.")) {
    mode = "data";
    rest = rest.slice("data.".length);
  }
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(\[.*\])?$/.exec(rest);
  if (!m) return undefined;
  return { address, mode, type: m[1], name: m[2], resourceKey: `${m[1]}.${m[2]}` };
}

export interface SectionOf {
  /** Blueprint section (`storage`, `kms`, …); `other` when the name carries none. */
  readonly section: string;
  /** Blueprint item name (`datasets`), when the address has one. */
  readonly item?: string;
}

/** The blueprint section and item of an address: `aws_s3_bucket.storage_datasets` → storage / datasets. */
export function sectionOf(address: string): SectionOf {
  const parsed = parseAddress(address);
  if (!parsed) return { section: "other" };
  const [section, item] = parsed.name.split("_");
  if (!section) return { section: "other" };
  return item ? { section, item } : { section };
}
