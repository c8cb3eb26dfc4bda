import type { Cloud, PlatformModel } from "../../src/model/platform.js";

/**
 * The first-deploy tier: preconditions a cloud enforces when resources are *created* on a fresh
 * account / project / subscription (which `terraform validate` and `plan` do not check), written as
 * data. Each cloud has a table of rules (`<cloud>-rules.ts` in this folder) with the same shape; a
 * test runs every reference blueprint × environment of that cloud through its table.
 */
export interface FirstDeployRule {
  /** Stable kebab-case id, unique within the cloud's table (e.g. `gcp-service-agent-before-grant`). */
  readonly id: string;
  readonly cloud: Cloud;
  /** What the cloud requires, in one sentence. */
  readonly description: string;
  /** The provider or cloud documentation that states the requirement. */
  readonly source: string;
  /**
   * Checks the synthesized stack (parsed cdk.tf.json). Returns one message per violation, naming the
   * resource address; an empty array means the rule holds.
   */
  check(json: SynthJson, ctx: RuleContext): string[];
}

/** A parsed cdk.tf.json: `resource[type][name]`, `data[type][name]`, `provider`, `output`, … */
export type SynthJson = Record<string, any>;

/** What a rule may know besides the synthesized JSON. */
export interface RuleContext {
  /** Blueprint file name under blueprints/ (e.g. `gcp-platform.yaml`). */
  readonly blueprint: string;
  /** Environment name, undefined for the base blueprint. */
  readonly env?: string;
  /** The resolved cloud-neutral model the stack was synthesized from. */
  readonly model: PlatformModel;
}

/** Every resource of `type` in the synthesized JSON, as [name, body] pairs. */
export function resourcesOf(json: SynthJson, type: string): Array<[string, Record<string, any>]> {
  return Object.entries((json.resource?.[type] ?? {}) as Record<string, Record<string, any>>);
}

/** Runs every rule of a table; returns `rule-id: violation` lines. */
export function runRules(rules: readonly FirstDeployRule[], json: SynthJson, ctx: RuleContext): string[] {
  return rules.flatMap((rule) => rule.check(json, ctx).map((v) => `${rule.id}: ${v}`));
}
