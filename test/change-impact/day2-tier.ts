import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDisruptions, type Disruption } from "../../src/engine/disruption.js";
import type { ChangeAction, PlannedChange } from "../../src/terraform/plan-stream.js";
import { terraformEnv } from "../helpers/terraform.js";
import { synthEdited } from "./blueprint-edits.js";
import type { Expected } from "./corpus.js";
import { expectImpact } from "./expect-impact.js";
import { deployV1, planImpact, type DeployedV1, type ResourceImpact } from "./plan.js";

/**
 * The scaffold of an AWS day-2 tier (README.md here): one base blueprint "deployed" once (mock
 * apply healed by the real provider), then each edit synthesized and planned against it with the
 * real hashicorp/aws provider, offline, and its impact asserted. Skips loudly (terraformEnv) when
 * terraform or the provider mirror is missing.
 */
export type Doc = Record<string, any>;

export interface Day2Edit {
  readonly name: string;
  readonly edit: (doc: Doc) => void;
  readonly expect: Expected;
}

export interface Day2Tier<E extends Day2Edit> {
  /** The base blueprint (a path). */
  readonly blueprint: string;
  /** The tier's scratch folder (`tierWorkDir`): edits are written to `work/edits`, v1 is mock-applied in `work/mock`. */
  readonly work: string;
  readonly edits: readonly E[];
  /** Names the tier in the timing line written to stderr after the run. */
  readonly label: string;
  /** Applied to the base blueprint for v1 and under every edit (default: none). */
  readonly v1Edit?: (doc: Doc) => void;
  /** Run in the suite's body before its tests are declared (e.g. copying files the blueprint names into `work/edits`). */
  readonly setup?: () => void;
  /** What v1's state must hold beyond planning no change against itself. */
  readonly v1Check?: (v1: DeployedV1) => void;
  /** More tests of the suite, declared after the v1 test and before the edits. */
  readonly moreTests?: () => void;
  /** Asserted on each edit's plan after `expectImpact`. */
  readonly check?: (e: E, changes: readonly ResourceImpact[]) => void;
  /** vitest timeouts: v1's mock apply and heal, one edit's synth and plan. */
  readonly timeouts?: { readonly deploy: number; readonly edit: number };
}

const TIMEOUTS = { deploy: 600_000, edit: 300_000 };

/** A scratch folder in tmpdir, removed after the file's tests. */
export function tierWorkDir(prefix: string): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return work;
}

export function describeDay2Tier<E extends Day2Edit>(title: string, tier: Day2Tier<E>): void {
  const tf = terraformEnv();
  const edits = join(tier.work, "edits");
  const base = tier.v1Edit ?? (() => {});
  const timeouts = tier.timeouts ?? TIMEOUTS;

  describe.skipIf(!tf.available)(title, () => {
    let v1: DeployedV1;
    const started = Date.now();
    tier.setup?.();

    beforeAll(async () => {
      const stack = await synthEdited(tier.blueprint, edits, base);
      v1 = await deployV1(stack.dir, stack.statePath, join(tier.work, "mock"));
    }, timeouts.deploy);

    afterAll(() => {
      process.stderr.write(`${tier.label}: v1 deployed and ${tier.edits.length} edits planned in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    });

    it("deploys v1 into a state that v1 itself plans no change against", () => {
      expect(v1.residual.map((c) => `${c.actions.join("+")} ${c.address} ${c.replacePaths.join(",")}`)).toEqual([]);
      tier.v1Check?.(v1);
    });

    tier.moreTests?.();

    it.each(tier.edits.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
      const stack = await synthEdited(tier.blueprint, edits, (doc) => (base(doc), e.edit(doc)));
      const changes = await planImpact(stack.dir, stack.statePath, v1.state);
      expectImpact(e.name, changes, e.expect);
      tier.check?.(e, changes);
    }, timeouts.edit);
  });
}

/** The plan as mlplat's guards read it (`PlannedChange`): a two-action change is a replacement. */
export function plannedChanges(changes: readonly ResourceImpact[]): PlannedChange[] {
  return changes.map((c) => ({
    address: c.address,
    mode: "managed" as const,
    type: c.type,
    name: c.address.split(".")[1]!,
    action: (c.actions.length === 2 ? "replace" : c.actions[0]) as ChangeAction,
  }));
}

/** What the disruption guard (src/engine/disruption.ts) flags in the plan. */
export function plannedDisruptions(changes: readonly ResourceImpact[]): Disruption[] {
  return findDisruptions(plannedChanges(changes));
}

/** Asserts what the disruption guard flags in an edit's plan, as `kind action` lines. */
export function expectDisruptions(name: string, changes: readonly ResourceImpact[], expected: readonly string[]): void {
  expect(plannedDisruptions(changes).map((d) => `${d.kind} ${d.action}`), name).toEqual(expected);
}
