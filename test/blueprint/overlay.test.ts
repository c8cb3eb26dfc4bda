import { describe, expect, it } from "vitest";
import { mergeOverlay, Origins } from "../../src/blueprint/overlay.js";
import { interpolate } from "../../src/blueprint/interpolate.js";
import type { Diagnostic } from "../../src/blueprint/diagnostics.js";

const base = {
  spec: {
    region: "us-east-1",
    cluster: {
      nodePools: [
        { name: "train", max: 4, labels: { a: "1" } },
        { name: "infer", max: 8 },
      ],
    },
    observability: { alertEmails: ["a@x.io", "b@x.io"] },
  },
};

function merge(over: unknown) {
  const origins = new Origins();
  const value = mergeOverlay(base, [], over, ["environments", "dev"], [], origins) as any;
  return { value, origins };
}

describe("environment overlays", () => {
  it("merges maps key by key and replaces scalars", () => {
    const { value } = merge({ spec: { region: "us-west-2" } });
    expect(value.spec.region).toBe("us-west-2");
    expect(value.spec.cluster.nodePools).toHaveLength(2);
  });

  it("merges lists of named objects item by item on name, appending new names", () => {
    const { value } = merge({ spec: { cluster: { nodePools: [{ name: "train", max: 1 }, { name: "cpu", max: 2 }] } } });
    expect(value.spec.cluster.nodePools).toEqual([
      { name: "train", max: 1, labels: { a: "1" } },
      { name: "infer", max: 8 },
      { name: "cpu", max: 2 },
    ]);
  });

  it("replaces other lists whole", () => {
    const { value } = merge({ spec: { observability: { alertEmails: ["c@x.io"] } } });
    expect(value.spec.observability.alertEmails).toEqual(["c@x.io"]);
  });

  it("deletes a key with null", () => {
    const { value } = merge({ spec: { cluster: null } });
    expect(value.spec.cluster).toBeUndefined();
  });

  it("deletes a named item with null in the mapping form keyed by name", () => {
    const { value } = merge({ spec: { cluster: { nodePools: { train: null, infer: { max: 2 } } } } });
    expect(value.spec.cluster.nodePools).toEqual([{ name: "infer", max: 2 }]);
  });

  it("remembers where each merged value came from, so errors point at the line written", () => {
    const { origins } = merge({ spec: { cluster: { nodePools: [{ name: "infer", max: 1 }] } } });
    expect(origins.sourceOf(["spec", "cluster", "nodePools", 1, "max"])).toEqual(["environments", "dev", "spec", "cluster", "nodePools", 0, "max"]);
    expect(origins.sourceOf(["spec", "cluster", "nodePools", 0, "max"])).toEqual(["spec", "cluster", "nodePools", 0, "max"]);
    expect(origins.sourceOf(["spec", "cluster", "nodePools", 1, "gpu", "type"])).toEqual(["spec", "cluster", "nodePools", 1, "gpu", "type"]);
  });

  it("maps indices of base items that shift after a deletion", () => {
    const { origins } = merge({ spec: { cluster: { nodePools: { train: null } } } });
    expect(origins.sourceOf(["spec", "cluster", "nodePools", 0, "max"])).toEqual(["spec", "cluster", "nodePools", 1, "max"]);
  });
});

describe("interpolation", () => {
  const run = (v: unknown, env: NodeJS.ProcessEnv) => {
    const ds: Diagnostic[] = [];
    return { value: interpolate(v, ["spec"], env, ds), ds };
  };

  it("replaces ${env:NAME} in string values anywhere in the document", () => {
    expect(run({ a: ["x-${env:A}-y"], b: { c: "${env:A}" } }, { A: "1" }).value).toEqual({ a: ["x-1-y"], b: { c: "1" } });
  });

  it("uses the fallback of ${env:NAME:-fallback} when the variable is unset", () => {
    expect(run("${env:NOPE:-us-east-1}", {}).value).toBe("us-east-1");
    expect(run("${env:SET:-x}", { SET: "y" }).value).toBe("y");
  });

  it("reports an unset variable without fallback at the value's path", () => {
    const { ds } = run({ region: "${env:NOPE}" }, {});
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: "MLP_ENV_VAR_UNSET", path: ["spec", "region"] });
  });

  it("leaves other ${...} forms alone", () => {
    expect(run("${aws:region} ${ENV} $HOME", {}).value).toBe("${aws:region} ${ENV} $HOME");
  });
});
