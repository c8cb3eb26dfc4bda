import { describe, expect, it } from "vitest";
import { containing, matches, Template } from "./template.js";

/** The assertion helpers fail when they would check nothing, and match arrays exactly. */
const t = Template.fromJson({
  resource: {
    pool: { a: { taints: ["x", "y"], tags: { team: "ml" } }, b: { taints: ["x"], tags: { team: "ml" } } },
    empty_type: {},
  },
});

describe("matches", () => {
  it("matches arrays exactly: same length, element by element", () => {
    expect(matches(["x", "y"], ["x", "y"])).toBe(true);
    expect(matches(["x", "y"], ["x"])).toBe(false);
    expect(matches(["x"], ["x", "y"])).toBe(false);
    expect(matches(["y", "x"], ["x", "y"])).toBe(false);
    expect(matches([{ a: 1, b: 2 }], [{ a: 1 }])).toBe(true);
  });

  it("matches `containing` as a subset in any order, each element used once", () => {
    expect(matches(["x", "y", "z"], containing(["z", "x"]))).toBe(true);
    expect(matches(["x"], containing(["x", "x"]))).toBe(false);
    expect(matches(["x"], containing(["y"]))).toBe(false);
    expect(matches("x", containing(["x"]))).toBe(false);
  });

  it("matches objects on the keys expected names", () => {
    expect(matches({ a: 1, b: 2 }, { a: 1 })).toBe(true);
    expect(matches({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(matches({ a: 1 }, { a: 2 })).toBe(false);
    expect(matches([], {})).toBe(false);
  });
});

describe("Template", () => {
  it("allResourcesHaveProperties fails on a type with no resources unless allowNone", () => {
    expect(() => t.allResourcesHaveProperties("empty_type", { x: 1 })).toThrow("no empty_type at all, so no resource of it was checked");
    expect(() => t.allResourcesHaveProperties("missing_type", { x: 1 })).toThrow("no missing_type at all");
    expect(() => t.allResourcesHaveProperties("missing_type", { x: 1 }, { allowNone: true })).not.toThrow();
  });

  it("allResourcesHaveProperties checks every resource", () => {
    expect(() => t.allResourcesHaveProperties("pool", { tags: { team: "ml" } })).not.toThrow();
    expect(() => t.allResourcesHaveProperties("pool", { taints: ["x"] })).toThrow("pool.a does not match");
    expect(() => t.allResourcesHaveProperties("pool", { taints: containing(["x"]) })).not.toThrow();
  });

  it("refuses an assertion that checks nothing", () => {
    expect(() => t.allResourcesHaveProperties("pool", {})).toThrow("which every resource matches");
    expect(() => t.hasResourceWithProperties("pool", {})).toThrow("which every resource matches");
  });

  it("hasResourceWithProperties needs one resource to match exactly on arrays", () => {
    expect(() => t.hasResourceWithProperties("pool", { taints: ["x"] })).not.toThrow();
    expect(() => t.hasResourceWithProperties("pool", { taints: ["y"] })).toThrow("no pool matches");
    expect(Object.keys(t.findResources("pool", { taints: containing(["x"]) }))).toEqual(["a", "b"]);
  });
});
