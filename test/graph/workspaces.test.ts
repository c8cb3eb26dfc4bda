import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { renderDot } from "../../src/graph/dot.js";
import { renderMermaid } from "../../src/graph/mermaid.js";
import { buildPlatformGraph } from "../../src/graph/platform-graph.js";
import { renderSvg } from "../../src/graph/svg.js";

const BP = join(__dirname, "../../blueprints/data-science-team.yaml");
const graph = (env?: string) => buildPlatformGraph(loadBlueprintOrThrow(BP, { env, today: "2026-11-25", vars: {} }).model);

describe("workspaces and tracking in the platform graph", () => {
  it("draws the notebooks service in the network, a node per user with their size, its buckets and the MLflow server", () => {
    const g = graph();
    expect(g.groups).toContainEqual({ id: "workspaces", label: "workspaces", parent: "network" });
    expect(g.nodes.find((n) => n.id === "workspaces")!.lines).toEqual(["SageMaker Studio domain (VPC only)", "5 users · stopped after 60 idle min"]);
    expect(g.nodes.filter((n) => n.kind === "notebook").map((n) => n.lines.join(" | "))).toEqual([
      "notebook alice | ml.t3.large",
      "notebook bob | ml.g4dn.xlarge · T4×1",
      "notebook carol | ml.t3.large",
      "notebook dan | ml.g4dn.xlarge · T4×1",
      "notebook erin | ml.t3.large",
    ]);
    expect(g.nodes.find((n) => n.id === "tracking")).toEqual({ id: "tracking", kind: "tracking", lines: ["MLflow tracking", "SageMaker managed MLflow", "size small"] });
    expect(g.edges.filter((e) => e.from === "workspaces" || e.from === "tracking").map((e) => `${e.from} -> ${e.to}: ${e.label}${e.dashed ? " (dashed)" : ""}`)).toEqual([
      "workspaces -> bucket_datasets: read/write",
      "workspaces -> bucket_experiments: read/write",
      "workspaces -> bucket_scratch: read/write",
      "tracking -> bucket_experiments: artifacts mlflow/",
      "workspaces -> tracking: logs runs (dashed)",
    ]);
  });

  it("names each cloud's services and renders in DOT, Mermaid and SVG", async () => {
    expect(graph("gcp").nodes.find((n) => n.id === "tracking")!.lines[1]).toBe("MLflow on Cloud Run + Cloud SQL");
    expect(graph("azure").nodes.find((n) => n.id === "workspaces")!.lines[0]).toBe("Azure ML compute instances");
    expect(graph("gcp").nodes.find((n) => n.id === "notebook_bob")!.lines[1]).toMatch(/^n1-\S+ · T4×1$/);
    expect(renderDot(graph())).toContain("notebook_bob [");
    expect(renderMermaid(graph())).toContain('tracking[["MLflow tracking<br/>SageMaker managed MLflow<br/>size small"]]');
    expect(await renderSvg(renderDot(graph()))).toContain("notebook bob");
  });
});
