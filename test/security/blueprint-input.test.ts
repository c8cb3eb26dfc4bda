import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticJson, isError } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { BASE, codes, dir, load, only, render } from "./blueprint-fixtures.js";

/**
 * Adversarial tier, blueprint input (issue 12): each case below was a crash, a hang, a silent
 * acceptance or a misleading message; each stays an error with a located, pinned message.
 */

describe("prototype keys", () => {
  it.each(["__proto__", "constructor", "prototype"])("rejects `%s` as a key, located, before anything merges it", (key) => {
    const d = only(`${BASE}  ${key}: { cluster: { version: "1.33" } }\n`, "MLP_FORBIDDEN_KEY");
    expect(d.message).toBe(`\`${key}\` can't be a key: it names a property of every JavaScript object, so it could reach past the schema.`);
    expect(d).toMatchObject({ line: 14, col: 3, path: ["spec", key] });
  });

  it("rejects __proto__ inside an overlay (it used to add a hidden cluster)", () => {
    const text = `${BASE}environments:\n  prod:\n    spec:\n      __proto__: { cluster: { nodePools: [] } }\n`;
    const d = only(text, "MLP_FORBIDDEN_KEY", { env: "prod" });
    expect(d).toMatchObject({ line: 17, col: 7, path: ["environments", "prod", "spec", "__proto__"] });
  });

  it("rejects an environment named __proto__ or constructor", () => {
    expect(codes(`${BASE}environments:\n  __proto__: { spec: { region: us-west-2 } }\n`)).toEqual(["MLP_FORBIDDEN_KEY"]);
    expect(codes(`${BASE}environments:\n  constructor: { spec: { region: us-west-2 } }\n`, { env: "constructor" })).toEqual(["MLP_FORBIDDEN_KEY"]);
  });

  it("rejects prototype keys in quoted form, in labels, in lists and as flow keys", () => {
    expect(codes(`${BASE}  network: { "__proto__": { cidr: 10.1.0.0/16 } }\n`)).toEqual(["MLP_FORBIDDEN_KEY"]);
    expect(codes(BASE.replace("  owner: team@example.com\n", "  owner: team@example.com\n  labels: { constructor: x }\n"))).toEqual(["MLP_FORBIDDEN_KEY"]);
    expect(codes(BASE.replace("      - name: models\n", "      - name: models\n        prototype: {}\n"))).toEqual(["MLP_FORBIDDEN_KEY"]);
  });

  it("rejects a __proto__ key that an alias would copy, and the YAML 1.1 merge key `<<`", () => {
    const anchored = `${BASE}  network: &n { cidr: 10.1.0.0/16, __proto__: { x: 1 } }\n`;
    expect(codes(anchored)).toEqual(["MLP_FORBIDDEN_KEY"]);
    const merge = `${BASE}x-defaults: &d { __proto__: { admin: true } }\nextra:\n  <<: *d\n`;
    expect(codes(merge)).toEqual(["MLP_FORBIDDEN_KEY", "MLP_YAML_MERGE_KEY"]);
    const d = only(`${BASE}  network:\n    <<: { cidr: 10.1.0.0/16 }\n`, "MLP_YAML_MERGE_KEY");
    expect(d.message).toBe("YAML merge keys (`<<`) are not supported: blueprints use YAML 1.2, where `<<` is an ordinary key.");
  });

  it("rejects `--env __proto__` as an unknown environment", () => {
    expect(codes(`${BASE}environments:\n  prod: { spec: { region: us-west-2 } }\n`, { env: "__proto__" })).toEqual(["MLP_ENV_UNKNOWN"]);
  });

  it("treats other Object.prototype names (toString, valueOf, hasOwnProperty) as ordinary keys", () => {
    const labels = BASE.replace("owner: team@example.com", "owner: team@example.com\n  labels: { toString: a, valueOf: b, hasOwnProperty: c }");
    const r = load(labels);
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model!.labels).toMatchObject({ toString: "a", valueOf: "b", hasOwnProperty: "c" });
    const overlay = `${BASE}environments:\n  prod:\n    spec: { toString: x, storage: { valueOf: 1 } }\n`;
    expect(load(overlay, { env: "prod" }).diagnostics.map((d) => [d.code, d.line, d.path.join(".")])).toEqual([
      ["MLP_UNKNOWN_KEY", 16, "spec.toString"],
      ["MLP_UNKNOWN_KEY", 16, "spec.storage.valueOf"],
    ]);
    expect(codes(`${BASE}environments:\n  prod: {}\n`, { env: "toString" })).toEqual(["MLP_ENV_UNKNOWN"]);
  });

  it("merges into null-prototype objects, so nothing in the model inherits from a document", () => {
    const r = load(`${BASE}environments:\n  prod:\n    spec: { region: us-west-2 }\n`, { env: "prod" });
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model?.region).toBe("us-west-2");
    expect(({} as Record<string, unknown>).cluster).toBeUndefined();
  });
});

