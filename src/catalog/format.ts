/**
 * Plain-text tables for `mlplat catalog` and `mlplat cost`: left-aligned text, right-aligned
 * numbers, two spaces between columns, no colour (the commands add it where they want).
 */
export type Align = "left" | "right";

export interface Column {
  readonly header: string;
  readonly align?: Align;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (columns[i].align === "right" ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n");
}

/** `1.2345` → `1.2345`, `12.5` → `12.50`, undefined → `—`. Hourly prices keep up to 4 decimals. */
export function usdHourly(n: number | null | undefined): string {
  if (n === undefined || n === null) return "—";
  if (n >= 100) return n.toFixed(2);
  return n.toFixed(4).replace(/(\.\d\d\d*?)0+$/, "$1");
}

/** `12345.6` → `12,345.60`, null → `—`. */
export function usdMonthly(n: number | null | undefined): string {
  if (n === undefined || n === null) return "—";
  return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Numbers without trailing zeros: 22.35 → `22.35`, 16 → `16`, undefined → `—`. */
export function plain(n: number | undefined): string {
  return n === undefined ? "—" : String(Math.round(n * 1000) / 1000);
}
