import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network/index.js";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat/index.js";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router/index.js";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { GcpNetworkProps } from "../../src/targets/gcp/index.js";

/**
 * The platform's VPC: one custom-mode network, one regional node subnet with the GKE
 * secondary ranges for pods and services, private Google access (nodes have no public IP and
 * still reach Google APIs), flow logs, and Cloud Router + NAT for outbound traffic.
 *
 * Construct ids are API: the network is `Resource`, then `nodes`, `router`, `nat`.
 */
export interface GcpNetworkConstructProps extends Omit<GcpNetworkProps, "secondaryRangesOutsideCidr"> {
  readonly project: string;
  readonly region: string;
  /**
   * Flow log sampling rate, 0 to 1.
   * @default 0.5
   */
  readonly flowSampling?: number;
  /**
   * Resources this network waits for (the Compute API being enabled).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;

  constructor(scope: Construct, id: string, props: GcpNetworkConstructProps) {
    super(scope, id);
    const flowSampling = props.flowSampling ?? 0.5;
    this.podsRangeName = props.podsRangeName;
    this.servicesRangeName = props.servicesRangeName;

    this.network = new ComputeNetwork(this, "Resource", {
      project: props.project,
      name: props.networkName,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn: props.dependsOn,
    });

    this.subnet = new ComputeSubnetwork(this, "nodes", {
      project: props.project,
      region: props.region,
      name: props.subnetName,
      network: this.network.id,
      ipCidrRange: props.nodeCidr,
      stackType: "IPV4_ONLY",
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: props.podsRangeName, ipCidrRange: props.podsCidr },
        { rangeName: props.servicesRangeName, ipCidrRange: props.servicesCidr },
      ],
      logConfig: {
        aggregationInterval: "INTERVAL_5_SEC",
        flowSampling,
        metadata: "INCLUDE_ALL_METADATA",
      },
    });

    const router = new ComputeRouter(this, "router", {
      project: props.project,
      region: props.region,
      name: props.routerName,
      network: this.network.id,
    });

    new ComputeRouterNat(this, "nat", {
      project: props.project,
      region: props.region,
      name: props.natName,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      // Only the platform's subnet (nodes and pods) egresses through this NAT.
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: this.subnet.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
  }
}