describe("mapping keys", () => {
  it("rejects a list, a mapping or an alias as a key (yaml would stringify it and warn on stderr)", () => {
    const d = only(`${BASE}  ? [a, b]\n  : x\n`, "MLP_YAML_COMPLEX_KEY");
    expect(d.message).toBe("a mapping key must be a plain string, not a list, mapping or alias.");
    expect(d).toMatchObject({ line: 14, col: 5, path: ["spec"] });
    expect(codes(`${BASE}  x: { ? { a: 1 } : y }\n`)).toEqual(["MLP_YAML_COMPLEX_KEY"]);
    expect(codes(`${BASE}  x: &k region\n  *k : y\n`)).toEqual(["MLP_YAML_COMPLEX_KEY"]);
  });
});

describe("overlay mistakes", () => {
  const env = (overlay: string) => `${BASE}environments:\n  prod:\n    spec:\n      storage:\n${overlay}`;

  it("rejects a named-list item that is not a mapping, at the overlay's line", () => {
    const d = only(env("        buckets: { datasets: 5 }\n"), "MLP_OVERLAY_ITEM_NOT_MAPPING", { env: "prod" });
    expect(d.message).toBe("the overlay item `datasets` is a number; an item of a named list is a mapping of its fields, or null to delete it.");
    expect(d).toMatchObject({ line: 18, col: 30, found: "5" });
  });

  it("rejects the same name twice in one overlay list", () => {
    const d = only(env("        buckets:\n          - { name: datasets, versioning: false }\n          - { name: datasets, protect: false }\n"), "MLP_OVERLAY_DUPLICATE_NAME", { env: "prod" });
    expect(d.message).toBe("the overlay names `datasets` twice in one list; the items would overwrite each other.");
    expect(d).toMatchObject({ line: 20, col: 21 });
  });

  it("rejects a rename through the keyed mapping form", () => {
    const d = only(env("        buckets: { datasets: { name: other } }\n"), "MLP_OVERLAY_RENAME", { env: "prod" });
    expect(d.message).toBe("the overlay item keyed `datasets` sets name `other`; an overlay can't rename an item.");
    expect(d).toMatchObject({ line: 18, col: 38, found: "other" });
  });

  it("rejects a list, a string and true as named items too", () => {
    for (const v of ["[1]", "x", "true"]) expect(codes(env(`        buckets: { models: ${v} }\n`), { env: "prod" })).toEqual(["MLP_OVERLAY_ITEM_NOT_MAPPING"]);
  });

  it("still merges, deletes and adds named items written correctly", () => {
    const r = load(env("        buckets: { datasets: { versioning: false }, models: null, extra: {} }\n"), { env: "prod" });
    expect(r.diagnostics.filter(isError)).toEqual([]);
    expect(r.model!.buckets.map((b) => [b.name, b.versioning])).toEqual([
      ["datasets", false],
      ["extra", true],
    ]);
  });
});

