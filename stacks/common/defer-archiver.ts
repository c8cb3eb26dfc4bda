import { createRequire, Module } from "node:module";

/**
 * cdktf's index loads `archiver` (through lib/private/fs.js) for one thing: zipping a
 * TerraformAsset, which mlplat's stacks never create. archiver and the tree it pulls in (lodash,
 * readable-stream, compress-commons, glob, …) were 60-90 ms of every synth, more than the rest
 * of cdktf's own loading (node --cpu-prof, issue 19). This puts a stand-in for archiver in
 * Node's module cache before cdktf loads: the first call (an asset being zipped) loads the real
 * package and hands over to it, so behaviour is unchanged; until then nothing is loaded.
 * test/synth/defer-archiver.test.ts checks both with the built CLI.
 *
 * cdktf is pinned (0.21.0, archived); if the layout differs, or cdktf or archiver is already
 * loaded, this does nothing.
 */
export function deferArchiver(): void {
  try {
    const fsFile = createRequire(import.meta.url).resolve("cdktf/lib/private/fs.js");
    const fromCdktf = createRequire(fsFile);
    const path = fromCdktf.resolve("archiver");
    const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
    if (cache[fsFile] || cache[path]) return;
    let real: ((...args: unknown[]) => unknown) | undefined;
    const load = () => {
      if (!real) {
        if (cache[path] === standIn) delete cache[path];
        real = fromCdktf("archiver") as (...args: unknown[]) => unknown;
      }
      return real;
    };
    const exports = new Proxy(function archiver() {}, {
      apply: (_t, thisArg, args) => Reflect.apply(load(), thisArg, args),
      get: (_t, key) => (load() as unknown as Record<PropertyKey, unknown>)[key],
      has: (_t, key) => key in (load() as object),
    });
    const standIn = Object.assign(new Module(path), { filename: path, loaded: true, exports });
    cache[path] = standIn;
  } catch {
    // another layout: load as usual
  }
}
