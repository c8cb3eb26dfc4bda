import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { terraformEnv } from "../helpers/terraform.js";
import { synthEdited } from "./blueprint-edits.js";
import { describeImpact } from "./expect-impact.js";
import { deployV1, planImpact } from "./plan.js";

/**
 * The upgrade case (issue 14): a platform deployed by mlplat v0.1 (commit 6f6d640, the last
 * before this wave) plans no replacement when the same blueprint is synthesized by this
 * version. The v0.1 output is committed under fixtures/v0.1 (that commit's goldens, byte for
 * byte: `git show 6f6d640:test/aws/golden/<stack>.cdk.tf.json`), mock-applied and healed like
 * the corpus's v1, then the current synth is planned against its state with the real provider.
 */
const tf = terraformEnv();
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mlplat-upgrade-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The v0.1 stack, planned offline: provider skip flags (what `--offline` sets today) and no account check. */
function v01Stack(fixture: string, stack: string): { dir: string; statePath: string } {
  const json = JSON.parse(readFileSync(join(ROOT, "test/change-impact/fixtures/v0.1", fixture), "utf8"));
  for (const p of json.provider.aws) {
    delete p.allowed_account_ids;
    Object.assign(p, { skip_credentials_validation: true, skip_metadata_api_check: "true", skip_requesting_account_id: true });
  }
  const dir = join(work, stack, "v01", "out", "stacks", stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  // The fixture's local backend path is ../../../state/<stack>.tfstate, relative to its folder.
  return { dir, statePath: join(work, stack, "v01", "state", `${stack}.tfstate`) };
}

const CASES = [
  { blueprint: "blueprints/llm-serving.yaml", fixture: "llm-serving-default.cdk.tf.json", stack: "llm-serving-default" },
  { blueprint: "blueprints/aws-sagemaker-scoring.yaml", fixture: "aws-sagemaker-scoring-default.cdk.tf.json", stack: "scoring-default" },
];

describe.skipIf(!tf.available)("upgrade from v0.1: the same blueprint replaces nothing (real hashicorp/aws, offline)", () => {
  it.each(CASES)("$blueprint", async ({ blueprint, fixture, stack }) => {
    const v01 = v01Stack(fixture, stack);
    const deployed = await deployV1(v01.dir, v01.statePath, join(work, stack, "mock"));
    expect(deployed.residual.map((c) => `${c.actions.join("+")} ${c.address}`), "v0.1 against its own state").toEqual([]);
    const now = await synthEdited(join(ROOT, blueprint), join(work, stack, "now"), () => {});
    const impact = describeImpact(await planImpact(now.dir, now.statePath, deployed.state));
    process.stderr.write(`upgrade ${stack} from v0.1: ${JSON.stringify(impact)}\n`);
    expect(impact.replace, JSON.stringify(impact, null, 2)).toEqual([]);
    expect(impact.delete, JSON.stringify(impact, null, 2)).toEqual([]);
  }, 600_000);
});
