/**
 * Zone queries over zones.json: which zones of a region offer an accelerator on an instance
 * type, and which machine types are limited to some provisioning models. Pure.
 */
import type { Cloud } from "../model/platform.js";
import type { CatalogData } from "./table.js";
import type { ZoneAvailability } from "./types.js";

/**
 * Zones of `region` offering `accelerator` on `instanceType`: the longest matching prefix row
 * wins (`a2-megagpu-` over a shorter one). A `complete` row without the region means the region
 * has none (known, empty); a `partial` row without it, or no row at all, means unknown.
 */
export function acceleratorZones(
  data: Pick<CatalogData, "zones" | "zoneSources">,
  cloud: Cloud,
  region: string,
  accelerator: string,
  instanceType: string,
): ZoneAvailability {
  const rows = data.zones
    .filter((r) => r.cloud === cloud && r.accelerator === accelerator && instanceType.startsWith(r.match))
    .sort((a, b) => b.match.length - a.match.length);
  const row = rows[0];
  if (!row) return { known: false };
  const zones = row.zones[region];
  const source = data.zoneSources[row.source] ?? row.source;
  if (zones) return { known: true, zones: [...zones].sort(), source };
  return row.coverage === "complete" ? { known: true, zones: [], source } : { known: false };
}

export function provisioningLimit(
  data: Pick<CatalogData, "provisioning" | "zoneSources">,
  cloud: Cloud,
  instanceType: string,
): { readonly models: readonly string[]; readonly source: string } | undefined {
  const limit = data.provisioning.find((p) => p.cloud === cloud && p.instanceTypes.includes(instanceType));
  return limit ? { models: limit.models, source: data.zoneSources[limit.source] ?? limit.source } : undefined;
}
