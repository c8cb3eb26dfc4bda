import { isDeepStrictEqual } from "node:util";

/**
 * Assertions over a synthesized `cdk.tf.json`, in the spirit of aws-cdk's `Template`:
 * keyed on each resource class's terraform type (`S3Bucket.tfResourceType`).
 */
export type Json = Record<string, any>;

export class Template {
  private constructor(readonly json: Json) {}

  /** From the string `Testing.synth(stack)` returns, a parsed object, or a file's text. */
  static fromJson(json: string | Json): Template {
    return new Template(typeof json === "string" ? JSON.parse(json) : json);
  }

  /** logical id → config of every resource of a type. */
  resources(type: string): Record<string, Json> {
    return (this.json.resource?.[type] ?? {}) as Record<string, Json>;
  }

  dataSources(type: string): Record<string, Json> {
    return (this.json.data?.[type] ?? {}) as Record<string, Json>;
  }

  resourceTypes(): string[] {
    return Object.keys(this.json.resource ?? {}).sort();
  }

  /** Every resource as `type.logicalId`. */
  addresses(): string[] {
    return this.resourceTypes().flatMap((t) => Object.keys(this.resources(t)).map((id) => `${t}.${id}`));
  }

  resource(type: string, logicalId: string): Json {
    const r = this.resources(type)[logicalId];
    if (!r) {
      throw new Error(`no ${type}.${logicalId}; have: ${Object.keys(this.resources(type)).join(", ") || "none"}`);
    }
    return r;
  }

  resourceCountIs(type: string, count: number): void {
    const n = Object.keys(this.resources(type)).length;
    if (n !== count) throw new Error(`expected ${count} ${type}, found ${n}: ${Object.keys(this.resources(type)).join(", ")}`);
  }

  /** Resources of a type whose config contains `props` (deep partial match; arrays match element-wise as subsets in order). */
  findResources(type: string, props: Json = {}): Record<string, Json> {
    return Object.fromEntries(Object.entries(this.resources(type)).filter(([, r]) => matches(r, props)));
  }

  hasResourceWithProperties(type: string, props: Json): void {
    if (Object.keys(this.findResources(type, props)).length === 0) {
      const have = JSON.stringify(this.resources(type), null, 2);
      throw new Error(`no ${type} matches ${JSON.stringify(props)}; have:\n${have.slice(0, 4000)}`);
    }
  }

  /** Every resource of a type matches. */
  allResourcesHaveProperties(type: string, props: Json): void {
    const all = this.resources(type);
    for (const [id, r] of Object.entries(all)) {
      if (!matches(r, props)) throw new Error(`${type}.${id} does not match ${JSON.stringify(props)}: ${JSON.stringify(r)}`);
    }
  }

  outputs(): Record<string, Json> {
    return (this.json.output ?? {}) as Record<string, Json>;
  }

  providers(): Record<string, Json[]> {
    return (this.json.provider ?? {}) as Record<string, Json[]>;
  }

  backend(): Json | undefined {
    return this.json.terraform?.backend;
  }
}

/** Deep partial match: every key in `expected` must match in `actual`. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== "object") return isDeepStrictEqual(actual, expected);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    // each expected element must match some actual element, in order
    let i = 0;
    for (const e of expected) {
      while (i < actual.length && !matches(actual[i], e)) i++;
      if (i === actual.length) return false;
      i++;
    }
    return true;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  return Object.entries(expected as Json).every(([k, v]) => matches((actual as Json)[k], v));
}
