import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";
import { snapshotsNeverWritten } from "./test/setup/snapshots-never-written.js";

/**
 * The few long files first, spread over the two forks, then vitest's own order: on a fresh clone
 * (no timing cache) vitest would start by file size and leave the 2.5-minute change-impact tier
 * to run alone at the end. Measured durations on this machine, longest first.
 */
const LONGEST_FIRST = [
  "test/change-impact/aws.test.ts",
  "test/aws/terraform.test.ts",
  "test/change-impact/upgrade.test.ts",
  "test/package/install.test.ts",
  "test/terraform/aws-plan-guard.test.ts",
  "test/change-impact/aws-rollout.test.ts",
  "test/change-impact/aws-pipelines.test.ts",
  "test/change-impact/aws-workspaces.test.ts",
  "test/examples/extension-guards.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    const rest = await super.sort(files.filter((f) => rank(f) === LONGEST_FIRST.length));
    return [...files.filter((f) => rank(f) < LONGEST_FIRST.length).sort((a, b) => rank(a) - rank(b)), ...rest];
  }
}

export default defineConfig({
  // A test run never writes a snapshot; a missing one fails (test/setup/snapshots-never-written.ts).
  plugins: [snapshotsNeverWritten],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build.ts", "test/setup/terraform-cache.ts"],
    // Two cores: forks keep cdktf's large provider modules out of each other's heaps.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
