import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { dotString } from "../../src/graph/dot.js";
import { buildPlatformGraph, renderDot, renderMermaid, renderPlatformGraph } from "../../src/graph/index.js";
import { mermaidLabel } from "../../src/graph/mermaid.js";
import { mlplat } from "../helpers/cli.js";

const root = new URL("../../", import.meta.url).pathname;
const bp = (name: string) => join(root, "blueprints", `${name}.yaml`);
const model = (name: string, env?: string) => loadBlueprintOrThrow(bp(name), { env, today: "2026-11-25", vars: {} }).model;
const work = mkdtempSync(join(tmpdir(), "mlplat-graph-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the platform graph", () => {
  it("has the network, cluster, pools, buckets, registries and endpoints of llm-serving", () => {
    const g = buildPlatformGraph(model("llm-serving"));
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining(["network", "cluster", "pool_llm", "bucket_models", "bucket_evals", "repo_vllm", "repo_embeddings", "model_registry", "endpoint_chat", "endpoint_embed", "managed"]),
    );
    expect(byId.get("pool_llm")!.lines).toEqual(["pool llm", "g6.xlarge · L4×1 · on-demand", "1–4 nodes"]);
    expect(byId.get("pool_llm")!.group).toBe("cluster");
    expect(g.groups.find((x) => x.id === "cluster")).toEqual({ id: "cluster", label: "EKS 1.35", parent: "network" });
    expect(byId.get("managed")!.lines[0]).toBe("SageMaker endpoints");
  });

  it("draws endpoint → image repo, → model bucket, → pool for kubernetes and → the managed service otherwise", () => {
    const edges = buildPlatformGraph(model("llm-serving")).edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        "endpoint_chat -> repo_vllm: image :0.11.0",
        "endpoint_chat -> bucket_models: model llama-3.1-8b-instruct/",
        "endpoint_chat -> pool_llm: runs on",
        "endpoint_embed -> repo_embeddings: image :1.8.0",
        "endpoint_embed -> managed: runs on",
      ]),
    );
  });

  it("every edge joins two drawn nodes, for every reference blueprint", () => {
    for (const f of readdirSync(join(root, "blueprints")).filter((x) => x.endsWith(".yaml"))) {
      const g = buildPlatformGraph(model(f.replace(/\.yaml$/, "")));
      const ids = new Set(g.nodes.map((n) => n.id));
      for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to), `${f}: ${e.from} -> ${e.to}`).toBe(true);
      for (const n of g.nodes) if (n.group) expect(g.groups.some((x) => x.id === n.group), `${f}: group ${n.group}`).toBe(true);
    }
  });

  it("shows spot GPU pools that scale from zero with their accelerator and count", () => {
    const g = buildPlatformGraph(model("batch-training"));
    expect(g.nodes.find((n) => n.id === "pool_a100")!.lines).toEqual(["pool a100", "p4de.24xlarge · A100-80GB×8 · spot", "0–2 nodes (scales from zero)"]);
    expect(g.nodes.find((n) => n.id === "pool_h100")!.lines[1]).toBe("p5.48xlarge · H100×8 · spot");
    expect(g.nodes.some((n) => n.kind === "endpoint")).toBe(false);
  });

  it("names each cloud's services: Cloud Run and Vertex AI on gcp, Container Apps and Azure ML on azure", () => {
    const gcp = buildPlatformGraph(model("llm-serving", "gcp"));
    expect(gcp.nodes.find((n) => n.id === "managed")!.lines[0]).toBe("Cloud Run");
    expect(gcp.nodes.find((n) => n.id === "model_registry")!.lines[0]).toBe("Vertex AI Model Registry");
    expect(gcp.nodes.find((n) => n.id === "cluster")!.lines[0]).toBe("GKE 1.35");
    const azure = buildPlatformGraph(model("llm-serving", "azure"));
    expect(azure.nodes.find((n) => n.id === "managed")!.lines[0]).toBe("Container Apps");
    expect(azure.nodes.find((n) => n.id === "pool_llm")!.lines[1]).toContain("A100-80GB×1");
  });

  it("draws an image given as a full URI as an external image, and a CPU endpoint on the CPU pool", () => {
    const g = buildPlatformGraph(model("data-science-workspace"));
    const img = g.nodes.find((n) => n.kind === "image")!;
    expect(img.lines).toEqual(["external image", "ghcr.io/mlflow/mlflow:v2.19.0"]);
    const edges = g.edges.filter((e) => e.from === "endpoint_tracking").map((e) => e.to);
    expect(edges).toEqual([img.id, "pool_notebooks"]);
  });
});

