import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";

/**
 * The first String#localeCompare of a process builds ICU's collator: ~5 ms of a synth that only
 * sorts a few names (src/util/collate.ts orders them the same way without it). validate and synth
 * of the reference blueprints must not call it at all.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-collation-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hook = join(work, "count.cjs");
writeFileSync(
  hook,
  `const o = String.prototype.localeCompare; let n = 0;
String.prototype.localeCompare = function (...a) { n++; return o.apply(this, a); };
process.on("exit", () => require("node:fs").writeSync(2, "localeCompare calls: " + n + "\\n"));`,
);
const root = new URL("../../", import.meta.url).pathname;

describe("no ICU collator on the hot paths", () => {
  it.each(["aws-sagemaker-scoring", "gcp-gke-t4-l4", "azure-aks-ml", "realtime-scoring"])("validate and synth of %s never call localeCompare", (name) => {
    for (const args of [["validate", join(root, "blueprints", `${name}.yaml`)], ["synth", join(root, "blueprints", `${name}.yaml`), "--out", join(work, name), "--state-dir", join(work, "state")]]) {
      const r = spawnSync(process.execPath, ["-r", hook, BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain("localeCompare calls: 0\n");
    }
  });
});
