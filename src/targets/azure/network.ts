/** The Azure VNet: subnets carved from `network.cidr`, private DNS zones for the private endpoints. */
import { MlplatError } from "../../util/errors.js";
import { formatIp, overlaps, requireCidr } from "../../model/cidr.js";
import { deriveName } from "../../model/names.js";
import type { PlatformModel } from "../../model/platform.js";
import { AZ_NAME } from "./names.js";
import type { AzureNetworkProps } from "./props.js";

export function resolveNetwork(model: PlatformModel): AzureNetworkProps {
  const { base, prefix } = requireCidr(model.network.cidr, "MLP_AZURE_CIDR");
  // Sizes relative to the VNet, so a /16 and a /24 both fit. Container Apps workload-profile
  // environments need at least a /27; they get a /23 when the VNet has room (the size
  // Microsoft's examples use; the subnet can't be resized once the environment exists).
  const wanted = [
    { key: "nodes", prefix: prefix + 1 },
    { key: "apps", prefix: Math.max(prefix + 2, 23) },
    { key: "endpoints", prefix: Math.max(prefix + 3, 24) },
    { key: "apiServer", prefix: 28 },
  ] as const;
  const carved = carve(base, prefix, wanted.map((w) => w.prefix));
  const cidrOf = (key: (typeof wanted)[number]["key"]) => carved[wanted.findIndex((w) => w.key === key)];
  // Key Vault is reached through its private endpoint too (RFC 1918 adminCidrs over peering/VPN):
  // https://learn.microsoft.com/azure/key-vault/general/private-link-service
  const zones = ["privatelink.blob.core.windows.net", "privatelink.azurecr.io", "privatelink.vaultcore.azure.net"];
  if (model.registry.models) zones.push("privatelink.file.core.windows.net", "privatelink.api.azureml.ms", "privatelink.notebooks.azure.net");
  return {
    vnetName: deriveName(model, "vnet", AZ_NAME),
    addressSpace: model.network.cidr,
    nodes: { name: "nodes", cidr: cidrOf("nodes") },
    apps: { name: "apps", cidr: cidrOf("apps") },
    endpoints: { name: "endpoints", cidr: cidrOf("endpoints") },
    apiServer: { name: "apiserver", cidr: cidrOf("apiServer") },
    natGatewayName: deriveName(model, "nat", AZ_NAME),
    publicIpName: deriveName(model, "nat-ip", AZ_NAME),
    privateDnsZones: zones,
  };
}

/** Places subnets of the given prefixes inside the block, largest first, each aligned to its size. */
export function carve(base: number, prefix: number, prefixes: readonly number[]): string[] {
  const order = prefixes.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out: string[] = new Array(prefixes.length);
  let next = base;
  const end = base + 2 ** (32 - prefix);
  for (const { p, i } of order) {
    const size = 2 ** (32 - p);
    next = Math.ceil((next - base) / size) * size + base;
    if (p < prefix || next + size > end) {
      throw new MlplatError("MLP_AZURE_CIDR_TOO_SMALL", `network.cidr /${prefix} has no room for the platform's subnets`, {
        hint: "use a /16 to /24 network",
      });
    }
    out[i] = `${formatIp(next)}/${p}`;
    next += size;
  }
  return out;
}

export function overlapping(a: string, b: string): boolean {
  return overlaps(requireCidr(a, "MLP_AZURE_CIDR"), requireCidr(b, "MLP_AZURE_CIDR"));
}
