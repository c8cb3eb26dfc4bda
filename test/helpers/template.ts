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

  /**
   * Resources of a type whose config matches `props` (see `matches`: objects match on the keys
   * given, arrays exactly unless wrapped in `containing`). May be empty: assert on the result.
   */
  findResources(type: string, props: Json): Record<string, Json> {
    return Object.fromEntries(Object.entries(this.resources(type)).filter(([, r]) => matches(r, props)));
  }

  hasResourceWithProperties(type: string, props: Json): void {
    assertChecksSomething(props, "hasResourceWithProperties");
    if (Object.keys(this.findResources(type, props)).length === 0) {
      const have = JSON.stringify(this.resources(type), null, 2);
      throw new Error(`no ${type} matches ${JSON.stringify(props)}; have:\n${have.slice(0, 4000)}`);
    }
  }

  /**
   * Every resource of a type matches, and there is at least one: a check over no resources
   * passes whatever it asks, so it fails unless the test says none is fine (`{ allowNone: true }`).
   */
  allResourcesHaveProperties(type: string, props: Json, opts: { allowNone?: boolean } = {}): void {
    assertChecksSomething(props, "allResourcesHaveProperties");
    const all = this.resources(type);
    if (Object.keys(all).length === 0 && !opts.allowNone) {
      throw new Error(`no ${type} at all, so no resource of it was checked; pass { allowNone: true } if none is expected`);
    }
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

function assertChecksSomething(props: Json, what: string): void {
  if (props === null || typeof props !== "object" || Object.keys(props).length === 0) {
    throw new Error(`${what} was given ${JSON.stringify(props)}, which every resource matches: name the properties to check`);
  }
}

const CONTAINING = Symbol("containing");

/** An array that must contain these elements (each matching a different element, any order), others allowed. */
export interface Containing {
  readonly [CONTAINING]: readonly unknown[];
}

/** Marks an expected array as "contains these": `{ node_taints: containing(["a=b:NoSchedule"]) }`. */
export function containing(elements: readonly unknown[]): Containing {
  return { [CONTAINING]: elements } as Containing;
}

function isContaining(v: unknown): v is Containing {
  return typeof v === "object" && v !== null && CONTAINING in v;
}

/**
 * Match of `actual` against `expected`: objects match on the keys `expected` names (deeply);
 * arrays match element by element with the same length, unless `expected` is `containing([...])`;
 * anything else is deep equality.
 */
export function matches(actual: unknown, expected: unknown): boolean {
  if (isContaining(expected)) {
    if (!Array.isArray(actual)) return false;
    const used = new Set<number>();
    return expected[CONTAINING].every((e) => {
      const i = actual.findIndex((a, j) => !used.has(j) && matches(a, e));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (expected === null || typeof expected !== "object") return isDeepStrictEqual(actual, expected);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  return Object.entries(expected as Json).every(([k, v]) => matches((actual as Json)[k], v));
}
