import { statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MlplatError } from "./errors.js";

/**
 * Writes a file the user named on the command line (`schema --out`, reports): the only files
 * mlplat writes outside its output and state folders. A folder in its place, or a missing
 * parent folder, is a user error (exit 1) that says which, never a stack trace.
 */
export function writeUserFile(path: string, text: string, option: string): void {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) {
    throw new MlplatError("MLP_CANNOT_WRITE", `${option} ${path} is a folder; ${option} takes the path of a file to write.`, {
      hint: `name a file inside it, for example ${option} ${path.replace(/\/+$/, "")}/blueprint.schema.json.`,
    });
  }
  const parent = dirname(abs);
  let parentSt;
  try {
    parentSt = statSync(parent);
  } catch {
    parentSt = undefined;
  }
  if (!parentSt?.isDirectory()) {
    throw new MlplatError("MLP_CANNOT_WRITE", `${option} ${path}: the folder ${parent} ${parentSt ? "is a file" : "does not exist"}.`, {
      hint: parentSt ? "choose a path inside a folder." : `create it first (mkdir -p ${parent}), or choose an existing folder.`,
    });
  }
  try {
    writeFileSync(abs, text);
  } catch (err) {
    throw new MlplatError("MLP_CANNOT_WRITE", `${option} ${path} could not be written: ${(err as Error).message}`, {
      hint: "check the path and its permissions.",
      cause: err,
    });
  }
}
