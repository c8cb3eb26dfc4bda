import { describe, expect, it } from "vitest";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import { Network, type NetworkProps } from "../../stacks/aws/network.js";
import { zoneSubnets } from "../../src/targets/aws/index.js";
import { policyOf, synthConstruct } from "./synth.js";

const props: NetworkProps = {
  namePrefix: "fraud-default",
  cidr: "10.40.0.0/16",
  zones: zoneSubnets("us-east-1", "10.40.0.0/16"),
  s3ServiceName: "com.amazonaws.us-east-1.s3",
  interfaceEndpoints: { "ecr-api": "com.amazonaws.us-east-1.ecr.api", sts: "com.amazonaws.us-east-1.sts" },
  clusterName: "fraud-default",
  flowLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/flow",
  flowLogRoleName: "fraud-default-flow-logs",
  accountId: "123456789012",
  partition: "aws",
};

describe("Network", () => {
  const t = synthConstruct((s) => void new Network(s, "network", props));

  it("creates the VPC with DNS and a default security group without rules", () => {
    t.hasResourceWithProperties(Vpc.tfResourceType, { cidr_block: "10.40.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
    const sg = t.resource(DefaultSecurityGroup.tfResourceType, "network_default-security-group");
    expect(sg.ingress ?? []).toEqual([]);
    expect(sg.egress ?? []).toEqual([]);
  });

  it("spreads private and public subnets over the derived zones with load balancer tags", () => {
    t.resourceCountIs(Subnet.tfResourceType, 6);
    expect(t.resource(Subnet.tfResourceType, "network_private-b")).toMatchObject({
      availability_zone: "us-east-1b",
      cidr_block: "10.40.64.0/18",
      tags: { "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/fraud-default": "shared" },
    });
    expect(t.resource(Subnet.tfResourceType, "network_public-c")).toMatchObject({
      availability_zone: "us-east-1c",
      cidr_block: "10.40.224.0/20",
      map_public_ip_on_launch: false,
      tags: { "kubernetes.io/role/elb": "1" },
    });
  });

  it("routes each private subnet through its own zone's NAT gateway", () => {
    t.resourceCountIs(NatGateway.tfResourceType, 3);
    expect(t.resource(RouteTable.tfResourceType, "network_private-a-routes").route).toEqual([
      expect.objectContaining({ cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.network_nat-a.id}" }),
    ]);
  });

  it("adds an S3 gateway endpoint on the private route tables and private-DNS interface endpoints", () => {
    t.hasResourceWithProperties(VpcEndpoint.tfResourceType, {
      service_name: "com.amazonaws.us-east-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: ["${aws_route_table.network_private-a-routes.id}", "${aws_route_table.network_private-b-routes.id}", "${aws_route_table.network_private-c-routes.id}"],
    });
    expect(t.resource(VpcEndpoint.tfResourceType, "network_endpoint-ecr-api")).toMatchObject({
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      security_group_ids: ["${aws_security_group.network_endpoint-security-group.id}"],
    });
    t.hasResourceWithProperties(SecurityGroup.tfResourceType, { ingress: [{ from_port: 443, to_port: 443, cidr_blocks: ["10.40.0.0/16"] }] });
  });

  it("sends flow logs of all traffic to the log group through a role only VPC flow logs can assume", () => {
    t.hasResourceWithProperties(FlowLog.tfResourceType, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: props.flowLogGroupArn,
    });
    const trust = policyOf(t.resource(IamRole.tfResourceType, "network_flow-logs-role"), "assume_role_policy");
    expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
  });

  it("throws with fewer than two zones", () => {
    expect(() => synthConstruct((s) => void new Network(s, "network", { ...props, zones: props.zones.slice(0, 1) }))).toThrow(/at least two/);
  });
});
