import { describe, expect, it } from "vitest";
import { createProgress, formatElapsed } from "../../src/engine/progress.js";

function recorder() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (c: string) => (chunks.push(c), true) } as unknown as NodeJS.WriteStream };
}

describe("progress", () => {
  it("formats elapsed time in seconds, then minutes", () => {
    expect(formatElapsed(1234)).toBe("1.2s");
    expect(formatElapsed(42_000)).toBe("42s");
    expect(formatElapsed(725_000)).toBe("12m05s");
  });

  it("prints plain start and end lines with the elapsed time when not live (CI, pipes, --verbose)", async () => {
    const { chunks, stream } = recorder();
    let t = 1000;
    const progress = createProgress({ live: false, stream, now: () => t });
    const result = await progress.step("plan", "fraud-default", async () => {
      t += 3200;
      return 42;
    });
    expect(result).toBe(42);
    expect(chunks.join("")).toBe("… plan fraud-default\n✓ plan fraud-default (3.2s)\n");
  });

  it("marks a failed step and lets its error through", async () => {
    const { chunks, stream } = recorder();
    const progress = createProgress({ live: false, stream, now: () => 0 });
    await expect(progress.step("apply", "fraud-default", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(chunks.at(-1)).toBe("✗ apply fraud-default (0.0s)\n");
  });

  it("redraws one line in place when live, ending with the final line", async () => {
    const { chunks, stream } = recorder();
    const progress = createProgress({ live: true, stream, now: () => 0 });
    await progress.step("init", "fraud-default", async () => undefined);
    expect(chunks[0]).toBe("\r\u001b[2K⠋ init fraud-default 0.0s");
    expect(chunks.at(-1)).toBe("\r\u001b[2K✓ init fraud-default (0.0s)\n");
    expect(chunks.join("").split("\n")).toHaveLength(2);
  });
});
