import { createRequire, Module } from "node:module";

/**
 * Packages cdktf loads with its index but needs only for features mlplat's stacks never use.
 * Each gets a stand-in in Node's module cache before cdktf loads: the first real use (a call, or
 * reading a property) loads the real package and hands over to it, so behaviour is unchanged;
 * until then nothing of it is read. test/synth/defer-packages.test.ts checks both with the
 * built CLI. Measured with node --cpu-prof (issue 19):
 *  - `archiver` (through lib/private/fs.js) zips a TerraformAsset, which mlplat never creates;
 *    it and the tree it pulls in (lodash, readable-stream, compress-commons, glob, …) were
 *    60-90 ms of every synth, more than the rest of cdktf's own loading;
 *  - `semver` (45 files, ~13 ms) is used only when a ValidateBinaryVersion runs, i.e. when a
 *    stack has import blocks, moved blocks or a `cloud` backend (cdktf then runs
 *    `terraform version` during synth); mlplat's stacks that have none never touch it.
 *
 * cdktf is pinned (0.21.0, archived); if a layout differs, or cdktf or the package is already
 * loaded, that package is simply loaded as usual.
 */
const DEFERRED: readonly { readonly from: string; readonly pkg: string }[] = [
  { from: "cdktf/lib/private/fs.js", pkg: "archiver" },
  { from: "cdktf/lib/validations/validate-binary-version.js", pkg: "semver" },
];

export function deferPackages(): void {
  for (const { from, pkg } of DEFERRED) deferPackage(from, pkg);
}

function deferPackage(from: string, pkg: string): void {
  try {
    const fromFile = createRequire(import.meta.url).resolve(from);
    const fromCdktf = createRequire(fromFile);
    const path = fromCdktf.resolve(pkg);
    const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
    if (cache[fromFile] || cache[path]) return;
    let real: ((...args: unknown[]) => unknown) | undefined;
    const load = () => {
      if (!real) {
        if (cache[path] === standIn) delete cache[path];
        real = fromCdktf(pkg) as (...args: unknown[]) => unknown;
      }
      return real;
    };
    // A function target, so that a callable package (archiver) can be called through it.
    const exports = new Proxy(function deferred() {}, {
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
