import type { FieldPath } from "./diagnostics.js";
import { locate, parseBlueprintFile, type ParsedFile } from "./parse.js";

/**
 * Where a blueprint field is written, for errors found after validate (terraform's): the
 * chosen environment's overlay when it sets the field, else the base. Built once per error;
 * a file that no longer parses locates nothing (the error is still reported, unlocated).
 */
export interface FieldLocation {
  /** The path as written: under `environments.<env>` when the overlay sets it. */
  readonly path: FieldPath;
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  readonly source?: string;
}

export class BlueprintLocator {
  private readonly parsed?: ParsedFile;

  constructor(
    readonly file: string,
    readonly env: string = "default",
  ) {
    this.parsed = parseBlueprintFile(file).parsed;
  }

  /** The overlay's path when the environment sets the field, else the base path. */
  private source(path: FieldPath): FieldPath {
    const overlay = ["environments", this.env, ...path];
    return this.parsed && valueAt(this.parsed.value, overlay).found ? overlay : path;
  }

  locate(path: FieldPath): FieldLocation {
    const source = this.source(path);
    const at = this.parsed ? locate(this.parsed, source) : undefined;
    return { path: source, file: this.file, line: at?.line, col: at?.col, source: at?.source };
  }

  /** `spec.storage.buckets[2]` for the bucket named `name` (as the environment sees the list), or undefined. */
  itemPath(list: FieldPath, name: string): FieldPath | undefined {
    const source = this.source(list);
    const json = this.parsed ? valueAt(this.parsed.value, source).value : undefined;
    if (!Array.isArray(json)) return undefined;
    const i = json.findIndex((it) => (it as { name?: unknown } | null)?.name === name);
    // Returned as the base path: `locate` maps it to the overlay again.
    return i < 0 ? undefined : [...list, i];
  }
}

/** The value at a path of the parsed blueprint, and whether the path exists (a null value does). */
function valueAt(root: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === "number" && seg >= 0 && seg < cur.length) cur = cur[seg];
    else if (cur !== null && typeof cur === "object" && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, String(seg))) cur = (cur as Record<string, unknown>)[String(seg)];
    else return { found: false };
  }
  return { found: true, value: cur };
}
