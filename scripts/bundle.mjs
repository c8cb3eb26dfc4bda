// Bundles the compiled CLI (dist/src/**) into dist/bundle/ with esbuild: one file per entry
// plus lazily loaded chunks. Node spends most of a short command's start-up resolving and
// reading the many small module files of zod, yaml and commander; a bundle cuts that to a
// few files. cdktf, constructs and the provider packages stay external (loaded from
// node_modules, only by `synth` and the engine commands, only the target cloud's submodules).
import { build, transformSync } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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
    // The minified provider copies (vendorProviderFile) are required at run time, next to the chunk.
    b.onResolve({ filter: /^\.\.\/vendor\// }, (args) => (args.namespace === "mlplat-cjs" ? { path: args.path, external: true } : undefined));
    b.onResolve({ filter: pkg }, (args) =>
      args.namespace === "mlplat-cjs" ? { path: args.path, external: true } : { path: args.path, namespace: "mlplat-cjs" },
    );
    b.onLoad({ filter: /.*/, namespace: "mlplat-cjs" }, (args) => ({
      contents: (args.path === "cdktf" ? lazyCdktfIndex(buildRequire) : "") + lazyShim(args.path, buildRequire),
      loader: "js",
    }));
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
  const all = Object.keys(real).filter((k) => k !== "__esModule");
  const used = importedNames().get(path);
  const missing = used instanceof Set ? [...used].filter((k) => !all.includes(k)) : [];
  if (missing.length) throw new Error(`scripts/bundle.mjs: ${path} has no export ${missing.join(", ")}`);
  const keys = used instanceof Set ? all.filter((k) => used.has(k)) : all;
  const target = vendorProviderFile(path, buildRequire) ?? path;
  return [
    `let m; const load = () => m || (m = require(${JSON.stringify(target)}));`,
    real.__esModule ? `Object.defineProperty(exports, "__esModule", { value: true });` : "",
    `for (const k of ${JSON.stringify(keys)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });`,
  ].join("\n");
}

/**
 * A provider submodule is a multi-megabyte CommonJS file: the generated class with every
 * attribute's getter, setter and reset method, the HCL renderers, doc comments, and an inline
 * source map holding the whole TypeScript source again (4.4 MB for the 33 files an AWS synth
 * loads). Node reads and pre-parses all of it on every synth. The bundle ships a minified copy of
 * each submodule mlplat imports (dist/vendor/<package>/lib/…, 4.4 → 0.6 MB; requiring the 33
 * takes 12 ms instead of 26): the same code, names kept, comments and the source map dropped.
 * The copies still require "cdktf" from node_modules, so there is one cdktf. The providers are
 * MPL-2.0: each copy says where its source is (the same package version, installed beside
 * mlplat as its dependency). Returns the specifier the shim requires, relative to the chunk.
 */
function vendorProviderFile(path, buildRequire) {
  if (!/^@cdktf\/provider-[^/]+\/lib\//.test(path)) return undefined;
  const file = buildRequire.resolve(path);
  const rel = vendorFile(file);
  if (!rel.startsWith(path.split("/").slice(0, 2).join("/") + "/lib/")) throw new Error(`scripts/bundle.mjs: cannot place ${path} (${file}) in dist/vendor`);
  return `../vendor/${rel}`;
}

/** Writes the minified copy of one provider file and of the files it requires relatively (some google submodules split their structs into ./index-structs). Returns its path under dist/vendor. */
const vendored = new Set();
function vendorFile(file) {
  const root = file.slice(0, file.lastIndexOf("/node_modules/") + "/node_modules/".length);
  const rel = file.slice(root.length);
  if (vendored.has(rel)) return rel;
  vendored.add(rel);
  const pkgName = rel.split("/").slice(0, 2).join("/");
  const pkg = JSON.parse(readFileSync(join(root, pkgName, "package.json"), "utf8"));
  const source = readFileSync(file, "utf8");
  const { code } = transformSync(source, {
    loader: "js",
    format: "cjs",
    target: "node20",
    minify: true,
    // No keepNames here (the bundle keeps them): a provider submodule defines hundreds of struct
    // classes, and keepNames adds a defineProperty for each at every load (~5 ms of a GCP synth).
    // Nothing reads their names: cdktf and jsii identify classes by symbols, and constructs names
    // a class only in an error about a construct's own children, which our stacks' classes own.
    keepNames: false,
    legalComments: "none",
    banner: `// Minified by mlplat's build (scripts/bundle.mjs) from ${pkg.name}@${pkg.version} ${rel.slice(pkgName.length + 1)}, ${pkg.license}; the source is that file of the package, installed as mlplat's dependency (${pkg.repository?.url ?? pkg.homepage ?? "npm"}).`,
  });
  const dest = join("dist/vendor", rel);
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, code);
  // Every require must be one the copy can keep: cdktf or constructs (resolved from node_modules
  // as before) or a file of the same package (copied too, at the same relative place).
  const specs = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
  const odd = specs.filter((x) => !/^(cdktf|constructs|\.{1,2}\/.*)$/.test(x));
  if (odd.length || specs.length !== (source.match(/\brequire\(/g) ?? []).length) throw new Error(`scripts/bundle.mjs: ${rel} has a require the vendored copy cannot keep (${odd.join(", ") || "not a plain string"})`);
  const from = createRequire(file);
  for (const spec of specs.filter((x) => x.startsWith("."))) {
    const dep = from.resolve(spec);
    if (!dep.startsWith(join(root, pkgName) + "/")) throw new Error(`scripts/bundle.mjs: ${rel} requires ${spec} outside its package`);
    vendorFile(dep);
  }
  return rel;
}

/**
 * The names mlplat's compiled sources import from each package path, so that a shim defines
 * only those: a provider submodule exports hundreds of nested-block classes (3,835 names in all
 * the submodules the stacks import, of which they use 165), and every name costs a property on
 * the shim and another on esbuild's ESM wrapper when the chunk loads. A path that is ever
 * imported any other way than `import { a, b } from "…"` (a namespace or default import, a
 * re-export, a dynamic import, a mention in a comment) keeps all its names ("*").
 */
let imported;
function importedNames() {
  if (imported) return imported;
  imported = new Map();
  const spec = /(["'])((?:cdktf|constructs|@cdktf\/[^/"']+)(?:\/[^"']*)?)\1/g;
  const named = /\bimport\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2/g;
  for (const file of jsFiles("dist/src").concat(jsFiles("dist/stacks"))) {
    const text = readFileSync(file, "utf8");
    const mentions = new Map();
    for (const [, , path] of text.matchAll(spec)) mentions.set(path, (mentions.get(path) ?? 0) + 1);
    for (const [, list, , path] of text.matchAll(named)) {
      if (!mentions.has(path)) continue;
      mentions.set(path, mentions.get(path) - 1);
      if (imported.get(path) === "*") continue;
      const names = imported.get(path) ?? new Set();
      for (const part of list.split(",")) {
        const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0];
        if (name) names.add(name);
      }
      imported.set(path, names);
    }
    for (const [path, left] of mentions) if (left > 0) imported.set(path, "*");
  }
  return imported;
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith(".js") ? [join(dir, e.name)] : []));
}

