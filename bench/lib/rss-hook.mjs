// Preloaded with NODE_OPTIONS=--import when GNU time is missing: each Node process in the
// measured tree appends its own peak RSS (KB) to BENCH_RSS_FILE on exit; the bench keeps the max.
import { appendFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The measurement is best effort; never change the measured command's outcome.
    }
  });
}
