import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The mlplat package folder. Walks up from this file, so it is the same answer when running
 * the sources under vitest (`src/util`) and the build (`dist/src/util`). Data files
 * (catalog, reference blueprints) are read relative to it.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "mlplat") return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("mlplat package.json not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version;
}