/**
 * cdktf's index requires all of its 171 files (backends, HCL rendering, testing helpers, every
 * Terraform function, …) before anything runs. The provider submodules and mlplat's stacks reach
 * cdktf only through that index's exports, so the shim puts a lazy index in Node's module cache
 * instead: the same export names, each a getter that requires the one file defining it (the file
 * the real index re-exports it from, read here from the installed version and checked to give
 * exactly the real index's names). Files are then loaded as their exports are first used, with
 * their own dependencies; the classes are the same objects, from the same files. The real
 * index's one statement besides re-exports, validateEnvironment(), runs as it does there. If
 * cdktf's index is already loaded (by a program that loaded it before the CLI), it is used as is.
 */
function lazyCdktfIndex(buildRequire) {
  const indexPath = buildRequire.resolve("cdktf");
  const source = readFileSync(indexPath, "utf8");
  const fileOf = {};
  // `__exportStar(require("./x"), exports)`: the first file to export a name wins, as there.
  for (const [, file] of source.matchAll(/__exportStar\(require\("(\.[^"]+)"\), exports\)/g)) {
    for (const name of Object.keys(buildRequire(join(dirname(indexPath), file)))) {
      if (name !== "default" && name !== "__esModule" && !(name in fileOf)) fileOf[name] = file;
    }
  }
  // `exports.name = require("./x")`: the whole module under one name.
  for (const [, name, file] of source.matchAll(/exports\.(\w+) = require\("(\.[^"]+)"\)/g)) fileOf[name] = `=${file}`;
  const real = Object.keys(buildRequire("cdktf")).filter((k) => k !== "__esModule").sort();
  if (JSON.stringify(real) !== JSON.stringify(Object.keys(fileOf).sort()) || !/validateEnvironment\)\(\)/.test(source)) {
    throw new Error("scripts/bundle.mjs: cdktf's index no longer has the layout the lazy index reproduces; update lazyCdktfIndex (or drop it)");
  }
  return `{
  const indexPath = require.resolve("cdktf");
  if (!require.cache[indexPath]) {
    const { Module } = require("node:module");
    const dir = require("node:path").dirname(indexPath);
    const index = Object.assign(new Module(indexPath), { filename: indexPath, loaded: true, paths: Module._nodeModulePaths(dir) });
    Object.defineProperty(index.exports, "__esModule", { value: true });
    const fileOf = ${JSON.stringify(fileOf)};
    const loaded = {}; // file → its exports, so that a hot path pays one lookup, not a require()
    // cdktf's terraform-element, -stack, -provider and -backend files require each other in a
    // cycle that only terraform-stack can enter first (the real index's order): entered through
    // terraform-backend (a class extending TerraformBackend evaluated first), a class in the
    // cycle extends undefined. Every synth needs terraform-stack: it is loaded first.
    let entered = false;
    const load = (file) => loaded[file] || (loaded[file] = (entered || ((entered = true), require(dir + "/terraform-stack")), require(dir + "/" + file)));
    for (const name in fileOf) {
      const file = fileOf[name];
      const get = file[0] === "=" ? () => load(file.slice(1)) : () => load(file)[name];
      Object.defineProperty(index.exports, name, { enumerable: true, get });
    }
    require.cache[indexPath] = index;
    try {
      require(dir + "/validateEnvironment").validateEnvironment();
    } catch (err) {
      delete require.cache[indexPath];
      throw err;
    }
  }
}
`;
}

rmSync("dist/bundle", { recursive: true, force: true });
rmSync("dist/vendor", { recursive: true, force: true });
// The vendored provider files are CommonJS; the project's package.json says "module".
mkdirSync("dist/vendor", { recursive: true });
writeFileSync("dist/vendor/package.json", `{ "type": "commonjs" }\n`);
const minify = process.env.MLPLAT_NO_MINIFY ? false : true;

// cdktf-cli's entry (cdktf.json): an ESM bundle as before.
await build({
  entryPoints: { "cdktf-app": "dist/src/synth/cdktf-app.js" },
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
  minify,
  keepNames: true,
});

/**
 * `@viz-js/viz` (1.5 MB, only for `graph --format svg`) stays in node_modules, loaded with
 * require() when that command runs: the CLI bundle keeps no import() (see below).
 */
const vizRequire = {
  name: "viz-require",
  setup(b) {
    b.onResolve({ filter: /^@viz-js\/viz$/ }, (args) => (args.namespace === "mlplat-viz" ? { path: args.path, external: true } : { path: args.path, namespace: "mlplat-viz" }));
    b.onLoad({ filter: /.*/, namespace: "mlplat-viz" }, () => ({ contents: 'module.exports = require("@viz-js/viz");', loader: "js" }));
  },
};

/**
 * The CLI: one CommonJS file (dist/bundle/main.cjs), which bin/mlplat.js runs through a V8 code
 * cache (src/cli/code-cache.ts, bundled as dist/bundle/launch.cjs). Node 20 can cache compiled
 * code only for a script it compiles through node:vm, not for ES modules. esbuild turns the
 * sources' import() of their own modules into lazily initialised parts of the one file; no real
 * import() may remain, since a script compiled from a cache loses Node 20's dynamic-import hook
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): checked below.
 */
await build({
  entryPoints: ["dist/src/cli/main.js"],
  outfile: "dist/bundle/main.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  define: { "import.meta.url": "__mlplatImportMetaUrl" },
  banner: { js: 'var __mlplatImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
  legalComments: "none",
  plugins: [noZodLocales, requireCdktf, vizRequire],
  minify,
  keepNames: true,
});
const main = readFileSync("dist/bundle/main.cjs", "utf8");
// One non-ASCII character (esbuild keeps them in regular expressions) makes V8 hold the whole
// 1 MB source as a two-byte string: slower to decode, hash and compile on every start. Write
// \uXXXX in the source instead.
// (An unminified build, MLPLAT_NO_MINIFY=1 for profiling, keeps comments and is not checked.)
const wide = minify ? /[^\x00-\x7f]/.exec(main) : null;
if (wide) throw new Error(`scripts/bundle.mjs: dist/bundle/main.cjs holds a non-ASCII character (${JSON.stringify(main.slice(Math.max(0, wide.index - 60), wide.index + 20))}); write it as \\u${wide[0].charCodeAt(0).toString(16).padStart(4, "0")} in the source`);
if (/\bimport\(/.test(main.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'))) {
  throw new Error("scripts/bundle.mjs: dist/bundle/main.cjs still calls import(); bundle that module or require() it (see vizRequire)");
}
await build({
  entryPoints: ["src/cli/code-cache.ts"],
  outfile: "dist/bundle/launch.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  minify,
});
