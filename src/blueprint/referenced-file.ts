import { constants, fstatSync, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { readBlueprintBytes, type ReadResult } from "./read-file.js";

/**
 * Files a blueprint names (pipeline definitions) are uploaded into the cloud, so a hostile
 * blueprint (a fork, a pull request) must not be able to name a local file elsewhere on the
 * machine (`../../etc/passwd`, `~/.aws/credentials`) and have it uploaded or echoed. Before any
 * read, a named file must lie inside the blueprint's folder tree: its path may not climb out with
 * `..`, each parent folder that is a symbolic link must resolve (realpath) inside the folder's own
 * realpath, and the file itself must not be a symbolic link (lstat, then opened with O_NOFOLLOW,
 * so a link swapped in after the check is refused by the kernel). The read goes through the safe
 * reader (./read-file.ts: O_NONBLOCK, fstat on the descriptor, size limit).
 * Absolute paths are refused by the rule before they get here (rules/pipelines.ts).
 * A parent folder swapped for a link between the check and the open (a local attacker racing
 * the CLI) is caught after the open, before the read: on Linux the kernel says where the open
 * descriptor's file really is (`/proc/self/fd/N`), which must be inside the folder's realpath;
 * elsewhere the checks are run again and the file now at the path must be the one opened
 * (same device and inode). Node has no openat(2), which would close the race outright.
 */
export const OUTSIDE = "MLP_PIPELINE_DEFINITION_OUTSIDE";
export const SYMLINK = "MLP_PIPELINE_DEFINITION_SYMLINK";

const HINT =
  "copy the file into the blueprint's folder (for example pipelines/<file>) and name it relative to the blueprint; `mlplat init --template <name>` does this for a template's definitions.";

export function readInsideFolder(root: string, path: string): ReadResult {
  const refused = outsideOrLink(root, path);
  if (refused) return refused;
  const r = readBlueprintBytes(path, constants.O_NOFOLLOW, (fd) => openedOutside(root, path, fd));
  if (!r.ok && r.errno === "ELOOP") return symlink(relative(root, path));
  return r;
}

function outsideOrLink(root: string, path: string): ReadResult | undefined {
  const rel = relative(root, path);
  if (rel === "") return undefined; // the folder itself: the read says it is a directory
  if (!inside(rel)) return outside(`\`${rel}\` leads outside the blueprint's folder; mlplat reads (and uploads) only files inside it.`);
  const realRoot = real(root) ?? root;
  let cur = root;
  const parents = dirname(rel) === "." ? [] : dirname(rel).split(sep);
  for (const [i, part] of parents.entries()) {
    cur = join(cur, part);
    const st = lstat(cur);
    if (!st) return undefined; // missing: the read reports the missing file
    if (!st.isSymbolicLink()) continue;
    const target = real(cur);
    const shown = parents.slice(0, i + 1).join("/");
    if (!target || !inside(relative(realRoot, target))) {
      return outside(`\`${rel}\` leads outside the blueprint's folder through the symbolic link \`${shown}\`; mlplat reads (and uploads) only files inside it.`);
    }
  }
  const st = lstat(path);
  if (!st) return undefined;
  if (st.isSymbolicLink()) return symlink(rel);
  const target = real(path);
  if (target && !inside(relative(realRoot, target))) return outside(`\`${rel}\` leads outside the blueprint's folder; mlplat reads (and uploads) only files inside it.`);
  return undefined;
}

/**
 * After the open: is the file opened the one the checks approved? Exported for the race test,
 * which cannot time a swap between two system calls and so hands it a descriptor of a file
 * outside the folder.
 */
export function openedOutside(root: string, path: string, fd: number): ReadResult | undefined {
  const rel = relative(root, path);
  const changed = outside(`\`${rel}\` led outside the blueprint's folder when it was opened (a folder on its path changed after it was checked); mlplat reads (and uploads) only files inside it.`);
  const realRoot = real(root) ?? root;
  const where = openedPath(fd);
  // The folder itself (`definition: .`) is left to the read, which says it is a directory.
  if (where !== undefined) return where === realRoot || inside(relative(realRoot, where)) ? undefined : changed;
  const again = outsideOrLink(root, path);
  if (again) return again;
  const now = lstat(path);
  const was = fstatSync(fd);
  return now && now.dev === was.dev && now.ino === was.ino ? undefined : changed;
}

/** Where an open descriptor's file is, from the kernel (Linux); undefined elsewhere. */
function openedPath(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** A path relative to the folder that stays inside it (not the folder itself). */
function inside(rel: string): boolean {
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function lstat(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function outside(message: string): ReadResult {
  return { ok: false, code: OUTSIDE, message, hint: HINT };
}

function symlink(rel: string): ReadResult {
  return { ok: false, code: SYMLINK, message: `\`${rel}\` is a symbolic link; mlplat does not follow links to the files it uploads.`, hint: `replace the link with a copy of the file it points at (\`cp --remove-destination "$(readlink -f ${rel})" ${rel}\`), inside the blueprint's folder.` };
}
