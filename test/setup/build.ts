import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * CLI end-to-end tests spawn the built binary (bin/mlplat.js → dist/). `npm test` builds first;
 * a bare `npx vitest` run builds here when dist/ is missing.
 */
export default function setup(): void {
  if (!existsSync("dist/bundle/main.cjs")) {
    try {
      execFileSync("npm", ["run", "build"], { stdio: "inherit" });
    } catch {
      // tsc emits despite type errors; the typecheck step reports them.
    }
  }
}
