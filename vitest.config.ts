import { defineConfig } from "vitest/config";

/**
 * Snapshots are never written by a test run (issue 20): vitest writes a missing snapshot unless
 * CI is set; here a missing or changed one fails in every run. `npx vitest run -u` (or
 * UPDATE_SNAPSHOT=1) still rewrites them on purpose.
 */
const snapshotsNeverWritten = {
  name: "mlplat:snapshots-never-written",
  configureVitest({ vitest }: { vitest: { config: { snapshotOptions: { updateSnapshot: string } }; snapshot: { options: { updateSnapshot: string } } } }) {
    if (vitest.config.snapshotOptions.updateSnapshot === "new") {
      vitest.config.snapshotOptions.updateSnapshot = "none";
      vitest.snapshot.options.updateSnapshot = "none";
    }
  },
};

export default defineConfig({
  plugins: [snapshotsNeverWritten],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build.ts", "test/setup/terraform-cache.ts"],
    // Two cores: forks keep cdktf's large provider modules out of each other's heaps.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
