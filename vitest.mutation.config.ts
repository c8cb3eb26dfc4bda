import { configDefaults, defineConfig } from "vitest/config";

/**
 * The test files `npm run mutation` (stryker.config.mjs) runs against each mutant: the in-process
 * tests of src/blueprint, src/engine and src/terraform (the engine with fake runners). Left out
 * on purpose, because with perTest coverage every mutant of the loader would also run them and
 * the run would not finish on this 2-core machine (measured: ~48 h projected instead of ~1 h):
 * the real-terraform tier (test/terraform), the synth tiers (test/synth, test/security, goldens)
 * and the CLI e2e tests (they spawn dist/, which a mutant of src/ never reaches). A mutant only
 * those would kill is counted as survived: the score is a lower bound.
 */
export default defineConfig({
  test: {
    include: ["test/blueprint/**/*.test.ts", "test/codes/**/*.test.ts", "test/engine/**/*.test.ts"],
    // The enumeration test reads files; cli.test.ts spawns the bundle: neither runs mutated code.
    exclude: [...configDefaults.exclude, "test/codes/codes-covered.test.ts", "test/codes/cli.test.ts"],
    globalSetup: ["test/setup/terraform-cache.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
