#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import("../dist/src/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/src/cli/main.js")) {
    process.stderr.write("mlplat: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the mlplat folder.\n");
    process.exit(70);
  }
  throw err;
});
