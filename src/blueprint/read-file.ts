import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** Largest blueprint we read; anything bigger is not a blueprint. */
export const MAX_BYTES = 4 * 1024 * 1024;

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly hint: string; readonly errno?: string };

/**
 * Reads a blueprint file: a regular file only, at most MAX_BYTES. The file is opened without
 * blocking (a FIFO with no writer would otherwise wait forever) and checked with fstat on the
 * open descriptor, so what is checked is what is read; the read itself stops at the limit, so
 * /dev/zero, /dev/urandom or a file that grows after the check can't exhaust memory.
 * `extraFlags` are or-ed into the open flags (O_NOFOLLOW for files the blueprint names, see
 * ./referenced-file.ts); a failed open reports the errno in `errno`. `opened`, when given, judges
 * the open descriptor before anything is read (where the file that was opened really is).
 */
export function readBlueprintBytes(file: string, extraFlags = 0, opened?: (fd: number) => ReadResult | undefined): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | extraFlags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      code: "MLP_FILE_UNREADABLE",
      errno: code,
      message: code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(e)}).`,
      hint: code === "ENOENT" ? "check the path, or run `mlplat init` to write a starter blueprint." : "check the file's permissions.",
    };
  }
  try {
    const refused = opened?.(fd);
    if (refused) return refused;
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, code: "MLP_FILE_IS_DIRECTORY", message: `${file} is a directory, not a blueprint file.`, hint: "pass the path of a .yaml blueprint file." };
    if (!st.isFile()) {
      return { ok: false, code: "MLP_FILE_NOT_REGULAR", message: `${file} is ${kindOf(st)}, not a regular file; a blueprint is read from a file.`, hint: "pass the path of a .yaml blueprint file (save piped or generated YAML to a file first)." };
    }
    const tooLarge = (size: string) => ({ ok: false as const, code: "MLP_FILE_TOO_LARGE", message: `the file is ${size} bytes; blueprints are at most ${MAX_BYTES}.`, hint: "pass a blueprint YAML file." });
    if (st.size > MAX_BYTES) return tooLarge(String(st.size));
    // Read in chunks up to one byte past the limit: a file that grew since fstat is still caught.
    const chunk = Buffer.alloc(64 * 1024);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      total += got;
      if (total > MAX_BYTES) return tooLarge(`more than ${MAX_BYTES}`);
      chunks.push(Buffer.from(chunk.subarray(0, got)));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, code: "MLP_FILE_UNREADABLE", message: `cannot read ${file} (${code ?? String(e)}).`, hint: "check the file's permissions." };
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
