/**
 * The access path to a private EKS API: 443 from the admin ranges (VPN, peered VPC, on-premises,
 * RFC 1918 allowed) on the cluster security group EKS creates and attaches to the control-plane
 * ENIs. With `endpointPublicAccess = false` this is the only way in from outside the VPC; EKS
 * documents it for "connected networks": "ensure that your Amazon EKS control plane security
 * group contains rules to allow ingress traffic on port 443 from your connected network"
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access).
 * The private endpoint's name resolves publicly to its VPC addresses, so `aws eks
 * update-kubeconfig` works unchanged from the connected network.
 *
 * One `aws_vpc_security_group_ingress_rule` per range (one CIDR per rule in that resource,
 * https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/vpc_security_group_ingress_rule),
 * addressed by the range itself, so adding or removing one never touches the others.
 */
import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";

export interface ClusterApiAccessProps {
  /** `aws_eks_cluster.vpc_config[0].cluster_security_group_id`. */
  readonly securityGroupId: string;
  /** IPv4 CIDRs (network addresses) allowed to reach the API on 443. */
  readonly cidrs: readonly string[];
}

export class ClusterApiAccess extends Construct {
  readonly rules: Record<string, VpcSecurityGroupIngressRule> = {};

  constructor(scope: Construct, id: string, props: ClusterApiAccessProps) {
    super(scope, id);
    for (const cidr of new Set(props.cidrs)) {
      const ruleId = cidr.replace(/[./]/g, "-");
      this.rules[cidr] = new VpcSecurityGroupIngressRule(this, ruleId, {
        securityGroupId: props.securityGroupId,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "mlplat adminCidrs: Kubernetes API (private endpoint)",
      });
    }
  }
}
