import { afterEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { readEndpointRollout, writeEndpointRollout } from "../../src/engine/rollout-state.js";
import { azureSetup, cleanup, FakeClock, STACK, trafficInputs } from "./traffic-fakes.js";

afterEach(cleanup);

describe("stepped traffic rollout of a Container Apps endpoint", () => {
  it("reads the previous revision's suffix from state, splits 10/90, then after the bake gives the new revision everything; interrupted, it resumes", async () => {
    const { tf, deps, stateDir, newRevision } = azureSetup(new FakeClock(1));
    // Deployed before the rollout was added: single revision mode, all traffic to the latest (suffix "k3x9f2a").
    tf.deployed("k3x9f2a", [{ type: "LATEST", revision: "", percent: 100 }]);
    await expect(runDeploy("p.yaml", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({ code: "MLP_ROLLOUT_INTERRUPTED" });
    expect(trafficInputs(tf)).toEqual([
      [
        { revision: newRevision, percent: 10 },
        { revision: "k3x9f2a", percent: 90 },
      ],
    ]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ cloud: "azure", previousRevision: "k3x9f2a", newRevision, step: 0, status: "in-progress" });

    const clock = new FakeClock();
    await runDeploy("p.yaml", { autoApprove: true, stateDir }, { ...deps, clock });
    expect(trafficInputs(tf).at(-1)).toEqual([{ revision: newRevision, percent: 100 }]);
    expect(clock.slept).toEqual([600_000]);
    expect(readEndpointRollout(stateDir, STACK, "scorer")).toMatchObject({ step: 1, newPercent: 100, status: "complete" });
  });

  it("refuses, before any plan, content that would pin again the suffix the rollout started from", async () => {
    const { tf, deps, stateDir, newRevision } = azureSetup(new FakeClock());
    // A rollout from newRevision to r2 was recorded and r2 is pinned in state; the blueprint is back at newRevision's content.
    tf.deployed("r2", [{ type: "REVISION", revision: newRevision, percent: 100 }]);
    writeEndpointRollout(stateDir, STACK, {
      endpoint: "scorer", cloud: "azure", strategy: "canary", previousRevision: newRevision, newRevision: "r2",
      steps: [10, 100], step: 0, newPercent: 0, status: "rolled-back", updated: "2026-12-07T00:00:00.000Z",
    });
    await expect(runDeploy("p.yaml", { autoApprove: true, stateDir }, deps)).rejects.toMatchObject({
      code: "MLP_ROLLOUT_SUFFIX_REUSED",
      message: `Endpoint scorer: its content is again that of revision ${newRevision}, which the app already has; Container Apps refuses a revision suffix used before. Nothing was planned.`,
    });
    expect(tf.methods().filter((m) => m.startsWith("plan"))).toEqual([]);
  });
});
