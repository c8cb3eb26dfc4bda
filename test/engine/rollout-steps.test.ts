import { describe, expect, it } from "vitest";
import { trafficSplit, trafficVarValue } from "../../src/engine/rollout-steps.js";
import { trafficSteps as rolloutSteps } from "../../src/model/rollout.js";

const r = (strategy: "canary" | "linear" | "allAtOnce", canaryPercent = 10, stepPercent = 25) => ({ strategy, canaryPercent, stepPercent });

describe("rollout step planner", () => {
  it("plans a canary as its percent, then everything", () => {
    expect(rolloutSteps(r("canary", 10))).toEqual([10, 100]);
    expect(rolloutSteps(r("canary", 50))).toEqual([50, 100]);
  });

  it("plans a linear rollout in equal steps, the last one taking what is left", () => {
    expect(rolloutSteps(r("linear", 10, 25))).toEqual([25, 50, 75, 100]);
    expect(rolloutSteps(r("linear", 10, 30))).toEqual([30, 60, 90, 100]);
    expect(rolloutSteps(r("linear", 10, 50))).toEqual([50, 100]);
    expect(rolloutSteps(r("linear", 10, 10))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("plans all at once as one step", () => {
    expect(rolloutSteps(r("allAtOnce"))).toEqual([100]);
  });

  it("splits traffic between the new and the previous revision, listing only revisions that get traffic", () => {
    expect(trafficSplit("old", "new", 10)).toEqual([
      { revision: "new", percent: 10 },
      { revision: "old", percent: 90 },
    ]);
    expect(trafficSplit("old", "new", 100)).toEqual([{ revision: "new", percent: 100 }]);
    expect(trafficSplit("old", "new", 0)).toEqual([{ revision: "old", percent: 100 }]);
    expect(trafficSplit("same", "same", 10)).toEqual([{ revision: "same", percent: 100 }]);
  });

  it("throws when a percent is not a whole number from 0 to 100", () => {
    expect(() => trafficSplit("a", "b", 101)).toThrow("traffic percent must be an integer 0-100, got 101");
    expect(() => trafficSplit("a", "b", 2.5)).toThrow(/got 2.5/);
  });

  it("writes the split as the JSON value terraform reads for the variable", () => {
    expect(trafficVarValue(trafficSplit("old", "new", 25))).toBe('[{"revision":"new","percent":25},{"revision":"old","percent":75}]');
  });
});
