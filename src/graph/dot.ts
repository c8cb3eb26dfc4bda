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
};

/** A DOT string literal: quotes and backslashes escaped, lines joined with `\n`. */
export const dotString = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function renderDot(g: PlatformGraph): string {
  const out: string[] = [];
  out.push("digraph platform {");
  out.push(`  graph [label=${dotString(g.title)}, labelloc=t, fontsize=18, fontname="Helvetica", rankdir=LR, compound=true, nodesep=0.4, ranksep=0.9];`);
  out.push('  node [fontname="Helvetica", fontsize=11];');
  out.push('  edge [fontname="Helvetica", fontsize=9, color="#555555"];');
  const children = (parent?: string) => g.groups.filter((x) => x.parent === parent);
  const emit = (group: GraphGroup | undefined, indent: string) => {
    for (const n of g.nodes.filter((x) => x.group === group?.id)) {
      out.push(`${indent}${n.id} [label=${dotString(n.lines.filter(Boolean).join("\n"))}, ${STYLE[n.kind]}];`);
    }
    for (const c of children(group?.id)) {
      out.push(`${indent}subgraph cluster_${c.id} {`);
      out.push(`${indent}  label=${dotString(c.label)}; style="rounded,dashed"; color="#8899aa";`);
      emit(c, indent + "  ");
      out.push(`${indent}}`);
    }
  };
  emit(undefined, "  ");
  for (const e of g.edges) out.push(`  ${e.from} -> ${e.to} [label=${dotString(e.label)}${e.dashed ? ", style=dashed" : ""}];`);
  out.push("}");
  return out.join("\n") + "\n";
}