describe("YAML tags", () => {
  it.each([
    ["!!js/function", `"function () {}"`],
    ["!foo", "bar"],
    ["!!set", "{ ? a }"],
    ["!!omap", "[ { a: 1 } ]"],
    ["!!binary", "aGVsbG8="],
    ["!!timestamp", "2001-12-14"],
    ["!!pairs", "[ { a: 1 } ]"],
    ["!<tag:example.com,2000:x>", "y"],
  ])("rejects %s, naming the tag", (tag, value) => {
    const d = only(BASE.replace("owner: team@example.com", `owner: ${tag} ${value}`), "MLP_YAML_TAG");
    const shown = tag.startsWith("!<") ? "!<tag:example.com,2000:x>" : tag;
    expect(d.message).toBe(`the YAML tag \`${shown}\` is not allowed; a blueprint uses plain YAML 1.2 values.`);
    expect(d).toMatchObject({ line: 5, col: 10, path: ["metadata", "owner"], found: shown });
  });

  it("accepts the core tags (!!str forces text)", () => {
    expect(load(BASE.replace('{ accountId: "123456789012" }', "{ accountId: !!str 123456789012 }")).diagnostics.filter(isError)).toEqual([]);
  });

  it("rejects a tag on a key and on a collection", () => {
    expect(codes(`${BASE}  !foo network: {}\n`)).toEqual(["MLP_YAML_TAG"]);
    expect(codes(`${BASE}  network: !!map2 {}\n`)).toEqual(["MLP_YAML_TAG"]);
  });
});

describe("depth and long lines", () => {
  it("refuses 1,000,000 nested [ fast, with a depth error and a trimmed code frame", () => {
    const t0 = performance.now();
    const text = `${BASE}  x: ${"[".repeat(1_000_000)}\n`;
    const r = load(text);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["MLP_YAML_TOO_DEEP"]);
    const out = render(text);
    expect(out.length).toBeLessThan(1000);
    expect(out).toBe(
      [
        "<dir>/bp.yaml:14:70 error MLP_YAML_TOO_DEEP (document)",
        "  the YAML nests more than 64 levels deep; a blueprint needs about 8.",
        `  14 | …${"[".repeat(120)}…`,
        `     | ${" ".repeat(41)}^`,
        "  hint: look for unclosed `[` or `{`, or a runaway chain of `- ` or `? ` indicators, near the caret.",
      ].join("\n"),
    );
  });

  it("refuses deep block nesting and runaway `- ` chains the same way", () => {
    expect(codes(`${BASE}  x:\n${Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i + 2)}k${i}:`).join("\n")} v\n`)).toEqual(["MLP_YAML_TOO_DEEP"]);
    expect(codes(`${BASE}  x:\n    ${"- ".repeat(200_000)}v\n`)).toEqual(["MLP_YAML_TOO_DEEP"]);
    expect(codes(`${BASE}  x:\n    ${"? ".repeat(200_000)}v\n`)).toEqual(["MLP_YAML_TOO_DEEP"]);
    expect(codes(`${BASE}  x: ${"{a: ".repeat(100)}\n`)).toEqual(["MLP_YAML_TOO_DEEP"]);
  });

  it("accepts nesting well inside the limit", () => {
    expect(codes(`${BASE}  x: ${"[".repeat(30)}${"]".repeat(30)}\n`)).toEqual(["MLP_UNKNOWN_KEY"]);
  });

  it("shows a window of a very long line around the column, with …", () => {
    const text = BASE.replace("owner: team@example.com", `owner: team@example.com\n  labels: { ${"a".repeat(5000)}: x, bad: [1] }`);
    const d = load(text).diagnostics.find((x) => x.code === "MLP_WRONG_TYPE")!;
    expect(d.source!.length).toBeGreaterThan(5000);
    const out = render(text);
    const frame = out.split("\n").find((l) => l.startsWith("  6 | "))!;
    expect(frame.length).toBeLessThan(140);
    expect(frame).toMatch(/^ {2}6 \| …a+: x, bad: \[1\] }$/);
    const caret = out.split("\n")[out.split("\n").indexOf(frame) + 1]!;
    expect(caret).toMatch(/^ {4}\| +\^$/);
    expect(caret.indexOf("^")).toBe(frame.indexOf("bad:"));
  });

  it("cuts a 3 MB value in messages and --json, and suggests nothing for it (edit distance is quadratic)", () => {
    const text = BASE.replace("region: us-east-1", `region: ${"x".repeat(3_000_000)}`);
    const c0 = process.cpuUsage();
    const out = render(text);
    const c = process.cpuUsage(c0);
    expect((c.user + c.system) / 1e6).toBeLessThan(10);
    expect(out.length).toBeLessThan(2000);
    expect(out).toContain("… (3000000 characters) …");
    const d = load(text).diagnostics[0]!;
    expect(d.code).toBe("MLP_REGION_UNKNOWN");
    expect(JSON.stringify(diagnosticJson(d)).length).toBeLessThan(2000);
  });

  it("keeps many anchors used once each, and refuses an alias bomb", () => {
    const anchors = Array.from({ length: 2000 }, (_, i) => `  a${i}: &x${i} v${i}\n  b${i}: *x${i}`).join("\n");
    expect(load(`${BASE}  x:\n${anchors.replace(/^/gm, "  ")}\n`).diagnostics.map((d) => d.code)).toEqual(["MLP_UNKNOWN_KEY"]);
    const bomb = `${BASE}  x:\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n    d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(codes(bomb)).toEqual(["MLP_YAML_ALIAS_LIMIT"]);
  });
});

