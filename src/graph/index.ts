import type { PlatformModel } from "../model/platform.js";
import { renderDot } from "./dot.js";
import { renderMermaid } from "./mermaid.js";
import { buildPlatformGraph } from "./platform-graph.js";
import { renderSvg } from "./svg.js";

export const GRAPH_FORMATS = ["mermaid", "dot", "svg"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** The picture of a resolved platform in one of the formats. No cdktf, no network. */
export async function renderPlatformGraph(model: PlatformModel, format: GraphFormat): Promise<string> {
  const graph = buildPlatformGraph(model);
  switch (format) {
    case "mermaid":
      return renderMermaid(graph);
    case "dot":
      return renderDot(graph);
    case "svg":
      return renderSvg(renderDot(graph));
  }
}

export { buildPlatformGraph, renderDot, renderMermaid, renderSvg };
