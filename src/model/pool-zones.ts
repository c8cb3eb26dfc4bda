import type { Catalog } from "../catalog/types.js";
import { diag, type Diagnostic } from "../blueprint/diagnostics.js";
import type { Cloud, ResolvedGpu } from "./platform.js";

/**
 * Zones of a node pool (blueprint v1.1 `nodePools[].zones`).
 *
 * A regional GKE pool without `node_locations`, an EKS node group over every private subnet and an
 * AKS pool without `zones` all try to create nodes in zones that may not offer the pool's
 * accelerator (A100-80GB is in two of us-central1's four zones), which fails at creation. So:
 *  - zones given: each must offer the accelerator where the catalog knows it (else an error at the
 *    zone, listing the zones that do);
 *  - not given, GPU pool, catalog knows the region: the zones that offer it (`explicit: false`,
 *    which the targets apply to pools being created only, see the stacks' READMEs "Upgrades");
 *  - otherwise: undefined, the cloud's default placement.
 */
export interface PoolZonesInput {
  readonly cloud: Cloud;
  readonly region: string;
  readonly instanceType: string;
  readonly gpu?: ResolvedGpu;
  readonly spot: boolean;
  readonly zones?: readonly string[];
  /** Path of the pool in the blueprint (`spec.cluster.nodePools[i]`). */
  readonly path: readonly (string | number)[];
}

export interface PoolZones {
  readonly zones?: readonly string[];
  readonly explicit: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** How gcp and azure spell a zone of `region` (aws zones are refused before this). */
function zoneFormOk(cloud: Exclude<Cloud, "aws">, region: string, zone: string): boolean {
  return cloud === "gcp" ? zone.startsWith(`${region}-`) && /^[a-z]$/.test(zone.slice(region.length + 1)) : /^[1-3]$/.test(zone);
}

const ZONE_EXAMPLE: Readonly<Record<Exclude<Cloud, "aws">, (region: string) => string>> = {
  gcp: (r) => `${r}-a`,
  azure: () => `"1", "2" or "3"`,
};

export function resolvePoolZones(catalog: Catalog, input: PoolZonesInput): PoolZones {
  const { cloud, region, instanceType, gpu, path } = input;
  const diagnostics: Diagnostic[] = [];
  const limit = catalog.provisioningLimit(cloud, instanceType);
  if (limit && !input.spot) {
    diagnostics.push(
      diag({
        severity: "warning",
        code: "MLP_POOL_PROVISIONING_MODEL",
        message: `${instanceType} is offered only as ${limit.models.join(" or ")} capacity, so an on-demand pool gets no nodes`,
        path: [...path, "spot"],
        hint: `set spot: true, or pick a larger machine of the family (source: ${limit.source})`,
      }),
    );
  }
  const avail = gpu ? catalog.acceleratorZones(cloud, region, gpu.type, instanceType) : { known: false as const };
  const what = gpu ? `${gpu.type} (${instanceType})` : instanceType;

  if (input.zones && cloud === "aws") {
    // AWS availability data is by zone ID (use1-az1), the same in every account, while subnets are
    // in AZ names (us-east-1a), mapped to IDs per account: the names cannot be checked offline.
    // The aws target maps them to the platform's subnets (MLP_AWS_POOL_ZONE when there is none).
    input.zones.forEach((zone, j) => {
      if (!(zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length)))) {
        diagnostics.push(diag({ code: "MLP_POOL_ZONE_FORM", message: `${zone} is not a zone of ${region}`, path: [...path, "zones", j], found: zone, hint: `write availability zone names like ${region}a` }));
      }
    });
    return { zones: input.zones, explicit: true, diagnostics };
  }
  if (input.zones && cloud !== "aws") {
    input.zones.forEach((zone, j) => {
      const at = [...path, "zones", j];
      if (!zoneFormOk(cloud, region, zone)) {
        diagnostics.push(diag({ code: "MLP_POOL_ZONE_FORM", message: `${zone} is not a zone of ${region}`, path: at, found: zone, hint: `write zones like ${ZONE_EXAMPLE[cloud](region)}` }));
      } else if (avail.known && !avail.zones.includes(zone)) {
        diagnostics.push(noAcceleratorInZone(zone, region, what, avail.zones, avail.source, at));
      }
    });
    return { zones: input.zones, explicit: true, diagnostics };
  }
  // AWS data is by zone ID, which the aws target cannot map to its subnets offline: no default there.
  if (!gpu || !avail.known || cloud === "aws") return { zones: undefined, explicit: false, diagnostics };
  if (avail.zones.length === 0) {
    diagnostics.push(
      diag({
        code: "MLP_POOL_NO_ZONE_OFFERS_GPU",
        message: `no zone of ${region} offers ${what}`,
        path: [...path, "gpu"],
        hint: `pick another region or accelerator (source: ${avail.source})`,
      }),
    );
    return { zones: undefined, explicit: false, diagnostics };
  }
  return { zones: avail.zones, explicit: false, diagnostics };
}

function noAcceleratorInZone(zone: string, region: string, what: string, zones: readonly string[], source: string, path: (string | number)[]): Diagnostic {
  return diag({
    code: "MLP_POOL_ZONE_NO_GPU",
    message: `zone ${zone} does not offer ${what}; the zones of ${region} that do: ${zones.join(", ") || "none"}`,
    path,
    found: zone,
    allowed: zones.join(", "),
    hint: `list only zones that offer the accelerator, or leave zones out to use all of them (source: ${source})`,
  });
}