describe("renderers", () => {
  it("DOT holds the nested clusters, shaped nodes sized for their labels, head-labelled edges and three columns", () => {
    const dot = renderDot(buildPlatformGraph(model("llm-serving")));
    expect(dot.startsWith("digraph platform {\n")).toBe(true);
    // widths from the longest line: 28 characters × 11 pt × 0.62 / 72 + 0.35 = 3.00 inches; 21 → 2.34
    expect(dot).toMatch(/subgraph cluster_network \{[\s\S]*subgraph cluster_cluster \{[\s\S]*pool_llm \[label="pool llm\\ng6\.xlarge · L4×1 · on-demand\\n1–4 nodes", width=3\.00, shape=box3d/);
    expect(dot).toContain('bucket_models [label="bucket models\\nprotected · versioned", width=2.34, shape=cylinder');
    expect(dot).toContain('endpoint_chat -> pool_llm [headlabel="runs on", labeldistance=2.2, labelangle=-30, style=dashed];');
    expect(dot).toContain('endpoint_chat -> repo_vllm [headlabel="image", labeldistance=2.2, labelangle=-30];');
    expect(dot).toContain('endpoint_chat -> observability [headlabel="alarms", labeldistance=2.2, labelangle=-30, style=dotted, color="#99aabb", constraint=false];');
    expect(dot).toContain("  { rank=same; endpoint_chat; endpoint_embed; }");
    expect(dot).toContain("  endpoint_chat -> network [style=invis];");
  });

  it("Mermaid holds a flowchart with subgraphs, shapes and labelled edges", () => {
    const m = renderMermaid(buildPlatformGraph(model("llm-serving")));
    expect(m).toContain("flowchart LR");
    expect(m).toContain('subgraph grp_cluster["EKS 1.35"]');
    expect(m).toContain('bucket_models[("bucket models<br/>protected · versioned")]');
    expect(m).toContain('endpoint_chat -. "runs on" .-> pool_llm');
    expect(m).toContain('endpoint_chat -- "model llama-3.1-8b-instruct/" --> bucket_models');
    expect(m.match(/subgraph /g)!.length).toBe(m.match(/^\s*end$/gm)!.length);
  });

  it("escapes quotes, backslashes and markup in labels", () => {
    expect(dotString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
    expect(mermaidLabel(['say "hi" <b>', "x & y"])).toBe('"say #quot;hi#quot; #lt;b#gt;<br/>x #amp; y"');
  });

  it("renders SVG offline, and every format is deterministic", async () => {
    const m = model("realtime-scoring", "azure");
    const svg = await renderPlatformGraph(m, "svg");
    expect(svg).toMatch(/^(<\?xml|<svg)/);
    expect(svg).toContain("<svg");
    expect(svg).toContain("endpoint ranker");
    expect(svg).toContain("Container Apps");
    expect(await renderPlatformGraph(m, "svg")).toBe(svg);
    expect(await renderPlatformGraph(m, "mermaid")).toBe(await renderPlatformGraph(model("realtime-scoring", "azure"), "mermaid"));
  });

  it("src/graph and the graph command import neither cdktf nor the stacks", () => {
    const files = [...readdirSync(join(root, "src/graph")).map((f) => join(root, "src/graph", f)), join(root, "src/cli/commands/graph.ts")];
    for (const f of files) {
      const imports = [...readFileSync(f, "utf8").matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((x) => x[1]!);
      expect(imports.filter((i) => /cdktf|constructs|@cdktf|stacks\//.test(i)), f).toEqual([]);
    }
  });
});

describe("mlplat graph (CLI)", () => {
  it("prints Mermaid by default and DOT with --format dot", () => {
    const m = mlplat(["graph", bp("batch-training")]);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain("flowchart LR");
    const d = mlplat(["graph", bp("batch-training"), "--env", "gcp", "--format", "dot"]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('label="batch-training-gcp · gcp us-central1"');
    expect(d.stdout).toContain("A100-80GB×8 · spot");
  });

  it("writes SVG to --out, taking the format from the extension", () => {
    const out = join(work, "deep", "platform.svg");
    const r = mlplat(["graph", bp("llm-serving"), "--env", "prod", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("llm-serving-prod → ");
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, "utf8")).toMatch(/^<\?xml[\s\S]*<svg/);
  });

  it("exits 1 on an unknown environment and an unknown format", () => {
    const env = mlplat(["graph", bp("llm-serving"), "--env", "prdo"]);
    expect(env.code).toBe(1);
    expect(env.stderr).toContain("prod");
    const fmt = mlplat(["graph", bp("llm-serving"), "--format", "png"]);
    expect(fmt.code).toBe(1);
    expect(fmt.stderr).toContain("Allowed choices are mermaid, dot, svg");
  });
});
