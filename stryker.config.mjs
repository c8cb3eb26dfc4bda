// Mutation testing (issue 20): `npm run mutation`. Not part of `npm test` or CI: it takes a long
// time on a 2-core machine. Results and survivors are recorded in bench/mutation-results.md.
// https://stryker-mutator.io/docs/stryker-js/vitest-runner/
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  // perTest: each mutant runs only the tests that covered its code in the initial run.
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants: tables, regexes) must run every test: a third of the
  // mutants, three quarters of the time. They are left out of the score (reported as ignored).
  ignoreStatic: true,
  mutate: [
    "src/blueprint/**/*.ts",
    "src/engine/**/*.ts",
    "src/terraform/**/*.ts",
    // Not yet: src/synth, stacks/common/terraform-literals.ts (the escaping sink) and src/output:
    // their tests synthesize stacks, too slow per mutant here (see vitest.mutation.config.ts).
  ],
  concurrency: 2,
  // A mutant that makes a test loop is stopped 10 s past the test's normal time (counted as detected).
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress-append-only", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["dist", "bench", ".stryker-tmp", "reports", "cdktf.out"],
  cleanTempDir: true,
};
