import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { renderDot } from "../../src/graph/dot.js";
import { renderMermaid } from "../../src/graph/mermaid.js";
import { buildPlatformGraph } from "../../src/graph/platform-graph.js";

const BP = join(__dirname, "../../blueprints/continuous-training.yaml");
const graph = (env?: string) => buildPlatformGraph(loadBlueprintOrThrow(BP, { env, today: "2026-11-25", vars: {} }).model);

describe("pipelines in the platform graph", () => {
  it("draws the pipeline with its schedule, the buckets it uses, the registry, and what starts it", () => {
    const g = graph();
    expect(g.nodes.find((n) => n.id === "pipeline_retrain_fraud")).toEqual({
      id: "pipeline_retrain_fraud",
      kind: "pipeline",
      group: "pipelines",
      lines: ["pipeline retrain-fraud", "SageMaker Pipelines", "EventBridge Scheduler: 0 3 * * 1 UTC", "parameters num_round, max_depth"],
    });
    expect(g.edges.filter((e) => e.from === "pipeline_retrain_fraud" || e.to === "pipeline_retrain_fraud").map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      "pipeline_retrain_fraud -> bucket_datasets: reads/writes",
      "pipeline_retrain_fraud -> bucket_models: reads/writes",
      "pipeline_retrain_fraud -> model_registry: registers",
      "bucket_datasets -> pipeline_retrain_fraud: EventBridge rule: new daily/",
      "endpoint_scorer -> pipeline_retrain_fraud: alarm starts",
    ]);
  });

  it("names each cloud's services and renders in DOT and Mermaid", () => {
    expect(graph("gcp").nodes.find((n) => n.kind === "pipeline")!.lines[1]).toBe("Vertex AI Pipelines via Workflows");
    expect(graph("azure").nodes.find((n) => n.kind === "pipeline")!.lines[2]).toBe("Azure ML schedule: 0 3 * * 1 UTC");
    expect(renderDot(graph())).toContain("pipeline_retrain_fraud [");
    expect(renderMermaid(graph())).toMatch(/pipeline_retrain_fraud>"pipeline retrain-fraud<br\/>/);
  });
});
