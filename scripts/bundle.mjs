// Bundles the compiled CLI (dist/src/**) into dist/bundle/ with esbuild: one file per entry
// plus lazily loaded chunks. Node spends most of a short command's start-up resolving and
// reading the many small module files of zod, yaml and commander; a bundle cuts that to a
// few files. cdktf, constructs and the provider packages stay external (loaded from
// node_modules, only by `synth` and the engine commands, only the target cloud's submodules).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * zod re-exports every locale (`z.locales`, ~370 KB) that mlplat never uses: English is
 * registered by the schemas themselves. Stubbing the index halves the zod chunk Node must
 * read and compile on every start.
 */
const noZodLocales = {
  name: "no-zod-locales",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "mlplat-stub" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "mlplat-stub" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/**
 * cdktf and the provider packages are CommonJS. Imported from ESM, Node runs its CJS export
 * lexer over each entry file and detects its module format first: with the provider
 * submodules' multi-megabyte sources that is ~120 ms of a synth (node --cpu-prof). Loading
 * them with require() from a tiny CommonJS shim skips both; they stay external (node_modules).
 */
const requireCdktf = {
  name: "require-cdktf",
  setup(b) {
    const pkg = /^(cdktf|constructs|@cdktf\/[^/]+)(\/.*)?$/;
    const buildRequire = createRequire(import.meta.url);
    b.onResolve({ filter: pkg }, (args) =>
      args.namespace === "mlplat-cjs" ? { path: args.path, external: true } : { path: args.path, namespace: "mlplat-cjs" },
    );
    b.onLoad({ filter: /.*/, namespace: "mlplat-cjs" }, (args) => ({ contents: lazyShim(args.path, buildRequire), loader: "js" }));
  },
};

/**
 * A provider submodule is required on first use of one of its exports, not when the chunk that
 * imports it loads: a stack's constructs import every class their section could need, and a
 * blueprint without that section (no cluster, no managed endpoint) then never pays for those
 * multi-megabyte files. The export names are read at build time from the same installed
 * version; `__esModule` stays a plain value so reading it does not trigger the load.
 */
function lazyShim(path, buildRequire) {
  const real = buildRequire(path);
  const keys = Object.keys(real).filter((k) => k !== "__esModule");
  return [
    `let m; const load = () => m || (m = require(${JSON.stringify(path)}));`,
    real.__esModule ? `Object.defineProperty(exports, "__esModule", { value: true });` : "",
    `for (const k of ${JSON.stringify(keys)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });`,
  ].join("\n");
}

rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: { main: "dist/src/cli/main.js", "cdktf-app": "dist/src/synth/cdktf-app.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __mlplatRequire } from 'node:module'; const require = __mlplatRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none",
  plugins: [noZodLocales, requireCdktf],
  // Smaller sources compile faster at every start. keepNames keeps function and class names,
  // so the trace of an internal error stays readable.
  minify: true,
  keepNames: true,
});
