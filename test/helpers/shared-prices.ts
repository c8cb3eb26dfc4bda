import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Prices read straight from the shared CSVs (../shared/data next to the repository, here and in
 * CI), so cost tests expect numbers from an independent source, not from the catalog the code
 * under test reads. A missing folder fails loudly: the tests would otherwise check nothing.
 */
export const SHARED_DATA = resolve(import.meta.dirname, "../../../shared/data");

export function sharedDataDir(): string {
  if (!existsSync(join(SHARED_DATA, "gpus.csv"))) {
    throw new Error(`the shared price CSVs are missing: expected ${SHARED_DATA}/{gpus,cpu,managed}.csv (../shared/data next to the repository)`);
  }
  return SHARED_DATA;
}

/** Rows of a shared CSV as objects keyed by the header (quoted fields with commas handled). */
export function sharedCsv(name: "gpus.csv" | "cpu.csv" | "managed.csv"): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(sharedDataDir(), name), "utf8").trim().split("\n");
  const split = (line: string) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"')).slice(0, -1);
  const keys = split(header!);
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [keys[i], v])));
}

/** On-demand and spot USD per hour of a VM type (gpus.csv or cpu.csv). */
export function vmPrice(cloud: string, instanceType: string): { onDemand: number; spot?: number } {
  const row = [...sharedCsv("gpus.csv"), ...sharedCsv("cpu.csv")].find((r) => r.cloud === cloud && r.instance_type === instanceType);
  if (!row) throw new Error(`${cloud} ${instanceType} is not in the shared CSVs`);
  return { onDemand: Number(row.ondemand_usd_per_hour), spot: row.spot_usd_per_hour ? Number(row.spot_usd_per_hour) : undefined };
}

/** USD per unit of a managed service SKU (managed.csv). */
export function managedPrice(cloud: string, service: string, sku: string): number {
  const row = sharedCsv("managed.csv").find((r) => r.cloud === cloud && r.service === service && r.sku === sku);
  if (!row || row.usd_per_hour === "") throw new Error(`no price for ${cloud} ${service} ${sku} in managed.csv`);
  return Number(row.usd_per_hour);
}
