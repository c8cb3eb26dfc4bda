import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { renderPlatformGraph } from "../../src/graph/index.js";

/**
 * The SVG as a person sees it: rendered to PNG with resvg (its own font stack; here DejaVu Sans,
 * wider than the Helvetica Graphviz measures with), then checked: every label fits inside its box,
 * and the picture flows left to right (endpoints, then what runs them, then the data).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-svg-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const FONT = { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" };

interface Box {
  readonly title: string;
  readonly minX: number;
  readonly maxX: number;
  readonly texts: { x: number; anchor: string; size: number; text: string }[];
}

/** Graphviz SVG nodes: `<g class="node"><title>id</title><polygon|path …/><text …>…</text></g>`. */
function nodes(svg: string): Box[] {
  return [...svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)].map(([, body]) => {
    const title = /<title>([^<]*)<\/title>/.exec(body!)![1]!;
    const xs = [...body!.matchAll(/(?:points|d)="([^"]*)"/g)].flatMap(([, pts]) => [...pts!.matchAll(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g)].map((m) => Number(m[1])));
    const texts = [...body!.matchAll(/<text text-anchor="(\w+)" x="([-\d.]+)" y="[-\d.]+" font-family="[^"]*" font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
      anchor: m[1]!,
      x: Number(m[2]),
      size: Number(m[3]),
      text: m[4]!.replace(/&#45;/g, "-").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#160;/g, " "),
    }));
    return { title, minX: Math.min(...xs), maxX: Math.max(...xs), texts };
  });
}

/** The rendered width of one line in the fallback font, measured by resvg itself. */
function textWidth(text: string, size: number): number {
  const esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="100"><text x="0" y="50" font-family="DejaVu Sans" font-size="${size}">${esc}</text></svg>`;
  return new Resvg(svg, { font: FONT }).getBBox()?.width ?? 0;
}

describe.each([["llm-serving", undefined], ["batch-training", "gcp"], ["data-science-workspace", undefined], ["realtime-scoring", "aws"]] as const)("graph --format svg of %s %s", (name, env) => {
  it("renders to PNG, every label fits in its box, and the flow runs left to right", async () => {
    const { model } = loadBlueprintOrThrow(`blueprints/${name}.yaml`, { env, today: "2026-11-25", vars: {} });
    const svg = await renderPlatformGraph(model, "svg");
    const png = new Resvg(svg, { font: FONT, fitTo: { mode: "width", value: 1600 } }).render().asPng();
    writeFileSync(join(work, `${name}.png`), png);
    expect(png.length).toBeGreaterThan(10_000);

    const boxes = nodes(svg);
    expect(boxes.length).toBeGreaterThan(5);
    const overflow: string[] = [];
    for (const b of boxes)
      for (const t of b.texts) {
        const w = textWidth(t.text, t.size);
        const [left, right] = t.anchor === "middle" ? [t.x - w / 2, t.x + w / 2] : t.anchor === "start" ? [t.x, t.x + w] : [t.x - w, t.x];
        if (left < b.minX || right > b.maxX) overflow.push(`${b.title}: "${t.text}" (${w.toFixed(0)}px in ${(b.maxX - b.minX).toFixed(0)}px)`);
      }
    expect(overflow).toEqual([]);

    const centre = (prefix: string) => boxes.filter((b) => b.title.startsWith(prefix)).map((b) => (b.minX + b.maxX) / 2);
    const [endpoints, compute, data] = [centre("endpoint_"), [...centre("pool_"), ...centre("cluster")], [...centre("bucket_"), ...centre("repo_")]];
    if (endpoints.length && compute.length) expect(Math.max(...endpoints)).toBeLessThan(Math.min(...compute));
    if (compute.length && data.length) expect(Math.max(...compute)).toBeLessThan(Math.min(...data));
  });
});
