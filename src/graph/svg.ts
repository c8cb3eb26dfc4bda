/**
 * SVG through Graphviz compiled to WebAssembly (@viz-js/viz): offline, no `dot` binary needed.
 * Loaded lazily: the module is large and only `--format svg` needs it.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg" });
}
