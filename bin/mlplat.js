#!/usr/bin/env node
// Thin launcher. The CLI is compiled (tsc → dist/src) and bundled (esbuild → dist/bundle) by
// `npm ci` through the prepare script; the bundle starts about twice as fast as the module tree.
import("../dist/bundle/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/bundle/main.js")) {
    process.stderr.write("mlplat: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the mlplat folder.\n");
    process.exit(70);
  }
  throw err;
});
