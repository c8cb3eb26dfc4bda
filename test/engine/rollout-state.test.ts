import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEndpointRollout, readRolloutState, writeEndpointRollout, type EndpointRollout } from "../../src/engine/rollout-state.js";

const dirs: string[] = [];
const stateDir = () => {
  const d = mkdtempSync(join(tmpdir(), "mlplat-rollout-state-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const entry: EndpointRollout = {
  endpoint: "scorer",
  cloud: "gcp",
  strategy: "canary",
  previousRevision: "acme-dev-scorer-00001-abc",
  newRevision: "acme-dev-scorer-r1a2b3c4d",
  steps: [10, 100],
  step: 0,
  newPercent: 10,
  status: "in-progress",
  updated: "2026-12-07T00:00:00.000Z",
};

describe("rollout state", () => {
  it("reads nothing when no rollout ever ran", () => {
    expect(readRolloutState(stateDir(), "acme-dev")).toBeUndefined();
  });

  it("writes one endpoint's entry beside the stack state, private, and reads it back", () => {
    const d = stateDir();
    writeEndpointRollout(d, "acme-dev", entry);
    writeEndpointRollout(d, "acme-dev", { ...entry, endpoint: "ranker", cloud: "azure", previousRevision: "r0", newRevision: "r1" });
    writeEndpointRollout(d, "acme-dev", { ...entry, step: 1, newPercent: 100, status: "complete" });
    const file = join(d, "acme-dev.rollout.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(readRolloutState(d, "acme-dev")!.endpoints).sort()).toEqual(["ranker", "scorer"]);
    expect(readEndpointRollout(d, "acme-dev", "scorer")).toMatchObject({ step: 1, newPercent: 100, status: "complete" });
    expect(JSON.parse(readFileSync(file, "utf8")).format).toBe("mlplat-rollout/1");
  });

  it("rejects a record that is not one mlplat wrote, naming the file", () => {
    const d = stateDir();
    writeFileSync(join(d, "acme-dev.rollout.json"), '{"format":"other"}');
    expect(() => readRolloutState(d, "acme-dev")).toThrowError(
      expect.objectContaining({ code: "MLP_ROLLOUT_STATE_INVALID", message: `${join(d, "acme-dev.rollout.json")} cannot be read as mlplat's rollout record: it is not a rollout record of this mlplat version.` }),
    );
    writeFileSync(join(d, "acme-dev.rollout.json"), "{nope");
    expect(() => readRolloutState(d, "acme-dev")).toThrowError(/it is not JSON/);
  });

  it("never follows a link planted as the record", () => {
    const d = stateDir();
    writeFileSync(join(d, "elsewhere.json"), "{}");
    symlinkSync(join(d, "elsewhere.json"), join(d, "acme-dev.rollout.json"));
    expect(() => readRolloutState(d, "acme-dev")).toThrowError(expect.objectContaining({ code: "MLP_OUT_LINK" }));
  });
});
