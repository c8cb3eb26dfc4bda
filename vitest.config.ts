import { defineConfig } from "vitest/config";
import { snapshotsNeverWritten } from "./test/setup/snapshots-never-written.js";

export default defineConfig({
  // A test run never writes a snapshot; a missing one fails (test/setup/snapshots-never-written.ts).
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
