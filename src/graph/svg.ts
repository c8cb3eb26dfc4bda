/**
 * SVG through Graphviz compiled to WebAssembly (@viz-js/viz): offline, no `dot` binary needed.
 * Loaded lazily: the module is large and only `--format svg` needs it.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  // Graphviz names Helvetica only; a viewer without it would fall back to a serif. The list
  // keeps a sans-serif wherever the SVG is opened (the boxes leave room for the wider ones).
  return viz.renderString(dot, { format: "svg" }).replace(/font-family="Helvetica,sans-Serif"/g, `font-family="Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"`);
}
