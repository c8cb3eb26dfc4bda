import { join } from "node:path";
import { expect, it } from "vitest";
import { DATA_BEARING_TYPES } from "../../src/engine/summary.js";
import { expectedDisruptions, LLM_SERVING_DOC_EDITS, LLM_SERVING_EDITS } from "./corpus.js";
import { describeDay2Tier, plannedDisruptions, tierWorkDir } from "./day2-tier.js";
import type { ResourceImpact } from "./plan.js";

/** What mlplat's disruption guard makes of the plan (data-bearing types are the data-loss guard's). */
function disruptions(changes: readonly ResourceImpact[]): string[] {
  return plannedDisruptions(changes)
    .filter((d) => !DATA_BEARING_TYPES.has(changes.find((c) => c.address === d.address)!.type))
    .map((d) => `${d.kind} ${d.action}`)
    .sort();
}

/**
 * The change-impact tier (issue 14): blueprints/llm-serving.yaml is "deployed" once (mock
 * apply, healed by the real provider's plan: see README.md here), then every day-2 edit of the
 * corpus is synthesized and planned against that state with the real hashicorp/aws provider,
 * offline, and its actions asserted. Edits run one after another (the machine is shared).
 */
const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * v1 is the reference blueprint one Kubernetes minor back (1.34), so that bumping the minor is
 * an edit the add-on pins allow (the blueprint ships the newest pinned minor).
 */
const V1 = (doc: Record<string, any>) => (doc.spec.cluster.version = "1.34");

const EDITS = [
  ...LLM_SERVING_EDITS.map((e) => ({ ...e, edit: (doc: Record<string, any>) => e.edit(doc.spec) })),
  ...LLM_SERVING_DOC_EDITS,
];

describeDay2Tier("day-2 edits of llm-serving against its deployed v1 (real hashicorp/aws, offline)", {
  blueprint: join(ROOT, "blueprints", "llm-serving.yaml"),
  work: tierWorkDir("mlplat-change-impact-"),
  edits: EDITS,
  label: "change-impact tier",
  v1Edit: V1,
  v1Check: (v1) => expect(v1.state.resources.length).toBeGreaterThan(100),
  moreTests: () =>
    it("has at least 25 day-2 edits", () => {
      expect(EDITS.length).toBeGreaterThanOrEqual(25);
    }),
  // The disruption guard flags what the corpus says, the same as on GCP and Azure (gcp-azure.test.ts).
  check: (e, changes) => expect(disruptions(changes), e.name).toEqual(expectedDisruptions(e, "aws")),
});
