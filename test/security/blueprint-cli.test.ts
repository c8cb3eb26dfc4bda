import { execFileSync, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hasStackTrace, mlplat } from "../helpers/cli.js";
import { BASE, dir, write } from "./blueprint-fixtures.js";

/**
 * Adversarial tier, the built CLI on hostile blueprint input (issue 12): every case exits 1 with
 * a located message, no stack trace, and quickly.
 */

function validate(file: string, ...extra: string[]) {
  const t0 = performance.now();
  const r = mlplat(["validate", file, ...extra]);
  return { ...r, ms: performance.now() - t0 };
}

describe("mlplat validate on files that are not blueprint files", () => {
  it.each([
    ["/dev/zero", "a character device"],
    ["/dev/urandom", "a character device"],
  ])("%s: exit 1 at once, not a hang", (file, kind) => {
    const r = validate(file);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.stderr).toContain(`${file} error MLP_FILE_NOT_REGULAR (document)\n  ${file} is ${kind}, not a regular file; a blueprint is read from a file.`);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("a FIFO with no writer: exit 1 at once, not a hang", async () => {
    const fifo = join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    // spawn, not spawnSync: if the CLI blocked on the FIFO, the test must still end.
    const child = spawn(process.execPath, [BIN, "validate", fifo], { env: { ...process.env, CI: "true", NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => (child.kill("SIGKILL"), done(-1)), 20_000);
      child.on("exit", (c) => (clearTimeout(timer), done(c)));
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`${fifo} is a named pipe (FIFO), not a regular file; a blueprint is read from a file.`);
  });

  it("a missing file and a folder keep their messages", () => {
    expect(validate(join(dir, "nope.yaml")).stderr).toContain("MLP_FILE_UNREADABLE");
    expect(validate(dir).stderr).toContain("MLP_FILE_IS_DIRECTORY");
  });
});

describe("mlplat validate on hostile YAML", () => {
  it("1,000,000 nested [: a depth error in seconds, a short report, exit 1", () => {
    const r = validate(write(`${BASE}  x: ${"[".repeat(1_000_000)}\n`));
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.stderr).toContain("error MLP_YAML_TOO_DEEP (document)\n  the YAML nests more than 64 levels deep; a blueprint needs about 8.");
    expect(r.stderr.length).toBeLessThan(1500);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("tags, prototype keys, control characters and overlay mistakes: exit 1, each named", () => {
    const text = BASE.replace("owner: team@example.com", "owner: !!binary aGVsbG8=\n  labels: { __proto__: x, a: \"\\u202e\" }");
    const r = validate(write(text));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the YAML tag `!!binary` is not allowed");
    expect(r.stderr).toContain("`__proto__` can't be a key");
    expect(r.stderr).toContain("the bidirectional control U+202E (right-to-left override)");
    expect(r.stderr).not.toContain("\u202e");
    const overlay = `${BASE}environments:\n  prod:\n    spec:\n      storage: { buckets: { datasets: 5 } }\n`;
    const o = validate(write(overlay), "--env", "prod", "--json");
    expect(o.code).toBe(1);
    const json = JSON.parse(o.stdout);
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ code: "MLP_OVERLAY_ITEM_NOT_MAPPING", line: 17, path: "environments.prod.spec.storage.buckets.datasets" }),
    ]);
  });

  it("a raw ESC in a key reaches neither the terminal nor --json unescaped", () => {
    const file = write(BASE.replace("owner: team@example.com", "owner: team@example.com\n  labels: { \"a\u001b[2Jb\": x }"));
    const text = validate(file);
    const json = validate(file, "--json");
    for (const out of [text.stderr, json.stdout]) expect(out).not.toContain("\u001b");
    expect(text.stderr).toContain("a\\u{1B}[2Jb");
  });

  it("the reference blueprints still validate", () => {
    const r = mlplat(["validate", resolve("blueprints/llm-serving.yaml"), "--all-envs"]);
    expect(r.code).toBe(0);
  });
});
