// Preloaded with NODE_OPTIONS=--import when GNU time is missing: each Node process in the
// measured tree appends its own peak RSS (KB) and CPU time (µs) to BENCH_RSS_FILE on exit; the
// bench keeps the largest RSS and the sum of CPU times.
import { appendFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      const u = process.resourceUsage();
      appendFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
    } catch {
      // The measurement is best effort; never change the measured command's outcome.
    }
  });
}