describe("messages say what is wrong", () => {
  it("`.inf` and `.nan`: expected a finite number", () => {
    const d = only(`${BASE}  budget: { monthlyUsd: .inf, emails: [a@example.com] }\n`, "MLP_WRONG_TYPE");
    expect(d.message).toBe("expected a finite number, found .inf.");
    expect(d).toMatchObject({ found: ".inf", allowed: "a finite number" });
    expect(only(`${BASE}  budget: { monthlyUsd: -.inf, emails: [a@example.com] }\n`, "MLP_WRONG_TYPE").message).toBe("expected a finite number, found -.inf.");
    expect(only(`${BASE}  budget: { monthlyUsd: .nan, emails: [a@example.com] }\n`, "MLP_WRONG_TYPE").message).toBe("expected a finite number, found .nan.");
  });

  it("`keepLast: 0`: at least 1 (the schema's `positive` on an integer)", () => {
    const d = only(`${BASE}  registry: { images: [{ name: app, keepLast: 0 }] }\n`, "MLP_TOO_SMALL");
    expect(d.message).toBe("at least 1 allowed.");
    expect(d).toMatchObject({ found: "0", allowed: ">= 1", hint: "use a value of at least 1." });
  });

  it("a positive decimal field: greater than 0", () => {
    const d = only(`${BASE}  budget: { monthlyUsd: 0, emails: [a@example.com] }\n`, "MLP_TOO_SMALL");
    expect(d.message).toBe("greater than 0 allowed.");
    expect(d).toMatchObject({ found: "0", allowed: "> 0", hint: "use a value greater than 0." });
  });

  it("a mapping where a string belongs is shown as YAML, not JSON of its bytes", () => {
    const d = only(BASE.replace("owner: team@example.com", "owner: { name: x, tags: [a, b] }"), "MLP_WRONG_TYPE");
    expect(d.found).toBe("{ name: \"x\", tags: [\"a\", \"b\"] }");
  });
});

describe("files that are not blueprint files", () => {
  it("a directory", () => {
    const d = join(dir, "folder.yaml");
    mkdirSync(d, { recursive: true });
    expect(loadBlueprint(d).diagnostics.map((x) => x.code)).toEqual(["MLP_FILE_IS_DIRECTORY"]);
  });

  it.each([
    ["/dev/zero", "a character device"],
    ["/dev/urandom", "a character device"],
    ["/dev/null", "a character device"],
  ])("%s is refused at once, never read", (file, kind) => {
    const t0 = performance.now();
    const [d] = loadBlueprint(file).diagnostics;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(d).toMatchObject({ code: "MLP_FILE_NOT_REGULAR", message: `${file} is ${kind}, not a regular file; a blueprint is read from a file.` });
  });
});
