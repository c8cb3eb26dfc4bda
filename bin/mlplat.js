#!/usr/bin/env node
"use strict";
// Thin launcher (CommonJS: bin/package.json). The CLI is compiled (tsc → dist/src) and bundled
// (esbuild → dist/bundle) by `npm ci` through the prepare script; dist/bundle/launch.cjs runs
// the bundle through a V8 code cache (src/cli/code-cache.ts).
const { join } = require("node:path");
let launch;
try {
  launch = require("../dist/bundle/launch.cjs");
  launch.runBundle(join(__dirname, "..", "dist", "bundle", "main.cjs"));
} catch (err) {
  if (err && (err.code === "MODULE_NOT_FOUND" || err.code === "ENOENT") && /dist[\\/]bundle[\\/](launch|main)\.c?js/.test(String(err.message))) {
    process.stderr.write("mlplat: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the mlplat folder.\n");
    process.exit(70);
  }
  throw err;
}
