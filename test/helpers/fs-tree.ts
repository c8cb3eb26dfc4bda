import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const SPEC = resolve("test/fixtures/spec-example.yaml");

/** A fresh folder holding the spec example blueprint as `platform.yaml` (or at `at`, relative). */
export function blueprintWorkspace(at = "platform.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "mlplat-sec-"));
  cpSync(SPEC, join(dir, at), { recursive: true });
  return dir;
}

/**
 * Every entry under `dir` with its content (files), target (links) or `<dir>`, without
 * following links: what a test compares before and after a refused command.
 */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel + name] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel + name + "/"] = "<dir>";
        walk(p, `${rel}${name}/`);
      } else out[rel + name] = readFileSync(p, "utf8");
    }
  };
  walk(dir, "");
  return out;
}
