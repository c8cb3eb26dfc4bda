import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The seams of STYLE.md, checked on the sources: cdktf stays behind `stacks/` (it is archived
 * upstream; the seam is what lets the synth backend be swapped), stacks never read YAML or the
 * zod schema, and no one loads a provider package's index (~2 s and ~500 MB per cloud).
 */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Runtime (not type-only) import specifiers of a file. */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*import\s+(?!type\s)[^;]*?from\s+["']([^"']+)["']/gms)) out.push(m[1]!);
  for (const m of src.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

const isCdktf = (spec: string) => spec === "cdktf" || spec.startsWith("cdktf/") || spec.startsWith("@cdktf/");

describe("architecture", () => {
  it("keeps cdktf and the providers out of src/ (only the synth entry reaches stacks/, lazily)", () => {
    const offenders = files("src").flatMap((f) => runtimeImports(f).filter(isCdktf).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it("lets src/ reach stacks/ only through lazy imports of the synth entry and the cloud stacks", () => {
    const offenders = files("src").flatMap((f) => {
      const src = readFileSync(f, "utf8");
      return [...src.matchAll(/^\s*import\s+(?!type\s)[^;]*?from\s+["']([^"']*stacks\/[^"']+)["']/gms)].map((m) => `${f}: ${m[1]}`);
    });
    expect(offenders).toEqual([]);
  });

  it("keeps YAML, zod and the blueprint layer out of stacks/", () => {
    const offenders = files("stacks").flatMap((f) =>
      runtimeImports(f)
        .filter((s) => s === "yaml" || s === "zod" || s.includes("/blueprint/"))
        .map((s) => `${f}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("imports provider classes by submodule, never a provider package's index", () => {
    const offenders = [...files("src"), ...files("stacks"), ...files("examples")].flatMap((f) =>
      runtimeImports(f)
        .filter((s) => /^@cdktf\/provider-[a-z]+(\/lib(\/index\.js)?)?$/.test(s))
        .map((s) => `${f}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
