/**
 * Snapshots are never written by a test run (issue 20): vitest writes a missing snapshot unless
 * CI is set; with this plugin a missing or changed one fails in every run. `npx vitest run -u`
 * (or UPDATE_SNAPSHOT=1) still rewrites them on purpose. Used by vitest.config.ts.
 */
interface SnapshotOptions {
  updateSnapshot: string;
}

export const snapshotsNeverWritten = {
  name: "mlplat:snapshots-never-written",
  configureVitest({ vitest }: { vitest: { config: { snapshotOptions: SnapshotOptions }; snapshot: { options: SnapshotOptions } } }): void {
    if (vitest.config.snapshotOptions.updateSnapshot === "new") {
      vitest.config.snapshotOptions.updateSnapshot = "none";
      vitest.snapshot.options.updateSnapshot = "none";
    }
  },
};
