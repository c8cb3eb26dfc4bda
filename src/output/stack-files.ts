import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, sep } from "node:path";
import { MlplatError } from "../util/errors.js";

/**
 * Reading and writing files in a stack folder of an output (cdk.tf.json, the init marker, the
 * terraform log, plan files) without ever following a link: reads and appends open with
 * O_NOFOLLOW, writes go to a fresh file created with O_EXCL and are renamed over the old name,
 * which replaces a link itself, never its target. Everything in src/engine and src/terraform
 * that touches a stack folder goes through here or through terraform.
 */

const NOFOLLOW_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function linkRefusal(path: string): MlplatError {
  return new MlplatError("MLP_OUT_LINK", `${path} is a symbolic link; mlplat never follows a link out of its output.`, {
    hint: `remove the link (rm ${path}) and run again.`,
  });
}

/** Reads a regular file of a stack folder; MLP_OUT_LINK when it is a link. ENOENT and other errors are thrown as they are. */
export function readStackFile(dir: string, name: string): Buffer {
  const path = join(dir, name);
  let fd: number;
  try {
    fd = openSync(path, NOFOLLOW_READ);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw linkRefusal(path);
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new MlplatError("MLP_OUT_LINK", `${path} is not a regular file; mlplat reads only plain files in its output.`, { hint: `remove ${path} and run again.` });
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readStackText(dir: string, name: string): string {
  return readStackFile(dir, name).toString("utf8");
}

/**
 * The regular files of a folder of a stack (`k8s`, `k8s/platform`), as paths relative to the
 * stack, sorted; [] when the folder does not exist. A link on the way (the folder, or one of its
 * parents inside the stack) is MLP_OUT_LINK, and entries that are links are not files: what is
 * listed is what synth wrote, never another folder's manifests.
 */
export function listStackFiles(dir: string, rel: string, suffix = ""): string[] {
  const folder = walkFolders(dir, rel, false);
  if (folder === undefined || !lstatSync(folder).isDirectory()) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(suffix))
    .map((d) => (rel ? `${rel}/${d.name}` : d.name))
    .sort();
}

/** Replaces `name` in a stack folder atomically (temporary file + rename), never through a link. */
export function writeStackFile(dir: string, name: string, data: string | Buffer, mode = 0o644): void {
  const path = join(dir, name);
  ensureFolders(dir, dirname(name));
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const fd = openSync(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, mode);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes `name` from a stack folder if it is there (a link is removed itself, never its target); a linked folder on the way is MLP_OUT_LINK. */
export function removeStackFile(dir: string, name: string): void {
  const folder = walkFolders(dir, dirname(name), false);
  if (folder === undefined) return;
  rmSync(join(folder, basename(name)), { force: true });
}

/** Creates the folders of `rel` under `dir`, refusing any that is a link. */
function ensureFolders(dir: string, rel: string): void {
  walkFolders(dir, rel, true);
}

/**
 * Walks the folders of `rel` under `dir`, refusing any that is a link (MLP_OUT_LINK). A missing
 * one is created with `create`, else the walk stops: undefined. Returns the last folder's path.
 */
function walkFolders(dir: string, rel: string, create: boolean): string | undefined {
  let cur = dir;
  for (const part of rel.split(sep).filter((p) => p && p !== ".")) {
    cur = join(cur, part);
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      if (!create) return undefined;
      mkdirSync(cur);
      continue;
    }
    if (st.isSymbolicLink()) throw linkRefusal(cur);
  }
  return cur;
}

/**
 * Opens a log file of a stack folder for appending, refusing a link (O_NOFOLLOW): a
 * `terraform.log` link planted in an output would otherwise have terraform's output appended to
 * a file elsewhere. Returns the file descriptor.
 */
export function openStackLog(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw linkRefusal(path);
    throw err;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new MlplatError("MLP_OUT_LINK", `${path} is not a regular file; mlplat appends terraform's log only to a plain file.`, { hint: `remove ${path} and run again.` });
  }
  return fd;
}
