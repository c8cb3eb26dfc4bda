import { describe, expect, it } from "vitest";
import { findDisruptions } from "../../src/engine/disruption.js";

describe("the disruption guard and pipelines", () => {
  it("flags replacing or deleting a SageMaker pipeline (its executions go with it), not updating it or its schedule", () => {
    const change = (type: string, action: "update" | "replace" | "delete", name = "pipelines_retrain-fraud") => ({ address: `${type}.${name}`, mode: "managed" as const, type, name, action });
    expect(
      findDisruptions([
        change("aws_sagemaker_pipeline", "replace"),
        change("aws_sagemaker_pipeline", "delete", "pipelines_old"),
        change("aws_sagemaker_pipeline", "update", "pipelines_kept"),
        change("aws_scheduler_schedule", "delete", "pipelines_retrain-fraud_schedule"),
      ]).map((d) => `${d.kind} ${d.action} ${d.section}/${d.name}`),
    ).toEqual(["pipeline replace pipelines/retrain-fraud", "pipeline delete pipelines/old"]);
  });
});
