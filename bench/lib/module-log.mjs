// Preloaded with `node --import` by the bench's loading check: records every module file the
// process loads (ESM through a loader hook, CommonJS through Module._load) in BENCH_MODULE_LOG.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.BENCH_MODULE_LOG;
if (file) {
  register(new URL("./module-log-hooks.mjs", import.meta.url), { data: { file } });
  const Module = createRequire(import.meta.url)("node:module");
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const exports = load.apply(this, arguments);
    try {
      const resolved = Module._resolveFilename(request, parent, isMain);
      if (resolved.startsWith("/")) appendFileSync(file, resolved + "\n");
    } catch {
      // builtins and odd requests: not files, nothing to record
    }
    return exports;
  };
}
