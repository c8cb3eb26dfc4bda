import type { GraphGroup, NodeKind, PlatformGraph } from "./platform-graph.js";

/** Graphviz shapes and fills per node kind: storage looks like storage, compute like boxes. */
const STYLE: Readonly<Record<NodeKind, string>> = {
  network: 'shape=box, style="rounded,filled", fillcolor="#e8eef7"',
  cluster: 'shape=box, style="rounded,filled", fillcolor="#dbe9f6"',
  pool: 'shape=box3d, style=filled, fillcolor="#fff2cc"',
  bucket: 'shape=cylinder, style=filled, fillcolor="#e2f0d9"',
  repo: 'shape=folder, style=filled, fillcolor="#fce4d6"',
  image: 'shape=folder, style="filled,dashed", fillcolor="#f2f2f2"',
  "model-registry": 'shape=folder, style=filled, fillcolor="#ead1f5"',
  endpoint: 'shape=box, style="rounded,filled,bold", fillcolor="#ffffff"',
  service: 'shape=component, style=filled, fillcolor="#dbe9f6"',
  observability: 'shape=note, style=filled, fillcolor="#f2f2f2"',
  budget: 'shape=note, style=filled, fillcolor="#f2f2f2"',
  pipeline: 'shape=cds, style=filled, fillcolor="#e2f0d9"',
  notebook: 'shape=box, style="rounded,filled", fillcolor="#fff2cc"',
  tracking: 'shape=component, style=filled, fillcolor="#ead1f5"',
};

/** A DOT string literal: quotes and backslashes escaped, lines joined with `\n`. */
export const dotString = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/**
 * Text width Graphviz must leave room for. Graphviz sizes boxes with Helvetica's metrics, but a
 * viewer without Helvetica draws a wider sans-serif (DejaVu Sans, Liberation Sans): at 11 pt a
 * character is up to ~0.62 em there. Boxes get a minimum width from their longest line.
 */
const FONT_SIZE = 11;
const minWidthInches = (lines: readonly string[]) => Math.max(...lines.map((l) => [...l].length)) * FONT_SIZE * 0.62 / 72 + 0.35;

/** Where a node sits in the left-to-right flow: who asks → what runs it → what holds the data. */
const COLUMN: Readonly<Record<NodeKind, 0 | 1 | 2>> = {
  endpoint: 0,
  network: 1,
  cluster: 1,
  pool: 1,
  service: 1,
  bucket: 2,
  repo: 2,
  image: 2,
  "model-registry": 2,
  observability: 2,
  budget: 2,
  pipeline: 0,
  notebook: 1,
  tracking: 1,
};

export function renderDot(g: PlatformGraph): string {
  const out: string[] = [];
  out.push("digraph platform {");
  out.push(
    `  graph [label=${dotString(g.title)}, labelloc=t, fontsize=18, fontname="Helvetica", rankdir=LR, compound=true, newrank=true, nodesep=0.35, ranksep=1.1, pad=0.3];`,
  );
  out.push(`  node [fontname="Helvetica", fontsize=${FONT_SIZE}, margin="0.18,0.08"];`);
  out.push('  edge [fontname="Helvetica", fontsize=9, fontcolor="#445566", color="#556677", arrowsize=0.7];');
  const children = (parent?: string) => g.groups.filter((x) => x.parent === parent);
  const emit = (group: GraphGroup | undefined, indent: string) => {
    for (const n of g.nodes.filter((x) => x.group === group?.id)) {
      const lines = n.lines.filter(Boolean);
      out.push(`${indent}${n.id} [label=${dotString(lines.join("\n"))}, width=${minWidthInches(lines).toFixed(2)}, ${STYLE[n.kind]}];`);
    }
    for (const c of children(group?.id)) {
      out.push(`${indent}subgraph cluster_${c.id} {`);
      out.push(`${indent}  label=${dotString(c.label)}; fontsize=13; style="rounded,dashed"; color="#8899aa"; margin=14;`);
      emit(c, indent + "  ");
      out.push(`${indent}}`);
    }
  };
  emit(undefined, "  ");
  // Edges: data paths solid, placement dashed, alarms dotted and left out of the layout. Labels
  // sit at the arrowhead (a head label stays with its edge; a mid-edge label drifts into gaps).
  for (const e of g.edges) {
    const alarm = e.label === "alarms";
    const attrs = [`headlabel=${dotString(shortLabel(e.label))}`, "labeldistance=2.2", "labelangle=-30"];
    if (alarm) attrs.push('style=dotted, color="#99aabb", constraint=false');
    else if (e.dashed) attrs.push("style=dashed");
    out.push(`  ${e.from} -> ${e.to} [${attrs.join(", ")}];`);
  }
  // Three columns, left to right: who asks, what runs it, what holds the data (rank=same works
  // across clusters with newrank); one invisible edge per column boundary orders them.
  const columns = ([0, 1, 2] as const).map((c) => g.nodes.filter((n) => COLUMN[n.kind] === c).map((n) => n.id)).filter((ids) => ids.length > 0);
  for (const ids of columns) out.push(`  { rank=same; ${ids.join("; ")}; }`);
  for (let i = 1; i < columns.length; i++) out.push(`  ${columns[i - 1]![0]} -> ${columns[i]![0]} [style=invis];`);
  out.push("}");
  return out.join("\n") + "\n";
}

/** Edge labels name the relation; the details (tag, model path) are in the endpoint's box. */
function shortLabel(label: string): string {
  return label.split(" ")[0] === "runs" ? "runs on" : label.split(" ")[0]!;
}
