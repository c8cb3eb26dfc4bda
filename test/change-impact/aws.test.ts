import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformEnv } from "../helpers/terraform.js";
import { synthEdited } from "./blueprint-edits.js";
import { findDisruptions } from "../../src/engine/disruption.js";
import { DATA_BEARING_TYPES } from "../../src/engine/summary.js";
import type { ChangeAction } from "../../src/terraform/plan-stream.js";
import { expectedDisruptions, LLM_SERVING_DOC_EDITS, LLM_SERVING_EDITS } from "./corpus.js";
import { expectImpact } from "./expect-impact.js";
import { deployV1, planImpact, type DeployedV1, type ResourceImpact } from "./plan.js";

/** What mlplat's disruption guard makes of the plan (data-bearing types are the data-loss guard's). */
function disruptions(changes: readonly ResourceImpact[]): string[] {
  const planned = changes.map((c) => ({
    address: c.address,
    mode: "managed" as const,
    type: c.type,
    name: c.address.split(".")[1]!,
    action: (c.actions.length === 2 ? "replace" : c.actions[0]) as ChangeAction,
  }));
  return findDisruptions(planned)
    .filter((d) => !DATA_BEARING_TYPES.has(planned.find((p) => p.address === d.address)!.type))
    .map((d) => `${d.kind} ${d.action}`)
    .sort();
}

/**
 * The change-impact tier (issue 14): blueprints/llm-serving.yaml is "deployed" once (mock
 * apply, healed by the real provider's plan: see README.md here), then every day-2 edit of the
 * corpus is synthesized and planned against that state with the real hashicorp/aws provider,
 * offline, and its actions asserted. Edits run one after another (the machine is shared).
 */
const tf = terraformEnv();
const ROOT = new URL("../../", import.meta.url).pathname;
const BLUEPRINT = join(ROOT, "blueprints", "llm-serving.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-change-impact-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * v1 is the reference blueprint one Kubernetes minor back (1.34), so that bumping the minor is
 * an edit the add-on pins allow (the blueprint ships the newest pinned minor).
 */
const V1 = (doc: Record<string, any>) => (doc.spec.cluster.version = "1.34");

const EDITS = [
  ...LLM_SERVING_EDITS.map((e) => ({ ...e, edit: (doc: Record<string, any>) => e.edit(doc.spec) })),
  ...LLM_SERVING_DOC_EDITS,
];

describe.skipIf(!tf.available)("day-2 edits of llm-serving against its deployed v1 (real hashicorp/aws, offline)", () => {
  let v1: DeployedV1;
  const started = Date.now();

  beforeAll(async () => {
    const stack = await synthEdited(BLUEPRINT, join(work, "edits"), V1);
    v1 = await deployV1(stack.dir, stack.statePath, join(work, "mock"));
  }, 600_000);

  afterAll(() => {
    process.stderr.write(`change-impact tier: v1 deployed and ${EDITS.length} edits planned in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it("deploys v1 into a state that v1 itself plans no change against", () => {
    expect(v1.residual.map((c) => `${c.actions.join("+")} ${c.address} ${c.replacePaths.join(",")}`)).toEqual([]);
    expect(v1.state.resources.length).toBeGreaterThan(100);
  });

  it("has at least 25 day-2 edits", () => {
    expect(EDITS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(EDITS.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
    const stack = await synthEdited(BLUEPRINT, join(work, "edits"), (doc) => (V1(doc), e.edit(doc)));
    const changes = await planImpact(stack.dir, stack.statePath, v1.state);
    expectImpact(e.name, changes, e.expect);
    // The disruption guard flags what the corpus says, the same as on GCP and Azure (gcp-azure.test.ts).
    expect(disruptions(changes), e.name).toEqual(expectedDisruptions(e, "aws"));
  }, 300_000);
});
