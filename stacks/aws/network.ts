/**
 * The `network` section: a VPC over two or more availability zones with public subnets (NAT
 * gateways, load balancers) and private subnets (nodes, SageMaker endpoints, interface
 * endpoints), one NAT gateway per zone so a zone outage does not cut the others off, an S3
 * gateway endpoint, interface endpoints for the AWS APIs the platform calls, VPC flow logs to
 * CloudWatch, and a default security group stripped of all rules.
 *
 * Construct ids are API (they become Terraform addresses through MlplatStack): the VPC is
 * `Resource`, per-zone children end in the zone letter (`private-a`, `nat-a`), endpoints are
 * `endpoint-<service>`. Changing one replaces the resource.
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group/index.js";
import { Eip } from "@cdktf/provider-aws/lib/eip/index.js";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import { policyDocument } from "./policies.js";

/** One availability zone's share of the VPC. */
export interface ZoneSubnets {
  /** Zone name, e.g. `us-east-1a` (derived from the region, never looked up). */
  readonly zone: string;
  /** Zone letter used in construct ids, e.g. `a`. */
  readonly letter: string;
  readonly privateCidr: string;
  readonly publicCidr: string;
}

export interface NetworkProps {
  /** `Name` tag prefix, e.g. `fraud-default`. */
  readonly namePrefix: string;
  readonly cidr: string;
  /** Two or more zones. */
  readonly zones: readonly ZoneSubnets[];
  /** `com.amazonaws.<region>.s3`. */
  readonly s3ServiceName: string;
  /** Interface endpoint short name → full service name (`ecr-api` → `com.amazonaws.us-east-1.ecr.api`). */
  readonly interfaceEndpoints: Readonly<Record<string, string>>;
  /** When set, subnets carry `kubernetes.io/cluster/<name>=shared` for EKS load balancers. @default - no cluster tag */
  readonly clusterName?: string;
  /** CloudWatch log group receiving the flow logs. */
  readonly flowLogGroupArn: string;
  /** IAM role name for the flow-log delivery. */
  readonly flowLogRoleName: string;
  readonly accountId: string;
  readonly partition: string;
}

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly privateRouteTableIds: string[];
  /** The interface endpoints; SageMaker and EKS resources depend on them being ready. */
  readonly endpoints: VpcEndpoint[] = [];
  /**
   * What must exist before anything in the private subnets can reach AWS APIs and the internet
   * (NAT routes, the S3 gateway endpoint, the interface endpoints). Nodes and SageMaker endpoints
   * that start earlier fail to bootstrap, and Terraform cannot see that from subnet ids alone.
   */
  readonly egressReady: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.zones.length < 2) {
      throw new Error(`network needs at least two availability zones, got ${props.zones.length}`);
    }
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    const clusterTag: Record<string, string> = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" } : {};

    this.vpc = new Vpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: name("vpc"),
    });
    // CIS: the default security group allows nothing, so nothing lands in it by accident.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: this.vpc.id, tags: name("default-deny") });

    const igw = new InternetGateway(this, "internet-gateway", { vpcId: this.vpc.id, tags: name("igw") });
    const publicRoutes = new RouteTable(this, "public-routes", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: name("public"),
    });

    this.privateSubnetIds = [];
    this.publicSubnetIds = [];
    this.privateRouteTableIds = [];
    for (const z of props.zones) {
      const pub = new Subnet(this, `public-${z.letter}`, {
        vpcId: this.vpc.id,
        cidrBlock: z.publicCidr,
        availabilityZone: z.zone,
        // Nothing launched here gets a public IP unless it asks (NAT gateways use EIPs).
        mapPublicIpOnLaunch: false,
        tags: { ...name(`public-${z.letter}`), "kubernetes.io/role/elb": "1", ...clusterTag },
      });
      new RouteTableAssociation(this, `public-${z.letter}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      const eip = new Eip(this, `nat-${z.letter}-ip`, { domain: "vpc", tags: name(`nat-${z.letter}`) });
      const nat = new NatGateway(this, `nat-${z.letter}`, {
        allocationId: eip.allocationId,
        subnetId: pub.id,
        tags: name(`nat-${z.letter}`),
        dependsOn: [igw],
      });
      const priv = new Subnet(this, `private-${z.letter}`, {
        vpcId: this.vpc.id,
        cidrBlock: z.privateCidr,
        availabilityZone: z.zone,
        tags: { ...name(`private-${z.letter}`), "kubernetes.io/role/internal-elb": "1", ...clusterTag },
      });
      const routes = new RouteTable(this, `private-${z.letter}-routes`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: name(`private-${z.letter}`),
      });
      const assoc = new RouteTableAssociation(this, `private-${z.letter}-association`, { subnetId: priv.id, routeTableId: routes.id });
      this.egressReady.push(nat, routes, assoc);
      this.privateSubnetIds.push(priv.id);
      this.publicSubnetIds.push(pub.id);
      this.privateRouteTableIds.push(routes.id);
    }

    // S3 traffic (datasets, model artifacts, ECR layers) stays on the AWS network and off the NAT bill.
    const s3 = new VpcEndpoint(this, "endpoint-s3", {
      vpcId: this.vpc.id,
      serviceName: props.s3ServiceName,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTableIds,
      tags: name("s3"),
    });
    this.egressReady.push(s3);

    const endpointSg = new SecurityGroup(this, "endpoint-security-group", {
      name: `${props.namePrefix}-endpoints`,
      description: "HTTPS from inside the VPC to the AWS interface endpoints",
      vpcId: this.vpc.id,
      ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [props.cidr] }],
      egress: [],
      tags: name("endpoints"),
    });
    for (const [short, serviceName] of Object.entries(props.interfaceEndpoints)) {
      this.endpoints.push(
        new VpcEndpoint(this, `endpoint-${short}`, {
          vpcId: this.vpc.id,
          serviceName,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.privateSubnetIds,
          securityGroupIds: [endpointSg.id],
          tags: name(short),
        }),
      );
    }
    this.egressReady.push(...this.endpoints);

    const flowRole = new IamRole(this, "flow-logs-role", {
      name: props.flowLogRoleName,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      role: flowRole.id,
      name: "deliver-flow-logs",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [props.flowLogGroupArn, `${props.flowLogGroupArn}:*`],
        },
      ]),
    });
    new FlowLog(this, "flow-logs", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: props.flowLogGroupArn,
      iamRoleArn: flowRole.arn,
      maxAggregationInterval: 60,
      tags: name("flow-logs"),
    });
  }
}
