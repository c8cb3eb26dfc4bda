import type { GraphGroup, NodeKind, PlatformGraph } from "./platform-graph.js";

/** Mermaid node shapes per kind: `[( )]` cylinder for buckets, `[[ ]]` subroutine for services. */
const SHAPE: Readonly<Record<NodeKind, readonly [string, string]>> = {
  network: ["(", ")"],
  cluster: ["(", ")"],
  pool: ["[", "]"],
  bucket: ["[(", ")]"],
  repo: ["[/", "/]"],
  image: ["[/", "/]"],
  "model-registry": ["[/", "/]"],
  endpoint: ["([", "])"],
  service: ["[[", "]]"],
  observability: ["[", "]"],
  budget: ["[", "]"],
  pipeline: [">", "]"],
  notebook: ["[", "]"],
  tracking: ["[[", "]]"],
};

/** A quoted Mermaid label: `"` becomes an entity, lines join with `<br/>`. */
export const mermaidLabel = (lines: readonly string[]): string =>
  `"${lines
    .filter(Boolean)
    .map((l) => l.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;"))
    .join("<br/>")}"`;

export function renderMermaid(g: PlatformGraph): string {
  const out: string[] = ["---", `title: ${JSON.stringify(g.title)}`, "---", "flowchart LR"];
  const children = (parent?: string) => g.groups.filter((x) => x.parent === parent);
  const emit = (group: GraphGroup | undefined, indent: string) => {
    for (const n of g.nodes.filter((x) => x.group === group?.id)) {
      const [open, close] = SHAPE[n.kind];
      out.push(`${indent}${n.id}${open}${mermaidLabel(n.lines)}${close}`);
    }
    for (const c of children(group?.id)) {
      out.push(`${indent}subgraph grp_${c.id}[${mermaidLabel([c.label])}]`);
      emit(c, indent + "  ");
      out.push(`${indent}end`);
    }
  };
  emit(undefined, "  ");
  for (const e of g.edges) out.push(`  ${e.from} ${e.dashed ? "-." : "--"} ${mermaidLabel([e.label])} ${e.dashed ? ".->" : "-->"} ${e.to}`);
  return out.join("\n") + "\n";
}
