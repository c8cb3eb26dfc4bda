import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * `mlplat.json`, written by synth at the top of every output it makes. It is how mlplat
 * recognises its own output, the only folder it will replace as a whole: cdktf's manifest.json
 * is not enough (any web app or browser extension has one).
 */
export const MARKER_FILE = "mlplat.json";
export const MARKER_FORMAT = "mlplat-synth-output/1";

export const OutputMarker = z.object({
  /** Absent in outputs written before the format tag existed (same shape otherwise). */
  format: z.literal(MARKER_FORMAT).optional(),
  blueprint: z.string().min(1),
  env: z.string().min(1),
  cloud: z.enum(["aws", "gcp", "azure"]),
  stacks: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)).min(1),
  offline: z.boolean(),
});
export type OutputMarker = z.infer<typeof OutputMarker>;

export function markerText(m: Omit<OutputMarker, "format">): string {
  return JSON.stringify({ format: MARKER_FORMAT, ...m }, null, 2) + "\n";
}

/** A marker this large is not one of ours (ours are a few hundred bytes). */
const MAX_MARKER_BYTES = 64 * 1024;

/** The marker of `dir` when it is a plain file with the expected shape; undefined otherwise. */
export function readMarker(dir: string): OutputMarker | undefined {
  const file = join(dir, MARKER_FILE);
  try {
    if (!lstatSync(file).isFile()) return undefined;
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return undefined;
      const buf = Buffer.alloc(MAX_MARKER_BYTES + 1);
      const n = readSync(fd, buf, 0, buf.length, 0);
      if (n > MAX_MARKER_BYTES) return undefined;
      const r = OutputMarker.safeParse(JSON.parse(buf.subarray(0, n).toString("utf8")));
      return r.success ? r.data : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
