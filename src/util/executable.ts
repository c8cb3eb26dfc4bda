import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/**
 * Where a tool runs from: a path (absolute, or containing `/`) must be an executable file; a bare
 * name is looked up on PATH. Undefined when neither finds it. terraform, kubectl and the clouds'
 * CLIs are all found this way.
 */
export function findExecutable(wanted: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (wanted.includes("/") || isAbsolute(wanted)) return isExecutable(resolve(wanted)) ? resolve(wanted) : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, wanted))) return join(dir, wanted);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
