import { closeSync, constants, lstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { MlplatError } from "../util/errors.js";

/**
 * `mlplat init` writes into a folder that may already hold files (a cloned repository): it never
 * writes through a symbolic link there. Every path it will write (platform.yaml, the schema, the
 * pipelines/ folder and each definition copied into it) is checked with lstat before anything is
 * written, and each file is opened with O_NOFOLLOW, so a link swapped in after the check is
 * refused by the kernel rather than followed. The folder named on the command line is the user's
 * own choice and may itself be a link.
 */
function linkRefusal(path: string): MlplatError {
  return new MlplatError("MLP_INIT_LINK", `${path} is a symbolic link; mlplat init never writes through a link (it would write to the link's target).`, {
    hint: `remove the link (rm ${path}) or give another folder, then run mlplat init again.`,
  });
}

/** Throws MLP_INIT_LINK when any of `rels` (relative to `dir`) is a symbolic link. Nothing is written. */
export function refuseLinks(dir: string, rels: readonly string[]): void {
  for (const rel of rels) {
    const path = join(dir, rel);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      continue; // missing: it will be created
    }
    if (link) throw linkRefusal(path);
  }
}

/** True when `path` exists, without following a link (a link counts as existing). */
export function existsNoFollow(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `data` to `path` (created or truncated), refusing a link at `path` (O_NOFOLLOW). */
export function writeNoFollow(path: string, data: string | Buffer): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") throw linkRefusal(path);
    throw e;
  }
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

/** Copies a packaged file to `to` through writeNoFollow. */
export function copyNoFollow(from: string, to: string): void {
  writeNoFollow(to, readFileSync(from));
}
