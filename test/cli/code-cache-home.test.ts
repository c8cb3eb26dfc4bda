import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// os.homedir() throws (ERR_SYSTEM_ERROR, uv_os_homedir ENOENT) when HOME is unset and the user
// has no passwd entry: a container run with an arbitrary uid. Every command then ran into it.
vi.mock("node:os", async (importOriginal) => ({
  ...(await importOriginal<typeof import("node:os")>()),
  homedir: () => {
    throw Object.assign(new Error("A system error occurred: uv_os_homedir returned ENOENT"), { code: "ERR_SYSTEM_ERROR" });
  },
}));

describe("the code cache without a home folder", () => {
  it("is simply not used (no throw) when neither MLPLAT_CACHE_DIR nor XDG_CACHE_HOME is set", async () => {
    const { cacheDir } = await import("../../src/cli/code-cache.js");
    expect(cacheDir({})).toBeUndefined();
  });

  it("ignores a relative XDG_CACHE_HOME (invalid in the XDG spec) instead of creating a folder in the working directory", async () => {
    const { cacheDir } = await import("../../src/cli/code-cache.js");
    const rel = `mlplat-test-relative-xdg-${process.pid}`;
    try {
      expect(cacheDir({ XDG_CACHE_HOME: rel })).toBeUndefined(); // home unknown here: no cache
      expect(existsSync(join(process.cwd(), rel))).toBe(false);
    } finally {
      rmSync(join(process.cwd(), rel), { recursive: true, force: true });
    }
  });
});
