import { configDefaults, defineConfig } from "vitest/config";

/**
 * The test files `npm run mutation` (stryker.config.mjs) runs against each mutant: the ones that
 * exercise src/blueprint, src/engine, src/terraform, src/synth and the escaping sink in-process. The CLI e2e and example tests
 * are left out on purpose: they spawn the built bundle (dist/), which a mutant of src/ never reaches.
 */
export default defineConfig({
  test: {
    include: [
      "test/blueprint/**/*.test.ts",
      "test/codes/**/*.test.ts",
      "test/security/**/*.test.ts",
      "test/engine/**/*.test.ts",
      "test/terraform/**/*.test.ts",
      "test/synth/**/*.test.ts",
    ],
    // The enumeration test reads files; cli.test.ts spawns the bundle: neither runs mutated code.
    exclude: [...configDefaults.exclude, "test/codes/codes-covered.test.ts", "test/codes/cli.test.ts"],
    globalSetup: ["test/setup/terraform-cache.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
