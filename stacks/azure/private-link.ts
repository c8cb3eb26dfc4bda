import { Construct } from "constructs";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint/index.js";

/**
 * A private endpoint for one sub-resource of a service (a storage account's `blob`, a
 * registry's `registry`), in the platform's endpoints subnet, registered in the private DNS
 * zones that resolve the service's public name to the private address inside the VNet.
 *
 * The construct id is API: the endpoint's address is the construct path.
 */
export interface PrivateLinkProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Endpoint name (also used for the connection and NIC names). */
  readonly name: string;
  readonly subnetId: string;
  /** ARM id of the service the endpoint connects to. */
  readonly targetResourceId: string;
  /** `blob`, `file`, `registry`, `amlworkspace`, … */
  readonly subresource: string;
  readonly privateDnsZoneIds: readonly string[];
}

export class PrivateLink extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: PrivateLinkProps) {
    super(scope, id);
    this.endpoint = new PrivateEndpoint(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: props.name,
        isManualConnection: false,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [...props.privateDnsZoneIds] },
      tags: props.tags,
    });
  }
}
