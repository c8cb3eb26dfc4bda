import { Construct } from "constructs";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network/index.js";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet/index.js";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway/index.js";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip/index.js";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association/index.js";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association/index.js";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone/index.js";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js";

/**
 * The `network` section: a VNet with subnets for AKS nodes, private endpoints, the Container
 * Apps environment and AKS API server VNet integration; a NAT gateway with a static public IP
 * for egress (subnets have default outbound access off, so nothing reaches the internet any
 * other way); and the private DNS zones of the private endpoints, linked to the VNet.
 *
 * Construct ids are API (Terraform addresses): `network` (VNet), `network/<subnet>`,
 * `network/nat`, `network/nat-ip`, `network/dns-<zone>`. Never rename them casually.
 */
export interface PlatformNetworkProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly vnetName: string;
  /** The VNet CIDR (`network.cidr`). */
  readonly addressSpace: string;
  readonly nodesSubnetCidr: string;
  readonly endpointsSubnetCidr: string;
  readonly appsSubnetCidr: string;
  readonly apiServerSubnetCidr: string;
  readonly natGatewayName: string;
  readonly publicIpName: string;
  /** Private DNS zones to create and link (`privatelink.blob.core.windows.net`, …). */
  readonly privateDnsZones: readonly string[];
}

export class PlatformNetwork extends Construct {
  readonly vnet: VirtualNetwork;
  readonly nodesSubnet: Subnet;
  readonly endpointsSubnet: Subnet;
  readonly appsSubnet: Subnet;
  readonly apiServerSubnet: Subnet;
  readonly natGateway: NatGateway;
  /** NAT associations: the cluster (outbound type userAssignedNATGateway) must wait for them. */
  readonly natAssociations: SubnetNatGatewayAssociation[] = [];
  private readonly zones = new Map<string, PrivateDnsZone>();

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName };

    this.vnet = new VirtualNetwork(this, "Resource", {
      ...common,
      name: props.vnetName,
      location: props.location,
      addressSpace: [props.addressSpace],
      tags: props.tags,
    });

    const subnet = (sid: string, cidr: string, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) =>
      new Subnet(this, sid, {
        ...common,
        name: sid,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [cidr],
        // Azure retires implicit outbound access; egress goes through the NAT gateway only.
        defaultOutboundAccessEnabled: false,
        ...extra,
      });

    // Service endpoints let the key vault firewall allow these subnets by id.
    this.nodesSubnet = subnet("nodes", props.nodesSubnetCidr, { serviceEndpoints: ["Microsoft.KeyVault", "Microsoft.Storage"] });
    this.endpointsSubnet = subnet("endpoints", props.endpointsSubnetCidr, { privateEndpointNetworkPolicies: "Enabled" });
    this.appsSubnet = subnet("apps", props.appsSubnetCidr, {
      serviceEndpoints: ["Microsoft.KeyVault", "Microsoft.Storage"],
      delegation: [
        {
          name: "container-apps",
          serviceDelegation: { name: "Microsoft.App/environments", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
        },
      ],
    });
    this.apiServerSubnet = subnet("apiserver", props.apiServerSubnetCidr, {
      delegation: [
        {
          name: "aks-apiserver",
          serviceDelegation: {
            name: "Microsoft.ContainerService/managedClusters",
            actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
          },
        },
      ],
    });

    const ip = new PublicIp(this, "nat-ip", {
      ...common,
      name: props.publicIpName,
      location: props.location,
      allocationMethod: "Static",
      sku: "Standard",
      tags: props.tags,
    });
    this.natGateway = new NatGateway(this, "nat", {
      ...common,
      name: props.natGatewayName,
      location: props.location,
      skuName: "Standard",
      idleTimeoutInMinutes: 10,
      tags: props.tags,
    });
    new NatGatewayPublicIpAssociation(this, "nat-ip-association", { natGatewayId: this.natGateway.id, publicIpAddressId: ip.id });
    for (const s of [this.nodesSubnet, this.appsSubnet]) {
      this.natAssociations.push(
        new SubnetNatGatewayAssociation(this, `${s.node.id}-nat`, { subnetId: s.id, natGatewayId: this.natGateway.id }),
      );
    }

    for (const zone of props.privateDnsZones) {
      const zid = `dns-${zone.replace(/^privatelink\./, "").replace(/\./g, "-")}`;
      const z = new PrivateDnsZone(this, zid, { ...common, name: zone, tags: props.tags });
      new PrivateDnsZoneVirtualNetworkLink(this, `${zid}-link`, {
        ...common,
        name: `${props.vnetName}-link`,
        privateDnsZoneName: z.name,
        virtualNetworkId: this.vnet.id,
        registrationEnabled: false,
        tags: props.tags,
      });
      this.zones.set(zone, z);
    }
  }

  /** The id of a private DNS zone this network created; throws when it was not asked for. */
  dnsZoneId(zone: string): string {
    const z = this.zones.get(zone);
    if (!z) throw new Error(`network has no private DNS zone ${zone}; have: ${[...this.zones.keys()].join(", ")}`);
    return z.id;
  }
}
